import { describe, expect, it } from 'vitest';
import { zopayCreateInput } from '../support/builders.ts';
import { useStarted } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, createThroughGraphQL, GET_PAYMENT_INTENT } from '../support/operations.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { createTestSchema } from '../support/test-database.ts';
import { useTestStack } from '../support/test-stack.ts';

// The shared PostgreSQL goes away under a running replica (through a proxy that the test cuts).
// The machine's server trusts local connections, so the password here is never checked: it is
// there to prove that no answer and no log line ever carries it.

const DATABASE_PASSWORD = 'Pg-Passw0rd-that-must-not-leak';

// Started in this order, stopped in the reverse one.
const schema = useStarted(createTestSchema, (created) => created.drop());
const proxy = useStarted(
  () => {
    const server = new URL(schema().databaseUrl);
    return startTcpProxy(server.hostname, Number(server.port || 5432));
  },
  (started) => started.close(),
);
const stack = useTestStack(() => {
  const throughProxy = new URL(schema().databaseUrl);
  throughProxy.port = String(proxy().port);
  throughProxy.password = DATABASE_PASSWORD;
  return { env: { DATABASE_URL: throughProxy.toString() } };
});

async function readiness(): Promise<number> {
  return (await fetch(new URL('/health/ready', stack().app.graphqlUrl))).status;
}

describe('when the store goes away', () => {
  it('turns unready, answers masked errors without creating anything, and recovers when the store is back', async () => {
    const created = await createThroughGraphQL(stack(), zopayCreateInput({}, 'outage-before'));
    expect(created.userErrors).toEqual([]);
    expect(await readiness()).toBe(200);

    await proxy().cut();
    const intentsBefore = stack().zopay.stats.intentsCreated;

    expect(await readiness()).toBe(503);
    // The record cannot be claimed: the create must not reach the provider.
    const create = await stack().graphql(CREATE_PAYMENT_INTENT, { input: zopayCreateInput({}, 'outage-during') });
    expect(create.status).toBe(200);
    expect(create.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(stack().zopay.stats.intentsCreated).toBe(intentsBefore);
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.paymentIntent!.id });
    expect(read.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });

    await proxy().restore();
    expect(await readiness()).toBe(200);
    const retried = await createThroughGraphQL(stack(), zopayCreateInput({}, 'outage-during'));
    expect(retried.userErrors).toEqual([]);
    expect(stack().zopay.stats.intentsCreated).toBe(intentsBefore + 1);
  });

  it('never lets the database password into an answer or a log line, nor the database address into an answer', () => {
    const answers = stack().responses.join('\n');
    const logLines = stack()
      .log.entries()
      .map((entry) => JSON.stringify(entry));
    // The operator's log says what failed (the driver's error, with the address it could not reach).
    expect(logLines.some((line) => line.includes('ECONNREFUSED'))).toBe(true);
    expect([answers, ...logLines].join('\n')).not.toContain(DATABASE_PASSWORD);
    expect(answers).not.toContain(`:${proxy().port}`);
    expect(answers).not.toContain('ECONNREFUSED');
  });
});
