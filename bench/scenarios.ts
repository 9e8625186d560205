import { SEEDED_ZIINA_KEY, type BenchStack, type Store, type Subgraph } from './bench-stack.ts';
import type { LoadPlan } from './load-plan.ts';
import { bareReadBody, createBody, entitiesBody, providerReadBody, readBody } from './operations.ts';
import type { ServerProcess } from './server-process.ts';

/** References in one `_entities` request (to the SEEDED_INTENTS distinct intents, in turn). */
export const ENTITY_REFERENCES = 100;

export type ScenarioKind =
  | 'bare-proxy'
  | 'provider-emulator'
  | 'apollo-alone'
  | 'apollo-provider-get'
  | 'read-fresh'
  | 'read-stale'
  | 'create-replayed'
  | 'create-replayed-ziina'
  | 'create-new'
  | 'entities';

/** What the targets hold to the yardstick: reads of a stored intent and replayed creates. */
const TARGETED: ReadonlySet<ScenarioKind> = new Set([
  'read-fresh',
  'read-stale',
  'create-replayed',
  'create-replayed-ziina',
]);

const LABELS: Record<ScenarioKind, string> = {
  'bare-proxy': 'bare proxy (one provider GET through undici)',
  'provider-emulator': 'provider emulator alone (GET intent)',
  'apollo-alone': 'Apollo Server alone, the read answered by a constant',
  'apollo-provider-get': 'Apollo Server alone, the read one provider GET',
  'read-fresh': 'paymentIntent(id), inside the window',
  'read-stale': 'paymentIntent(id), outside the window',
  'create-replayed': 'createPaymentIntent, replayed key, Zopay',
  'create-replayed-ziina': 'createPaymentIntent, replayed key, Ziina',
  'create-new': 'createPaymentIntent, new key, Zopay',
  entities: `_entities, ${ENTITY_REFERENCES} references (30 distinct)`,
};

export interface Scenario {
  /** e.g. `pglite/read-fresh`, `limit/bare-proxy`. */
  readonly id: string;
  readonly label: string;
  readonly store: Store | 'limit';
  readonly kind: ScenarioKind;
  /** The process whose CPU time and memory the scenario's figures are. */
  readonly server: ServerProcess;
  readonly request: Pick<LoadPlan, 'url' | 'method' | 'headers' | 'bodies'>;
  readonly targeted: boolean;
}

export function scenariosOf(stack: BenchStack): Scenario[] {
  const [firstId] = stack.subgraphs[0]?.ids ?? [];
  const providerId = firstId?.replace(/^zopay:/, '') ?? '';
  const limits: Scenario[] = [
    scenario('limit', 'bare-proxy', stack.bareProxy, { url: stack.bareProxyUrl, bodies: [bareReadBody(providerId)] }),
    scenario('limit', 'provider-emulator', stack.emulators, {
      url: `${stack.zopay.baseUrl}/payment-intents/${encodeURIComponent(providerId)}`,
      method: 'GET',
      headers: { authorization: `Bearer ${stack.zopay.apiKey}` },
      bodies: [],
    }),
    scenario('limit', 'apollo-alone', stack.apolloFloor, { url: stack.apolloFloorUrl, bodies: [readBody(firstId!)] }),
    scenario('limit', 'apollo-provider-get', stack.apolloFloor, {
      url: stack.apolloFloorUrl,
      bodies: [providerReadBody(providerId)],
    }),
  ];
  return [...limits, ...stack.subgraphs.flatMap(subgraphScenarios)];
}

/** A subgraph's scenarios; those of another checkout's subgraph say so in their id (`postgres/read-stale@wt`). */
function subgraphScenarios(subgraph: Subgraph): Scenario[] {
  const scenarios = scenariosOfSubgraph(subgraph);
  const { checkout } = subgraph;
  return checkout === null ? scenarios : scenarios.map((each) => ({ ...each, id: `${each.id}@${checkout}` }));
}

function scenariosOfSubgraph(subgraph: Subgraph): Scenario[] {
  const { store, server, graphqlUrl: url, ids } = subgraph;
  const [id] = ids;
  if (subgraph.freshness === 'stale') return [scenario(store, 'read-stale', server, { url, bodies: [readBody(id!)] })];
  return [
    scenario(store, 'read-fresh', server, { url, bodies: [readBody(id!)] }),
    // seed-0 is the key the first seeded intent was created under: the same input replays it.
    scenario(store, 'create-replayed', server, { url, bodies: [createBody('seed-0')] }),
    scenario(store, 'create-replayed-ziina', server, { url, bodies: [createBody(SEEDED_ZIINA_KEY, 'ziina')] }),
    scenario(store, 'create-new', server, { url, bodies: [createBody('new-{{seq}}')] }),
    scenario(store, 'entities', server, { url, bodies: [entitiesBody(ids, ENTITY_REFERENCES)] }),
  ];
}

function scenario(
  store: Scenario['store'],
  kind: ScenarioKind,
  server: ServerProcess,
  request: Omit<Scenario['request'], 'method'> & { method?: LoadPlan['method'] },
): Scenario {
  return {
    id: `${store}/${kind}`,
    label: LABELS[kind],
    store,
    kind,
    server,
    request: { method: 'POST', ...request },
    targeted: TARGETED.has(kind),
  };
}
