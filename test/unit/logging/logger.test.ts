import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { composedLinesLogger, createLogger } from '../../../src/logging/logger.ts';

const ZOPAY_KEY = 'sk_test_9sD3kLq0Zx7Vb';
const ZIINA_KEY = 'eyJhbGciOiJIUzI1NiJ9.ziina.token';

function capture(secrets: readonly string[] = [ZOPAY_KEY, ZIINA_KEY]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      );
      callback();
    },
  });
  const logger = createLogger({ level: 'info', secrets, destination });
  const records = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes JSON lines with level, message and service', async () => {
    const { logger, records } = capture();
    logger.info({ requestId: 'r-1' }, 'hello');
    expect(await records()).toEqual([
      expect.objectContaining({ level: 30, msg: 'hello', requestId: 'r-1', service: 'payments-subgraph' }),
    ]);
  });

  it('respects the level', async () => {
    const { logger, records } = capture();
    logger.debug('not written');
    logger.warn('written');
    expect((await records()).map((record) => record.msg)).toEqual(['written']);
  });

  it('redacts a configured secret inside a message', async () => {
    const { logger, lines, records } = capture();
    logger.info(`calling Zopay with ${ZOPAY_KEY} now`);
    const [record] = await records();
    expect(record?.msg).toBe('calling Zopay with [redacted] now');
    expect(lines.join('\n')).not.toContain(ZOPAY_KEY);
  });

  it('redacts a secret that JSON has to escape (quotes, backslashes)', async () => {
    const awkward = 'tok"en\\with-quote';
    const { logger, lines } = capture([awkward]);
    logger.info({ token: awkward }, `using ${awkward}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('\n')).not.toContain(JSON.stringify(awkward).slice(1, -1));
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('redacts secrets made of pattern characters, and all of a secret that contains another', async () => {
    const patterned = 'pa$$.word+(1)|[x]*?';
    const inner = 'sk_live_inner123';
    const outer = `${inner}-and-more`;
    const { logger, records } = capture([patterned, inner, outer]);
    logger.info(`a ${patterned} b ${outer} c ${inner} d paXXword+(1)|[x]*?`);
    const [record] = await records();
    expect(record?.msg).toBe('a [redacted] b [redacted] c [redacted] d paXXword+(1)|[x]*?');
  });

  it('redacts an Authorization header written with a capital A', async () => {
    const { logger, lines } = capture([]);
    logger.info({ headers: { Authorization: 'Bearer not-a-configured-secret' } }, 'outgoing call');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('\n')).not.toContain('not-a-configured-secret');
  });

  it('redacts a configured secret inside nested fields and arrays', async () => {
    const { logger, lines, records } = capture();
    logger.info({ request: { options: { token: ZIINA_KEY, list: ['a', `Bearer ${ZOPAY_KEY}`] } } }, 'nested');
    const [record] = await records();
    expect(record?.request).toEqual({ options: { token: '[redacted]', list: ['a', 'Bearer [redacted]'] } });
    expect(lines.join('\n')).not.toContain(ZIINA_KEY);
  });

  it('redacts a configured secret in an error message and stack', async () => {
    const { logger, lines } = capture();
    logger.error(new Error(`request failed for ${ZOPAY_KEY}`), 'boom');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('\n')).toContain('request failed for [redacted]');
    expect(lines.join('\n')).not.toContain(ZOPAY_KEY);
  });

  it.each([
    [
      'headers.authorization',
      { headers: { authorization: 'Bearer some-unconfigured-token' } },
      ['headers', 'authorization'],
    ],
    [
      '*.headers.authorization',
      { req: { headers: { authorization: 'Bearer some-unconfigured-token' } } },
      ['req', 'headers', 'authorization'],
    ],
    ['authorization', { authorization: 'Bearer some-unconfigured-token' }, ['authorization']],
    ['*.authorization', { upstream: { authorization: 'Basic dXNlcjpwYXNz' } }, ['upstream', 'authorization']],
  ])('redacts the authorization header at %s even when it is not a configured secret', async (_path, fields, path) => {
    const { logger, lines, records } = capture([]);
    logger.info(fields, 'headers');
    const [record] = await records();
    let value: unknown = record;
    for (const key of path) value = (value as Record<string, unknown>)[key];
    expect(value).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain('some-unconfigured-token');
    expect(lines.join('\n')).not.toContain('dXNlcjpwYXNz');
  });

  it('scrubs configured secrets from composed lines too, which skip the header paths', async () => {
    const { logger, lines, records } = capture();
    composedLinesLogger(logger).info({ operationName: `Op ${ZOPAY_KEY}`, outcome: 'ok' }, 'graphql operation');
    const [record] = await records();
    expect(record).toMatchObject({ operationName: 'Op [redacted]', outcome: 'ok', service: 'payments-subgraph' });
    expect(lines.join('\n')).not.toContain(ZOPAY_KEY);
  });

  it('keeps other headers', async () => {
    const { logger, records } = capture();
    logger.info({ headers: { authorization: 'Bearer x', 'content-type': 'application/json' } }, 'h');
    const [record] = await records();
    expect(record?.headers).toEqual({ authorization: '[redacted]', 'content-type': 'application/json' });
  });

  it('leaves text alone when no secret is configured', async () => {
    const { logger, records } = capture([]);
    logger.info(`value ${ZOPAY_KEY}`);
    expect((await records())[0]?.msg).toBe(`value ${ZOPAY_KEY}`);
  });
});
