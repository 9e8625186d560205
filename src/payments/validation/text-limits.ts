import { z } from 'zod';

/**
 * Length in Unicode code points, as the providers (Python and Node services validating JSON
 * strings) count it; JavaScript's `length` counts UTF-16 units and would reject emoji early.
 */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** An optional text of at most `max` characters; absent and null both read as null. */
export function optionalText(max: number) {
  return z
    .string()
    .refine((text) => codePointLength(text) <= max, `must be at most ${max} characters`)
    .nullish()
    .transform((text) => text ?? null);
}
