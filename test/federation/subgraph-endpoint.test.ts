import { readFile } from 'node:fs/promises';
import { Kind, parse, type DirectiveNode, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/federation/compose-supergraph.ts';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { uniqueId, zopayCreateInput } from '../support/builders.ts';
import { ORDERS, PAYMENTS, startFederationHarness } from '../support/gateway.ts';
import { useStarted } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, ENTITIES } from '../support/operations.ts';

// The payments subgraph's own endpoint as the router sees it: the shared router secret, inline
// tracing for the router, and the SDL it serves for composition.

const federation = useStarted(startFederationHarness, (harness) => harness.stop());

const PROBE = { query: '{ paymentIntent(id: "not-an-issued-id") { id } }' };
const withSecret = () => ({ [ROUTER_SECRET_HEADER]: federation().routerSecret });

describe('ROUTER_SECRET', () => {
  it('refuses a direct /graphql request without the header, or with a wrong one, with 401', async () => {
    const readsBefore = federation().stack.zopay.stats.readRequests + federation().stack.ziina.stats.readRequests;
    const wrongSameLength = federation().routerSecret.replace(/.$/, (last) => (last === 'x' ? 'y' : 'x'));
    const refused: Record<string, string>[] = [
      {},
      { [ROUTER_SECRET_HEADER]: wrongSameLength },
      { [ROUTER_SECRET_HEADER]: 'short' },
      { [ROUTER_SECRET_HEADER]: '' },
    ];
    for (const headers of refused) {
      const answer = await federation().subgraph({ query: '{ paymentIntent(id: "zopay:pi_x") { id } }' }, headers);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
      expect(answer.text).not.toContain(federation().routerSecret);
    }
    // Refused before parsing: a body that is not even JSON is a 401, not a 400.
    const garbage = await fetch(federation().stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(401);
    // Nothing was executed, so nothing reached a provider.
    expect(federation().stack.zopay.stats.readRequests + federation().stack.ziina.stats.readRequests).toBe(readsBefore);
  });

  it('serves the same request when it carries the secret', async () => {
    const answer = await federation().subgraph(PROBE, withSecret());
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: { paymentIntent: null } });
  });

  it('keeps /health/live and /health/ready open without the header', async () => {
    for (const path of ['/health/live', '/health/ready']) {
      const response = await fetch(new URL(path, federation().stack.app.graphqlUrl));
      expect(response.status, path).toBe(200);
    }
  });

  it('works through the gateway, which adds the header to every subgraph fetch', async () => {
    const since = federation().fetches.length;
    const answer = await federation().gateway(
      '{ paymentIntent(id: "ziina:00000000-0000-4000-8000-000000000000") { id status } orders { id } }',
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: { paymentIntent: null, orders: [] } });
    const fetches = federation().fetches.slice(since);
    expect(fetches.map((fetch) => fetch.subgraph).sort()).toEqual([ORDERS, PAYMENTS]);
    for (const fetch of fetches) expect(fetch.response?.errors).toBeUndefined();
  });
});

describe('_entities with malformed representations', () => {
  /** pino's numeric level of `error`. */
  const ERROR_LEVEL = 50;

  it('fails only the index of each representation without a string id, and resolves the others', async () => {
    const created = await federation().subgraph(
      { query: CREATE_PAYMENT_INTENT, variables: { input: zopayCreateInput({}, uniqueId('representations')) } },
      withSecret(),
    );
    const id = created.json.data.createPaymentIntent.paymentIntent.id as string;
    const unknownId = 'ziina:00000000-0000-4000-8000-000000000000';
    const representations = [
      { __typename: 'PaymentIntent', id },
      { __typename: 'PaymentIntent', id: 5 },
      { __typename: 'PaymentIntent' },
      { __typename: 'PaymentIntent', id: null },
      { __typename: 'PaymentIntent', id: { id } },
      { __typename: 'PaymentIntent', id: [id] },
      { __typename: 'PaymentIntent', id: unknownId },
      { __typename: 'PaymentIntent', id },
    ];
    const malformed = [1, 2, 3, 4, 5];
    const logLinesBefore = federation().stack.log.lines.length;

    const answer = await federation().subgraph({ query: ENTITIES, variables: { representations } }, withSecret());

    expect(answer.status).toBe(200);
    const intent = { id, status: 'REQUIRES_PAYMENT_INSTRUMENT', providerStatus: 'awaiting_payment' };
    expect(answer.json.data._entities).toEqual([intent, null, null, null, null, null, null, intent]);
    expect(answer.json.errors).toEqual(
      malformed.map((index) => ({
        message: 'A PaymentIntent representation needs its key field "id" as a string',
        locations: [expect.any(Object)],
        path: ['_entities', index],
        extensions: { code: 'BAD_USER_INPUT' },
      })),
    );
    // A deliberate answer to the caller's mistake, not an incident of ours.
    const errorLines = federation()
      .stack.log.entries()
      .slice(logLinesBefore)
      .filter((entry) => (entry.level as number) >= ERROR_LEVEL);
    expect(errorLines).toEqual([]);
  });
});

