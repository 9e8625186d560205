import { describe, expect, it } from 'vitest';
import { BoundedLabel, OTHER_LABEL_VALUE } from '../../../src/observability/bounded-label.ts';

describe('BoundedLabel', () => {
  const identifier = /^[A-Za-z_]\w{0,63}$/;

  it('keeps the first distinct values up to the cap, and counts the rest as other', () => {
    const label = new BoundedLabel(identifier, 2);
    expect(['GetIntent', 'Create', 'ListIntents', 'GetIntent'].map((value) => label.of(value))).toEqual([
      'GetIntent',
      'Create',
      OTHER_LABEL_VALUE,
      'GetIntent',
    ]);
  });

  it('counts a value outside the pattern as other, without using up the cap', () => {
    const label = new BoundedLabel(identifier, 1);
    expect(label.of('a'.repeat(65))).toBe(OTHER_LABEL_VALUE);
    expect(label.of('drop table;')).toBe(OTHER_LABEL_VALUE);
    expect(label.of('Create')).toBe('Create');
  });
});
