import { describe, expect, it } from 'vitest';
import { stillSettling, warmUpWindows } from '../../bench/warm-up.ts';

describe('the warm-up windows', () => {
  it('cuts the warm-up into windows of at most five seconds that add up to it', () => {
    expect(warmUpWindows(15)).toEqual([5, 5, 5]);
    expect(warmUpWindows(7)).toEqual([5, 2]);
    expect(warmUpWindows(1)).toEqual([1]);
  });

  it('runs no window without a warm-up', () => {
    expect(warmUpWindows(0)).toEqual([]);
  });
});

describe('whether a path is still settling', () => {
  it('is while its last window cost at least a tenth less than the one before', () => {
    // A read outside the window, from a cold process (µs of CPU per request, 5 s windows).
    expect(stillSettling([1011, 698, 548])).toBe(true);
  });

  it('is not once a window costs about what the one before did, or more', () => {
    expect(stillSettling([1011, 698, 548, 520])).toBe(false);
    expect(stillSettling([246, 128, 140])).toBe(false);
  });

  it('is not with a single window to judge by', () => {
    expect(stillSettling([900])).toBe(false);
    expect(stillSettling([])).toBe(false);
  });
});
