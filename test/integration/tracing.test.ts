import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { LISTENING_LOG_MESSAGE } from '../support/app-runtime-facts.ts';
import { ziinaCreateInput } from '../support/builders.ts';
import { providerIdOf } from '../support/emulator-admin.ts';
import { postGraphQL } from '../support/http.ts';
import { useStarted } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT } from '../support/operations.ts';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { startRecordingForwarder } from '../support/recording-forwarder.ts';
import { spawnSubgraph } from '../support/subgraph-process.ts';
import { createTestSchema } from '../support/test-database.ts';

// The subgraph as `npm start` runs it, with the standard OTEL_* variables pointing at an OTLP
// receiver started here: a create sent with the router's `traceparent` must arrive as one trace,
// from the router's span through the operation to the store and to the provider.

const ROUTER_SECRET = 'router-secret-for-the-tracing-test-0123456789';
const WEBHOOK_SECRET = 'ziina-webhook-secret-for-the-tracing-test';
const DATABASE_PASSWORD = 'database-password-never-in-a-span';
const PROCESS_TIMEOUT_MS = 60_000;
const SERVER = 2;
const CLIENT = 3;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Ziina (through a recording hop, to see what reaches the provider), Zopay, a database, a receiver: then the subgraph. */
async function startTracedSubgraph(protocol: 'http/json' | 'http/protobuf') {
  const [receiver, zopay, ziina, schema] = await Promise.all([
    startOtlpReceiver(),
    startZopayEmulator(),
    startZiinaEmulator(),
    createTestSchema(),
  ]);
  const ziinaHop = await startRecordingForwarder(ziina.baseUrl);
  const databaseUrl = new URL(schema.databaseUrl);
  // The test server trusts every local connection: a password is accepted and must stay a secret.
  databaseUrl.password = DATABASE_PASSWORD;
  const subgraph = spawnSubgraph(process.execPath, ['src/main.ts'], {
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl.href,
    ZOPAY_API_KEY: zopay.apiKey,
    ZOPAY_BASE_URL: zopay.baseUrl,
    ZIINA_API_KEY: ziina.apiKey,
    ZIINA_BASE_URL: ziinaHop.baseUrl,
    ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ROUTER_SECRET,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  const stop = async () => {
    subgraph.kill('SIGKILL');
    await subgraph.exited;
    await Promise.all([receiver.close(), zopay.close(), ziina.close(), ziinaHop.close()]);
    await schema.drop();
  };
  let graphqlUrl: string;
  try {
    ({ graphqlUrl } = (await subgraph.waitForLog(
      (entry) => entry.msg === LISTENING_LOG_MESSAGE,
      PROCESS_TIMEOUT_MS,
    )) as {
      graphqlUrl: string;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { receiver, zopay, ziina, ziinaHop, subgraph, graphqlUrl, stop };
}

/** The spans of one trace, and whether one descends from another. */
function traceOf(spans: readonly ReceivedSpan[], traceId: string) {
  const own = spans.filter((span) => span.traceId === traceId);
  const byId = new Map(own.map((span) => [span.spanId, span]));
  const descendsFrom = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
    for (
      let parent = byId.get(span.parentSpanId ?? '');
      parent !== undefined;
      parent = byId.get(parent.parentSpanId ?? '')
    )
      if (parent.spanId === ancestor.spanId) return true;
    return false;
  };
  return { spans: own, descendsFrom };
}

const traced = useStarted(
  () => startTracedSubgraph('http/json'),
  (started) => started.stop(),
  PROCESS_TIMEOUT_MS,
);

function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postGraphQL(traced().graphqlUrl, query, variables, { 'x-router-secret': ROUTER_SECRET, ...headers });
}

describe('traces, with OTEL_EXPORTER_OTLP_ENDPOINT set (OTLP/HTTP JSON)', () => {
  it(
    "continues the router's trace: operation span under the router's, store and provider spans under it, traceparent sent on to the provider",
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const traceId = hex(16);
      const routerSpanId = hex(8);
      const answer = await post(
        CREATE_PAYMENT_INTENT,
        { input: ziinaCreateInput({}, 'traced-create-1') },
        { traceparent: `00-${traceId}-${routerSpanId}-01` },
      );
      expect(answer.json.data.createPaymentIntent.userErrors).toEqual([]);

      const spans = await traced().receiver.waitFor((received) =>
        received.some((span) => span.traceId === traceId && span.kind === SERVER),
      );
      const trace = traceOf(spans, traceId);
      const operation = trace.spans.find((span) => span.kind === SERVER)!;
      expect(operation).toMatchObject({
        name: 'mutation Create',
        parentSpanId: routerSpanId,
        attributes: {
          'graphql.operation.type': 'mutation',
          'graphql.operation.name': 'Create',
          'http.request.method': 'POST',
          'http.route': '/graphql',
          'http.response.status_code': 200,
          'payments.graphql.outcome': 'ok',
          'payments.request_id': answer.headers.get('x-request-id'),
        },
        resource: { 'service.name': 'payments-subgraph' },
      });

      const providerCall = trace.spans.find(
        (span) => span.kind === CLIENT && span.attributes['http.request.method'] === 'POST',
      );
      expect(providerCall).toBeDefined();
      expect(trace.descendsFrom(providerCall!, operation)).toBe(true);
      expect(providerCall!.attributes).toMatchObject({
        'http.response.status_code': 201,
        'server.address': '127.0.0.1',
      });
      const sent = traced().ziinaHop.received.find((request) => request.method === 'POST');
      expect(sent?.headers.traceparent).toBe(`00-${traceId}-${providerCall!.spanId}-01`);

      const statements = trace.spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
      expect(statements.map((span) => span.name)).toEqual(
        expect.arrayContaining(['INSERT idempotency_records', 'WITH payment_intents']),
      );
      for (const statement of statements) {
        expect(statement.kind).toBe(CLIENT);
        expect(trace.descendsFrom(statement, operation)).toBe(true);
        expect(statement.attributes).toMatchObject({
          'payments.store.engine': 'pg',
          'db.query.text': expect.stringContaining('$1'),
        });
      }
    },
  );

  it('keeps answering the inline traces (ftv1) the router asks for', async () => {
    const answer = await post(
      GET_PAYMENT_INTENT,
      { id: 'ziina:00000000-0000-4000-8000-000000000000' },
      {
        'apollo-federation-include-trace': 'ftv1',
      },
    );
    expect(answer.json.extensions?.ftv1).toEqual(expect.any(String));
  });

  it(
    'traces a webhook delivery in a trace of its own, with its store statement',
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const { ziina, graphqlUrl, receiver } = traced();
      await ziinaWebhook.register(ziina, new URL(ziinaWebhook.path, graphqlUrl).href, WEBHOOK_SECRET);
      const created = await post(CREATE_PAYMENT_INTENT, { input: ziinaCreateInput({}, 'traced-webhook-1') });
      expect(ziina.setStatus(providerIdOf(created.json.data.createPaymentIntent.paymentIntent.id), 'completed')).toBe(
        true,
      );

      const spans = await receiver.waitFor((received) => received.some((span) => span.name === 'POST /webhooks/ziina'));
      const delivery = spans.find((span) => span.name === 'POST /webhooks/ziina')!;
      expect(delivery).toMatchObject({ kind: SERVER, attributes: { 'http.response.status_code': 200 } });
      expect(delivery.parentSpanId ?? '').toBe('');
      const withStatements = await receiver.waitFor((received) =>
        received.some((span) => span.traceId === delivery.traceId && span.name === 'WITH payment_intents'),
      );
      expect(traceOf(withStatements, delivery.traceId).spans.length).toBeGreaterThan(1);
    },
  );

  it('exports no key, secret or password, in any span or resource', () => {
    const { receiver, zopay, ziina } = traced();
    const exported = JSON.stringify(receiver.spans);
    expect(receiver.spans.length).toBeGreaterThan(0);
    for (const secret of [zopay.apiKey, ziina.apiKey, ROUTER_SECRET, WEBHOOK_SECRET, DATABASE_PASSWORD])
      expect(exported).not.toContain(secret);
  });
});

describe('traces over the default protocol (OTLP/HTTP protobuf)', () => {
  const protobuf = useStarted(
    () => startTracedSubgraph('http/protobuf'),
    (running) => running.stop(),
    PROCESS_TIMEOUT_MS,
  );

  it('sends them to /v1/traces as application/x-protobuf', { timeout: PROCESS_TIMEOUT_MS }, async () => {
    await postGraphQL(
      protobuf().graphqlUrl,
      GET_PAYMENT_INTENT,
      { id: 'zopay:pi_unknown' },
      {
        'x-router-secret': ROUTER_SECRET,
      },
    );
    const deadline = Date.now() + 15_000;
    while (protobuf().receiver.exports.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(protobuf().receiver.exports[0]).toEqual({
      contentType: 'application/x-protobuf',
      bytes: expect.any(Number),
    });
  });
});