describe('inline tracing for the router (ftv1)', () => {
  it('adds extensions.ftv1, a base64 trace, when the router asks for it', async () => {
    const answer = await federation().subgraph(PROBE, { ...withSecret(), 'apollo-federation-include-trace': 'ftv1' });
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ paymentIntent: null });
    const trace: unknown = answer.json.extensions?.ftv1;
    expect(typeof trace).toBe('string');
    expect(trace).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const bytes = Buffer.from(trace as string, 'base64');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.toString('base64')).toBe(trace);
    // The protobuf carries the resolved field's name.
    expect(bytes.toString('latin1')).toContain('paymentIntent');
  });

  it('adds no trace when the header is absent', async () => {
    const answer = await federation().subgraph(PROBE, withSecret());
    expect(answer.status).toBe(200);
    expect(answer.json.extensions?.ftv1).toBeUndefined();
  });
});

describe('composition from the running subgraph', () => {
  function directivesOf(document: DocumentNode, kind: Kind, name: string): readonly DirectiveNode[] {
    const definition = document.definitions.find(
      (node) => node.kind === kind && 'name' in node && node.name?.value === name,
    );
    if (definition === undefined || !('directives' in definition)) throw new Error(`${name} is not defined`);
    return definition.directives ?? [];
  }

  function argumentsOf(directive: DirectiveNode): Record<string, unknown> {
    return Object.fromEntries(
      (directive.arguments ?? []).map((argument) => [
        argument.name.value,
        argument.value.kind === Kind.ENUM || argument.value.kind === Kind.STRING || argument.value.kind === Kind.BOOLEAN
          ? argument.value.value
          : argument.value.kind,
      ]),
    );
  }

  it('serves an SDL that keeps @oneOf and composes with the orders subgraph into a supergraph without it', async () => {
    const answer = await federation().subgraph({ query: '{ _service { sdl } }' }, withSecret());
    expect(answer.status).toBe(200);
    const sdl = answer.json.data._service.sdl as string;
    expect(sdl).toBe(federation().paymentsSdl);

    const served = parse(sdl);
    expect(served.definitions).toContainEqual(
      expect.objectContaining({ kind: Kind.DIRECTIVE_DEFINITION, name: expect.objectContaining({ value: 'oneOf' }) }),
    );
    expect(
      directivesOf(served, Kind.INPUT_OBJECT_TYPE_DEFINITION, 'PaymentIntentProviderInput').map(
        (directive) => directive.name.value,
      ),
    ).toEqual(['oneOf']);

    const composition = composeSupergraph([
      { name: PAYMENTS, url: federation().stack.app.graphqlUrl, sdl },
      {
        name: ORDERS,
        url: federation().ordersSubgraph.url,
        sdl: await readFile(new URL('../../examples/orders/schema.graphql', import.meta.url), 'utf8'),
      },
    ]);
    if (!composition.ok) throw new Error(`composition failed: ${composition.errors.join('\n')}`);

    const supergraph = parse(composition.supergraphSdl);
    const joins = directivesOf(supergraph, Kind.OBJECT_TYPE_DEFINITION, 'PaymentIntent')
      .filter((directive) => directive.name.value === 'join__type')
      .map(argumentsOf);
    expect(joins).toHaveLength(2);
    expect(joins).toContainEqual({ graph: 'PAYMENTS', key: 'id' });
    expect(joins).toContainEqual({ graph: 'ORDERS', key: 'id', resolvable: false });
    // The supergraph drops @oneOf, so routers on it pass violations to the subgraph (one-of-input.test.ts).
    expect(
      directivesOf(supergraph, Kind.INPUT_OBJECT_TYPE_DEFINITION, 'PaymentIntentProviderInput').map(
        (directive) => directive.name.value,
      ),
    ).toEqual(['join__type']);
    // The graphs are bound to the real, running URLs.
    expect(composition.supergraphSdl).toContain(`url: "${federation().stack.app.graphqlUrl}"`);
    expect(composition.supergraphSdl).toContain(`url: "${federation().ordersSubgraph.url}"`);
  });
});
