import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startArguments } from '../test/support/app-runtime-facts.ts';
import { createTestSchema } from '../test/support/test-database.ts';
import { freePort } from './free-port.ts';
import { createBody, graphql } from './operations.ts';
import { startServer, type ServerProcess } from './server-process.ts';

export type Store = 'pglite' | 'postgres';

/** Intents each subgraph stores before the load: `_entities` references 30 distinct ones. */
export const SEEDED_INTENTS = 30;

/** Long enough that no read of the run falls outside it. */
const FRESH_MS = 3_600_000;

export interface Provider {
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** `fresh`: every stored intent is inside the freshness window; `stale`: none is (window 0). */
export type Freshness = 'fresh' | 'stale';

export interface Subgraph {
  readonly store: Store;
  readonly freshness: Freshness;
  /** The checkout whose code it runs, by its folder's name; null for this one. */
  readonly checkout: string | null;
  readonly server: ServerProcess;
  readonly graphqlUrl: string;
  readonly metricsUrl: string;
  /** The ids of its seeded Zopay intents; each was created under the key `seed-<index>`. */
  readonly ids: readonly string[];
}

/** The key its one seeded Ziina intent was created under: the same input replays it. */
export const SEEDED_ZIINA_KEY = 'seed-ziina';

export interface BenchStack {
  /** The Zopay and Ziina emulators every subgraph and the bare proxy call, in a process of their own. */
  readonly emulators: ServerProcess;
  readonly zopay: Provider;
  readonly bareProxy: ServerProcess;
  readonly bareProxyUrl: string;
  /** Apollo Server alone, with a constant answer and with the bare proxy's GET (bench/apollo-floor.ts). */
  readonly apolloFloor: ServerProcess;
  readonly apolloFloorUrl: string;
  readonly subgraphs: readonly Subgraph[];
  stop(): Promise<void>;
}

/** Stops the stack's processes when the benchmark is interrupted (Ctrl-C), rather than leave them running. */
export function stopOnInterrupt(stack: BenchStack): void {
  const interrupted = (signal: NodeJS.Signals) => {
    void stack.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}

export interface BenchStackOptions {
  readonly stores: readonly Store[];
  /** The subgraphs of each store (both by default). */
  readonly freshness?: readonly Freshness[];
  /**
   * Other checkouts of this repository (folders, their dependencies installed), each run beside this
   * one with the same Node and options, for `npm run bench:compare`.
   */
  readonly checkouts?: readonly string[];
  /** Node options of each subgraph process, e.g. --cpu-prof. */
  readonly subgraphNodeOptions?: (store: Store, freshness: Freshness) => readonly string[];
  /** Node options of the bare proxy's and Apollo Server alone's processes. */
  readonly yardstickNodeOptions?: readonly string[];
}

/**
 * Starts the provider emulators, the bare proxy and, per store, one subgraph inside the freshness
 * window and one outside it, each on a store of its own, seeded with SEEDED_INTENTS intents. Each
 * is a process of its own, on 127.0.0.1; they start one after the other, so that each start-up
 * time is its own.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const emulators = await startServer({
      name: 'provider emulators',
      args: ['src/app/emulators-cli.ts'],
      env: { ZOPAY_EMULATOR_PORT: String(await freePort()), ZIINA_EMULATOR_PORT: String(await freePort()) },
      ready: (announced) => announced.filter((entry) => 'emulator' in entry).length === 2,
    });
    cleanups.push(() => emulators.stop());
    const emulator = (id: string) => emulators.announced.find((entry) => entry.emulator === id) as unknown as Provider;
    const zopay = emulator('zopay');
    const ziina = emulator('ziina');
    const { server: bareProxy, port: barePort } = await startYardstick(
      'bare proxy',
      'bench/bare-proxy.ts',
      zopay,
      options.yardstickNodeOptions,
      cleanups,
    );
    const { server: apolloFloor, port: floorPort } = await startYardstick(
      'apollo floor',
      'bench/apollo-floor.ts',
      zopay,
      options.yardstickNodeOptions,
      cleanups,
    );

    const subgraphs: Subgraph[] = [];
    // As `npm start` runs it, Node options included; another checkout's entry point in its place.
    const args = await startArguments();
    const entryPoint = args.findIndex((arg) => arg.endsWith('.ts'));
    const argsOf = (checkout: string | undefined) => {
      if (checkout === undefined) return args;
      if (entryPoint === -1) throw new Error('npm start names no .ts entry point to run from another checkout');
      return args.with(entryPoint, join(checkout, args[entryPoint]!));
    };
    const starts = [undefined, ...(options.checkouts ?? [])].flatMap((checkout) =>
      options.stores.flatMap((store) =>
        (options.freshness ?? (['fresh', 'stale'] as const)).map((freshness) => ({ checkout, store, freshness })),
      ),
    );
    for (const { checkout, store, freshness } of starts) {
      const storeEnv = await openStore(store, cleanups);
      const server = await startServer({
        name: `subgraph on ${store}, ${freshness}${checkout === undefined ? '' : ` (${checkout})`}`,
        args: argsOf(checkout),
        nodeOptions: options.subgraphNodeOptions?.(store, freshness) ?? [],
        env: {
          ...storeEnv,
          HOST: '127.0.0.1',
          PORT: '0',
          // As deployed: one log line per operation.
          LOG_LEVEL: 'info',
          ZOPAY_API_KEY: zopay.apiKey,
          ZOPAY_BASE_URL: zopay.baseUrl,
          // The emulators' process, not an emulator embedded in the subgraph's.
          ZIINA_API_KEY: ziina.apiKey,
          ZIINA_BASE_URL: ziina.baseUrl,
          INTENT_FRESHNESS_MS: String(freshness === 'fresh' ? FRESH_MS : 0),
        },
        ready: (announced) => announced.some((entry) => entry.msg === 'payments subgraph listening'),
      });
      cleanups.push(() => server.stop());
      const graphqlUrl = String(server.announced.find((entry) => 'graphqlUrl' in entry)!.graphqlUrl);
      subgraphs.push({
        store,
        freshness,
        checkout: checkout === undefined ? null : basename(checkout),
        server,
        graphqlUrl,
        metricsUrl: new URL('/metrics', graphqlUrl).toString(),
        ids: await seed(graphqlUrl),
      });
    }
    return {
      emulators,
      zopay,
      bareProxy,
      bareProxyUrl: `http://127.0.0.1:${barePort}/`,
      apolloFloor,
      apolloFloorUrl: `http://127.0.0.1:${floorPort}/graphql`,
      subgraphs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A yardstick of bench/ reading from the Zopay emulator; it logs `<name> listening` with its port. */
async function startYardstick(
  name: string,
  script: string,
  zopay: Provider,
  nodeOptions: readonly string[] | undefined,
  cleanups: (() => Promise<void>)[],
): Promise<{ server: ServerProcess; port: number }> {
  const listening = `${name} listening`;
  const server = await startServer({
    name,
    args: [script],
    nodeOptions: nodeOptions ?? [],
    env: { PROVIDER_BASE_URL: zopay.baseUrl, PROVIDER_API_KEY: zopay.apiKey },
    ready: (announced) => announced.some((entry) => entry.msg === listening),
  });
  cleanups.push(() => server.stop());
  return { server, port: Number(server.announced.find((entry) => entry.msg === listening)!.port) };
}

/** The environment of a subgraph on a store of its own: a fresh data folder, or a fresh schema. */
async function openStore(store: Store, cleanups: (() => Promise<void>)[]): Promise<Record<string, string>> {
  if (store === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'payments-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    return { DATA_DIR: dataDir };
  }
  const schema = await createTestSchema();
  cleanups.push(() => schema.drop());
  return { DATABASE_URL: schema.databaseUrl };
}

async function seed(graphqlUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < SEEDED_INTENTS; index += 1) {
    const data = await graphql(graphqlUrl, createBody(`seed-${index}`));
    ids.push((data.createPaymentIntent as { paymentIntent: { id: string } }).paymentIntent.id);
  }
  await graphql(graphqlUrl, createBody(SEEDED_ZIINA_KEY, 'ziina'));
  return ids;
}
