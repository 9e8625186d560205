import { z } from 'zod';

/**
 * Lenient readers for optional fields of provider answers (docs/providers/: "parsed leniently: only
 * what the subgraph needs is required"). A missing or ill-typed optional field reads as null
 * instead of failing the whole answer: a missing field is undefined, which a nullable type refuses,
 * so the catch answers null for it as for a wrong type, with no transform to run on every field.
 */
export const optionalString = z.string().nullable().catch(null);
export const optionalInteger = z.number().int().nullable().catch(null);
export const optionalBoolean = z.boolean().nullable().catch(null);
export const optionalObject = z.record(z.string(), z.unknown()).nullable().catch(null);

/**
 * An instant already written as toISOString() writes it, on a day that every month has: returned as
 * it is, since a Date parse and print would give the same text back, at a cost that shows on every
 * provider read. Anything else (another offset, no milliseconds, a 29th to 31st) takes the parse.
 */
const CANONICAL_INSTANT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * An ISO 8601 date-time without an offset, as Python writes a naive datetime (pydantic:
 * "2024-05-01T12:00:00"). A Date reads such a text in the host's time zone
 * (https://tc39.es/ecma262/#sec-date-time-string-format), which would make the instant depend on
 * where the subgraph runs: it is read as UTC instead (docs/providers/zopay.md).
 */
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** An RFC 3339 / ISO 8601 instant, normalised to UTC; null when absent or unreadable. */
export function isoInstantOrNull(value: string | number | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && CANONICAL_INSTANT.test(value)) return value;
  const date = new Date(typeof value === 'string' && DATE_TIME_WITHOUT_OFFSET.test(value) ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
