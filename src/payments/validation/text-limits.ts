import { z } from 'zod';
import { codePointLength } from '../../lib/code-point-length.ts';
import { isStorableText } from '../../lib/storable-text.ts';

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain U+0000 or unpaired surrogate characters';

/** An optional text of at most `max` characters; absent and null both read as null. */
export function optionalText(max: number) {
  return z
    .string()
    .refine((text) => codePointLength(text) <= max, `must be at most ${max} characters`)
    .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
    .nullish()
    .transform((text) => text ?? null);
}

/** isStorableText over every string of a JSON value, object keys included. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, entry]) => isStorableText(key) && isStorableJson(entry));
  }
  return true;
}
