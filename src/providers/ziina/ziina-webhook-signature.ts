import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Ziina signs a webhook, when the registration has a secret, with header `X-Hmac-Signature`: the hex
 * HMAC-SHA256 of the raw body keyed by the secret (providers.md). The emulator signs with it, the
 * subgraph's webhook endpoint verifies with it.
 */

export const ZIINA_SIGNATURE_HEADER = 'x-hmac-signature';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Lower-case hex, as Ziina sends it. */
export function signZiinaWebhook(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True when the header is the signature of these exact bytes. Hex is compared as the bytes it
 * stands for, so upper-case hex is accepted too; a missing, non-hex or wrong-length header is false,
 * never an exception. The comparison takes the same time wherever the bytes differ.
 */
export function verifyZiinaWebhookSignature(rawBody: Buffer, signatureHeader: string | undefined, secret: string): boolean {
  if (signatureHeader === undefined || !SHA256_HEX.test(signatureHeader)) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(signatureHeader, 'hex'), expected);
}
