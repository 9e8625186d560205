/**
 * Cursors of the intent listing: the intent's insertion position, which never changes, so a
 * cursor stays valid however many intents arrive. Opaque to clients (base64url), and versioned
 * by its prefix so that the encoding can change without misreading old cursors.
 */
const PREFIX = 'pi1:';

export function encodeListingCursor(position: bigint): string {
  return Buffer.from(`${PREFIX}${position}`, 'utf8').toString('base64url');
}

/** Null when the text is not a cursor this service issued. */
export function decodeListingCursor(cursor: string): bigint | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  return /^[1-9]\d{0,18}$/.test(digits) ? BigInt(digits) : null;
}
