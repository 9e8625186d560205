import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ziinaWebhook } from '../../../../src/providers/ziina/ziina-webhook.ts';

const SECRET = 'whsec_unit_tests_0123456789';

function verify(body: Buffer, signature: string | undefined): boolean {
  return ziinaWebhook.verify(body, signature === undefined ? {} : { 'x-hmac-signature': signature }, SECRET);
}

describe('ziinaWebhook.verify', () => {
  const body = Buffer.from('{"event":"payment_intent.status.updated","data":{"id":"x"}}');
  const signature = createHmac('sha256', SECRET).update(body).digest('hex');

  it('takes the lower-case hex HMAC-SHA256 of the raw body, however the sender held the text', () => {
    const signedText = createHmac('sha256', SECRET).update(body.toString('utf8')).digest('hex');
    expect(verify(body, signedText)).toBe(true);
  });

  it('accepts the signature of these exact bytes, in either hex case', () => {
    expect(verify(body, signature)).toBe(true);
    expect(verify(body, signature.toUpperCase())).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['made with another secret', createHmac('sha256', 'other').update(body).digest('hex')],
    [
      'of other bytes',
      createHmac('sha256', SECRET)
        .update(`${body.toString('utf8')} `)
        .digest('hex'),
    ],
    ['not hex', 'z'.repeat(64)],
    ['too short', signature.slice(0, 62)],
    ['too long', `${signature}00`],
    ['of odd length', signature.slice(0, 63)],
    ['padded with white space', ` ${signature}`],
    ['base64 instead of hex', createHmac('sha256', SECRET).update(body).digest('base64')],
  ])('refuses a signature %s without throwing', (_case, header) => {
    expect(verify(body, header)).toBe(false);
  });
});
