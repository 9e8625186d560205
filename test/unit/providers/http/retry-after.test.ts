import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../../../src/providers/http/retry-after.ts';

const NOW = Date.parse('2025-03-01T10:00:00.000Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['5', 5000],
    ['120', 120_000],
    [' 7 ', 7000],
  ])('reads delay-seconds %j as %d ms', (header, expected) => {
    expect(parseRetryAfterMs(header, NOW)).toBe(expected);
  });

  it('reads an HTTP-date in the future as the time left', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', NOW)).toBe(3_600_000);
  });

  it('reads an HTTP-date in the past, or now, as 0', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 09:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 10:00:00 GMT', NOW)).toBe(0);
  });

  it('uses the given now, not the clock', () => {
    const header = 'Sat, 01 Mar 2025 10:00:30 GMT';
    expect(parseRetryAfterMs(header, NOW - 10_000)).toBe(40_000);
  });

  it('is undefined when the header is absent', () => {
    expect(parseRetryAfterMs(undefined, NOW)).toBeUndefined();
  });

  it.each(['', '   ', 'soon', 'later please', 'Retry in a bit', 'abc1'])(
    'is undefined for the unreadable value %j',
    (header) => {
      expect(parseRetryAfterMs(header, NOW)).toBeUndefined();
    },
  );

  // V8's lenient Date.parse would read "1.5" as 2001-01-05 and "-1" as 2001-01-01.
  it.each(['1.5', '-1', '1 2'])('is undefined for the non-RFC value %j', (header) => {
    expect(parseRetryAfterMs(header, NOW)).toBeUndefined();
  });
});
