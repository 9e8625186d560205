import { isStorableText, toStorableText } from '../lib/storable-text.ts';

/**
 * A value as the JSON text of a jsonb parameter. Inputs with text jsonb cannot hold are refused
 * at validation; a provider's answer may still carry some, and one odd character in a
 * description must not keep a created intent out of the store: it becomes U+FFFD.
 */
export function toJsonbParameter(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    typeof entry === 'string' && !isStorableText(entry) ? toStorableText(entry) : entry,
  );
}
