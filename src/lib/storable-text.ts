/**
 * False for text that no PostgreSQL text or jsonb value can hold (the store, and likely the
 * providers' own databases, would fail on it after the intent was created): U+0000, and lone
 * surrogates (ill-formed UTF-16, which has no UTF-8 encoding).
 */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/** The text with what isStorableText refuses replaced by U+FFFD. */
export function toStorableText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}
