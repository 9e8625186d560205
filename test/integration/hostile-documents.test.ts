import { readFile } from 'node:fs/promises';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { call, postGraphQL, postJson, type HttpAnswer } from '../support/http.ts';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import {
  CREATE_PAYMENT_INTENT,
  GET_PAYMENT_INTENT,
  LIST_PAYMENT_INTENTS,
  PAYMENT_INTENT_FIELDS,
  IDE_INTROSPECTION_QUERY,
} from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// Documents built to make the subgraph work without bound are refused before anything executes,
// in milliseconds, while a cheap request beside them stays fast; and the documents frontends and
// IDEs really send still pass (src/graphql/request-limits.ts, default limits).

const stack = useTestStack();

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

/** 40 aliases of a 100-item page × 40 aliases of its edges × 40 of their nodes, through fragments (3.1 KB). */
const MULTIPLYING = `{ ${aliases(40, 'paymentIntents(first: 100) { ...Edges }')} }
  fragment Edges on PaymentIntentConnection { ${aliases(40, 'edges { ...Node }')} }
  fragment Node on PaymentIntentEdge { ${aliases(40, 'node { id amount { amount currency } }')} }`;

const HOSTILE: readonly (readonly [string, string, RegExp])[] = [
  ['the multiplying document', MULTIPLYING, /Aliases limit of 15 exceeded/],
  [
    'the multiplying document within the alias limit',
    `{ ${aliases(15, 'paymentIntents(first: 100) { edges { node { ...PaymentIntentFields } } }')} } ${PAYMENT_INTENT_FIELDS}`,
    /would cost \d+, more than the limit of 5000/,
  ],
  [
    'the 79 KB fan-out of 1,000 aliased provider reads',
    `{ ${aliases(1_000, 'paymentIntent(id: "ziina:3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d") { id }')} }`,
    /Document contains more th\w+ 2000 tokens/,
  ],
  [
    'an alias flood within the token limit',
    `query($id: ID!) { ${aliases(100, 'paymentIntent(id: $id) { id }')} }`,
    /Aliases limit of 15 exceeded, found 100/,
  ],
  [
    'deep nesting through introspection',
    `{ __schema { types { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } } }`,
    /Query depth limit of 15 exceeded/,
  ],
  ['a huge document', `{ ${'__typename '.repeat(50_000)}}`, /Document contains more th\w+ 2000 tokens/],
  [
    'a directive flood',
    `{ ${aliases(150, '__typename @skip(if: false)')} }`,
    /Directives limit of 10 exceeded, found 150/,
  ],
];

async function timed(work: () => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; ms: number }> {
  const started = performance.now();
  const answer = await work();
  return { answer, ms: performance.now() - started };
}

describe('hostile documents', () => {
  it.each(HOSTILE)(
    'refuses %s before execution, in milliseconds, while { __typename } stays fast',
    async (name, document, refusal) => {
      const readsBefore = stack().zopay.stats.readRequests + stack().ziina.stats.readRequests;
      const [hostile, cheap] = await Promise.all([
        timed(() => postGraphQL(stack().app.graphqlUrl, document)),
        timed(() => postGraphQL(stack().app.graphqlUrl, '{ __typename }')),
      ]);
      console.log(
        `[figures] ${name} (${Buffer.byteLength(document)} bytes) refused in ${hostile.ms.toFixed(1)} ms; { __typename } beside it: ${cheap.ms.toFixed(1)} ms`,
      );

      expect(hostile.answer.status).toBe(400);
      expect(hostile.answer.json.data).toBeUndefined();
      expect(hostile.answer.json.errors.map((error: { message: string }) => error.message).join('\n')).toMatch(refusal);
      expect(hostile.answer.text.length).toBeLessThan(2_000);
      expect(cheap.answer.json).toEqual({ data: { __typename: 'Query' } });
      // Generous bounds for a shared machine: the finding was 8-9 s for the first, 7.6 s for the second.
      expect(hostile.ms).toBeLessThan(1_000);
      expect(cheap.ms).toBeLessThan(1_000);
      expect(stack().zopay.stats.readRequests + stack().ziina.stats.readRequests).toBe(readsBefore);
    },
  );
});

describe('the documents frontends and IDEs send', () => {
  /** The GraphQL documents of the README's examples, as copied from its curl commands. */
  async function readmeDocuments(): Promise<string[]> {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    return [...readme.matchAll(/"query": "((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
  }

  const introspections = [getIntrospectionQuery(), IDE_INTROSPECTION_QUERY];

  it('admits every example of the README, with its variables', async () => {
    const documents = await readmeDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const query of documents) {
      const variables = {
        input: query.includes('zopay') ? zopayCreateInput() : ziinaCreateInput(),
        id: 'zopay:pi_1',
        filter: {},
      };
      const answer = await postJson(stack().app.graphqlUrl, { query, variables });
      expect(answer.status, `${query}\n${answer.text}`).toBe(200);
      expect(answer.json.errors, answer.text).toBeUndefined();
    }
  });

  it('admits the full-field documents of the contract: a create, a read, a listing at the largest page, 100 entity references', async () => {
    const fullListing = `query { paymentIntents(first: 100) { edges { cursor node { ...PaymentIntentFields } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } ${PAYMENT_INTENT_FIELDS}`;
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on PaymentIntent { ...PaymentIntentFields } } } ${PAYMENT_INTENT_FIELDS}`;
    const representations = Array.from({ length: 100 }, (_, index) => ({
      __typename: 'PaymentIntent',
      id: `zopay:pi_${index}`,
    }));
    for (const [query, variables] of [
      [CREATE_PAYMENT_INTENT, { input: zopayCreateInput() }],
      [GET_PAYMENT_INTENT, { id: 'zopay:pi_1' }],
      [LIST_PAYMENT_INTENTS, { first: 100 }],
      [fullListing, {}],
      [entities, { r: representations }],
    ] as const) {
      const answer = await postGraphQL(stack().app.graphqlUrl, query, variables);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.errors, answer.text).toBeUndefined();
    }
  });

  it.each(
    introspections.map((query, index) => [
      index === 0 ? 'the default' : 'with every option (GraphiQL, Apollo Sandbox)',
      query,
    ]),
  )('admits the introspection query %s', async (_case, query) => {
    const answer = await postGraphQL(stack().app.graphqlUrl, query);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.data.__schema.queryType).toMatchObject({ name: 'Query' });
  });

  it('admits a GET of the same introspection, as IDEs may send it', async () => {
    const url = new URL(stack().app.graphqlUrl);
    url.searchParams.set('query', introspections[0]!);
    const answer = await call(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(answer.status, answer.text).toBe(200);
  });
});
