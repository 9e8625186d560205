import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isoInstantOrNull,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
} from '../../../src/providers/lenient.ts';

/** What isoInstantOrNull means: the instant a Date reads, printed in UTC; null when unreadable. */
function throughDate(value: string | number): string | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

describe('the optional field readers', () => {
  const Answer = z.looseObject({
    text: optionalString,
    count: optionalInteger,
    flag: optionalBoolean,
    extra: optionalObject,
  });

  it('read a field that is there as it is', () => {
    expect(Answer.parse({ text: 'a', count: 2, flag: false, extra: { k: 1 } })).toEqual({
      text: 'a',
      count: 2,
      flag: false,
      extra: { k: 1 },
    });
  });

  it('read a missing, null or ill-typed field as null, and keep what they do not know', () => {
    expect(Answer.parse({ count: null, flag: 'yes', extra: [1], other: 'kept' })).toEqual({
      text: null,
      count: null,
      flag: null,
      extra: null,
      other: 'kept',
    });
    expect(Answer.parse({ text: 7, count: 1.5 })).toEqual({ text: null, count: null, flag: null, extra: null });
  });
});

describe('isoInstantOrNull', () => {
  it.each([
    ['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T14:00:00+04:00', '2026-12-01T10:00:00.000Z'],
    ['2026-02-30T10:00:00.000Z', '2026-03-02T10:00:00.000Z'],
    ['2026-12-01T24:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    ['not a date', null],
  ])('reads %j as %j', (text, expected) => {
    expect(isoInstantOrNull(text)).toBe(expected);
  });

  it('reads any instant in the form toISOString writes exactly as a Date does, the days past the 28th included', () => {
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    const instantText = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(
        ([year, month, day, hour, minute, second, ms]) =>
          `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}Z`,
      );
    fc.assert(
      fc.property(instantText, (text) => {
        expect(isoInstantOrNull(text)).toBe(throughDate(text));
      }),
      { numRuns: 5_000 },
    );
  });

  describe('on a host whose time zone is not UTC', () => {
    // Node applies a TZ set at run time to the Date readings that follow.
    const hostZone = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = 'Asia/Dubai';
    });
    afterAll(() => {
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    });

    it.each([
      ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T12:00:00.123456', '2024-05-01T12:00:00.123Z'],
      ['2024-05-01T12:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T16:00:00+04:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ])("reads %j as %j, whatever the host's time zone", (text, expected) => {
      expect(new Date('2024-05-01T12:00:00').getTimezoneOffset()).toBe(-240);
      expect(isoInstantOrNull(text)).toBe(expected);
    });
  });

  it('reads an epoch number and nothing as a Date does', () => {
    expect(isoInstantOrNull(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoInstantOrNull(null)).toBeNull();
  });
});
