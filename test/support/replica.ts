import type { StartedEmulator } from '../../emulators/kit/emulator.ts';
import { postGraphQL, type HttpAnswer } from './http.ts';
import { startArguments } from './app-runtime-facts.ts';
import { killSubgraph, spawnSubgraph, type SubgraphProcess } from './subgraph-process.ts';

export interface Replica {
  readonly process: SubgraphProcess;
  readonly graphqlUrl: string;
  /** Origin of the replica, e.g. http://127.0.0.1:43210, for its other routes. */
  readonly origin: string;
  /** A GraphQL POST, with the router's headers (e.g. x-router-secret) when given. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<HttpAnswer>;
}

export interface ReplicaOptions {
  readonly zopay: StartedEmulator;
  readonly ziina: StartedEmulator;
  /** The store: DATABASE_URL (shared PostgreSQL) or DATA_DIR (PGlite). */
  readonly store: { readonly DATABASE_URL: string } | { readonly DATA_DIR: string };
  readonly env?: Record<string, string>;
}

/**
 * One subgraph replica as production runs it: its own process (`npm start`'s command), the
 * providers configured by key and URL (here the emulators of the test process, shared by every
 * replica as the real providers would be), and a store.
 */
export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const process = spawnSubgraph(globalThis.process.execPath, await startArguments(), {
    HOST: '127.0.0.1',
    PORT: '0',
    ZOPAY_API_KEY: options.zopay.apiKey,
    ZOPAY_BASE_URL: options.zopay.baseUrl,
    ZIINA_API_KEY: options.ziina.apiKey,
    ZIINA_BASE_URL: options.ziina.baseUrl,
    ...options.store,
    ...options.env,
  });
  const listening = await process.waitForLog(
    (entry) => entry.msg === 'payments subgraph listening' || entry.level === 60,
    60_000,
  );
  if (listening.level === 60) throw new Error(`replica failed to start: ${JSON.stringify(listening)}`);
  const graphqlUrl = String(listening.graphqlUrl);
  return {
    process,
    graphqlUrl,
    origin: new URL(graphqlUrl).origin,
    graphql: (query, variables, headers) => postGraphQL(graphqlUrl, query, variables, headers),
  };
}

/** Kills the replica like a crash (SIGKILL: no draining, no cleanup) and waits for it to be gone. */
export function crash(replica: Replica): Promise<void> {
  return killSubgraph(replica.process);
}

/** Stops the replica gracefully (SIGTERM) and waits for its exit code. */
export async function stop(replica: Replica): Promise<number | null> {
  replica.process.kill('SIGTERM');
  return replica.process.exited;
}
