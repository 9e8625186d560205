import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestSchema } from '../support/test-database.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

// The shared PostgreSQL goes away under a running replica (through a proxy that the test cuts).
// The machine's server trusts local connections, so the password here is never checked: it is
// there to prove that no answer and no log line ever carries it.

const DATABASE_PASSWORD = 'Pg-Passw0rd-that-must-not-leak';

let proxy: TcpProxy;
let schema: Awaited<ReturnType<typeof createTestSchema>>;
let stack: TestStack;
let base: string;

beforeAll(async () => {
  schema = await createTestSchema();
  const server = new URL(schema.databaseUrl);
  proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
  const throughProxy = new URL(schema.databaseUrl);
  throughProxy.port = String(proxy.port);
  throughProxy.password = DATABASE_PASSWORD;
  stack = await startTestStack({ env: { DATABASE_URL: throughProxy.toString() } });
  base = new URL(stack.app.graphqlUrl).origin;
});
afterAll(async () => {
  await stack.stop();
  await proxy.close();
  await schema.drop();
});

async function readiness(): Promise<number> {
  return (await fetch(`${base}/health/ready`)).status;
}

const ZOPAY_INPUT = (clientMutationId: string) => ({
  clientMutationId,
  provider: { zopay: { amount: '3.10', currencies: ['USDT'] } },
});

describe('when the store goes away', () => {
  it('turns unready, answers masked errors without creating anything, and recovers when the store is back', async () => {
    const created = (
      await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
        input: ZOPAY_INPUT('outage-before'),
      })
    ).data!.createPaymentIntent;
    expect(created.userErrors).toEqual([]);
    expect(await readiness()).toBe(200);

    await proxy.cut();
    const intentsBefore = stack.zopay.stats.intentsCreated;

    expect(await readiness()).toBe(503);
    // The record cannot be claimed: the create must not reach the provider.
    const create = await stack.graphql(CREATE_PAYMENT_INTENT, { input: ZOPAY_INPUT('outage-during') });
    expect(create.status).toBe(200);
    expect(create.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(stack.zopay.stats.intentsCreated).toBe(intentsBefore);
    const read = await stack.graphql(GET_PAYMENT_INTENT, { id: created.paymentIntent!.id });
    expect(read.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });

    await proxy.restore();
    expect(await readiness()).toBe(200);
    const retried = (
      await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
        input: ZOPAY_INPUT('outage-during'),
      })
    ).data!.createPaymentIntent;
    expect(retried.userErrors).toEqual([]);
    expect(stack.zopay.stats.intentsCreated).toBe(intentsBefore + 1);
  });

  it('never lets the database password into an answer or a log line, nor the database address into an answer', () => {
    const answers = stack.responses.join('\n');
    const logLines = stack.log.entries().map((entry) => JSON.stringify(entry));
    // The operator's log says what failed (the driver's error, with the address it could not reach).
    expect(logLines.some((line) => line.includes('ECONNREFUSED'))).toBe(true);
    expect([answers, ...logLines].join('\n')).not.toContain(DATABASE_PASSWORD);
    expect(answers).not.toContain(`:${proxy.port}`);
    expect(answers).not.toContain('ECONNREFUSED');
  });
});
