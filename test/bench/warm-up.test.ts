import { describe, expect, it } from 'vitest';
import { warmUpWindows } from '../../bench/warm-up.ts';

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
