import { createHash } from 'node:crypto';

/**
 * `length` characters of `alphabet` derived from `seed`: the sandbox mints "deterministic fake"
 * ids and addresses (docs/providers/zopay.md), so the same emulator key and counter always give the same values.
 */
export function deterministicText(seed: string, alphabet: string, length: number): string {
  let text = '';
  for (let block = 0; text.length < length; block += 1) {
    for (const byte of createHash('sha256').update(`${seed}#${block}`).digest()) {
      // The modulo bias is irrelevant for fake identifiers.
      text += alphabet.charAt(byte % alphabet.length);
    }
  }
  return text.slice(0, length);
}
