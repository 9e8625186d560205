// The request bodies of the benchmark's scenarios. Every GraphQL answer selects what the bare proxy
// answers (id and status), so that the subgraph and the yardstick write the same data back.

const READ = 'query Read($id: ID!) { paymentIntent(id: $id) { id status } }';

const CREATE =
  'mutation Create($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { replayed paymentIntent { id status } userErrors { code message } } }';

const ENTITIES =
  'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on PaymentIntent { id status } } }';

export function readBody(id: string): string {
  return JSON.stringify({ query: READ, operationName: 'Read', variables: { id } });
}

/** The Apollo floor's read that makes the provider GET (bench/apollo-floor.ts): the provider's id. */
export function providerReadBody(providerId: string): string {
  return JSON.stringify({
    query: 'query Read($id: ID!) { providerIntent(id: $id) { id status } }',
    operationName: 'Read',
    variables: { id: providerId },
  });
}

/** The input of the benchmark's creates at each provider: 10.50 USDT at Zopay, 10.50 AED at Ziina. */
const CREATE_INPUTS = {
  zopay: { amount: '10.50', currencies: ['USDT'] },
  ziina: { amountMinor: 1050, currencyCode: 'AED' },
} as const;

export type BenchProvider = keyof typeof CREATE_INPUTS;

/** A create at the provider under the key; `{{seq}}` in it makes a new key per request. */
export function createBody(clientMutationId: string, provider: BenchProvider = 'zopay'): string {
  return JSON.stringify({
    query: CREATE,
    operationName: 'Create',
    variables: { input: { clientMutationId, provider: { [provider]: CREATE_INPUTS[provider] } } },
  });
}

/** `_entities` with `count` references to the ids in turn (a router's batch, with repeats). */
export function entitiesBody(ids: readonly string[], count: number): string {
  const representations = Array.from({ length: count }, (_, index) => ({
    __typename: 'PaymentIntent',
    id: ids[index % ids.length]!,
  }));
  return JSON.stringify({ query: ENTITIES, operationName: 'Entities', variables: { representations } });
}

/** The bare proxy's request: the provider's id of the intent, nothing else. */
export function bareReadBody(providerId: string): string {
  return JSON.stringify({ id: providerId });
}

/** Sends one GraphQL body and returns `data`, throwing on errors or user errors. */
export async function graphql(url: string, body: string): Promise<Record<string, unknown>> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await answer.text();
  const parsed = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown };
  if (answer.status !== 200 || parsed.errors !== undefined || text.includes('"userErrors":[{'))
    throw new Error(`${url}: ${answer.status} ${text.slice(0, 300)}`);
  return parsed.data!;
}
