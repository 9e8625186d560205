// npm run bench:reads: what one `_entities` request with 100 PaymentIntent references costs, with
// the intents served from the store (within the freshness window) and refreshed from the
// providers (window 0), on PostgreSQL and on PGlite. All four stacks run side by side and take
// turns in every round, so that a noisy machine weighs on each alike; medians are quoted.
import { createInput } from '../support/builders.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import type { StoreEngine } from '../support/test-database.ts';

const INTENTS = 100;
const WARMUP_ROUNDS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on PaymentIntent {
        id
        status
        amount {
          amount
          currency
        }
      }
    }
  }
`;

interface Subject {
  readonly name: string;
  readonly stack: TestStack;
  readonly representations: { __typename: 'PaymentIntent'; id: string }[];
  readonly samplesMs: number[];
}

async function subject(engine: StoreEngine, fromStore: boolean): Promise<Subject> {
  const stack = await startTestStack({
    store: engine,
    env: { INTENT_FRESHNESS_MS: fromStore ? '3600000' : '0', LOG_LEVEL: 'warn' },
  });
  const representations: Subject['representations'] = [];
  for (let index = 0; index < INTENTS; index += 1) {
    const answer = await stack.graphql(
      'mutation ($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id } } }',
      { input: createInput({ provider: index % 2 === 0 ? 'ZOPAY' : 'ZIINA', clientMutationId: `bench-${index}` }) },
    );
    representations.push({ __typename: 'PaymentIntent', id: answer.data!.createPaymentIntent.paymentIntent.id });
  }
  return {
    name: `${engine}, ${fromStore ? 'from the store' : 'refreshed from the providers'}`,
    stack,
    representations,
    samplesMs: [],
  };
}

async function lookUp(target: Subject): Promise<number> {
  const started = performance.now();
  const answer = await target.stack.graphql(ENTITIES, { representations: target.representations });
  const elapsed = performance.now() - started;
  if (answer.errors !== undefined || answer.data?._entities.length !== INTENTS)
    throw new Error(`${target.name}: ${answer.text.slice(0, 300)}`);
  return elapsed;
}

function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const subjects: Subject[] = [];
for (const engine of ['postgres', 'pglite'] as const) {
  for (const fromStore of [true, false]) subjects.push(await subject(engine, fromStore));
}
try {
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round += 1) {
    // A different subject goes first in each round.
    const order = subjects.map((_, index) => subjects[(index + round) % subjects.length]!);
    for (const target of order) {
      const elapsed = await lookUp(target);
      if (round >= WARMUP_ROUNDS) target.samplesMs.push(elapsed);
    }
  }
  const baseline = quantile(subjects[0]!.samplesMs, 0.5);
  console.log(
    `_entities with ${INTENTS} PaymentIntent references, ${ROUNDS} rounds (after ${WARMUP_ROUNDS} warm-up rounds)`,
  );
  for (const { name, samplesMs } of subjects) {
    const median = quantile(samplesMs, 0.5);
    console.log(
      `${name.padEnd(44)} median ${median.toFixed(1).padStart(6)} ms   p90 ${quantile(samplesMs, 0.9).toFixed(1).padStart(6)} ms   ×${(median / baseline).toFixed(2)} of the first`,
    );
  }
} finally {
  await Promise.all(subjects.map((target) => target.stack.stop()));
}
