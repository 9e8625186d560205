import { z } from 'zod';

/**
 * Lenient readers for optional fields of provider answers (docs/providers/: "parsed leniently: only
 * what the subgraph needs is required"). A missing or ill-typed optional field reads as null
 * instead of failing the whole answer.
 */
export const optionalString = z
  .string()
  .nullish()
  .catch(null)
  .transform((value) => value ?? null);
export const optionalInteger = z
  .number()
  .int()
  .nullish()
  .catch(null)
  .transform((value) => value ?? null);
export const optionalBoolean = z
  .boolean()
  .nullish()
  .catch(null)
  .transform((value) => value ?? null);
export const optionalObject = z
  .record(z.string(), z.unknown())
  .nullish()
  .catch(null)
  .transform((value) => value ?? null);

/** An RFC 3339 / ISO 8601 instant, normalised to UTC; null when absent or unreadable. */
export function isoInstantOrNull(value: string | number | null): string | null {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
