import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentNode } from 'graphql';
import type { EmulatorOptions } from '../../emulators/kit/emulator.ts';
import { startZiinaEmulator, type ZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator, type ZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { startPaymentsApp, type PaymentsApp } from '../../src/app/payments-app.ts';
import { configSecrets, loadConfig } from '../../src/config/environment.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { ProviderRegistry } from '../../src/providers/provider-registry.ts';
import { registeredProviders } from '../../src/providers/registered-providers.ts';
import { postGraphQL } from './http.ts';
import { useStarted } from './lifecycle.ts';
import { MemoryLog } from './memory-log.ts';
import { createTestSchema, type StoreEngine } from './test-database.ts';

export interface GraphQLAnswer<TData = Record<string, any>> {
  readonly status: number;
  readonly text: string;
  readonly data: TData | null | undefined;
  readonly errors: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] | undefined;
}

export interface TestStack {
  readonly app: PaymentsApp;
  readonly zopay: ZopayEmulator;
  readonly ziina: ZiinaEmulator;
  readonly log: MemoryLog;
  /** Every raw response body this stack answered, for leak checks. */
  readonly responses: string[];
  graphql<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer<TData>>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** Extra environment for the subgraph (e.g. PROVIDER_DEADLINE_MS); keys and URLs point at the emulators. */
  readonly env?: Record<string, string>;
  readonly emulator?: EmulatorOptions;
  /** Give the subgraph this Zopay key instead of the emulator's (to provoke a 401). */
  readonly zopayApiKey?: string;
  /**
   * The store: a fresh schema on the PostgreSQL server, or PGlite in a fresh folder. Default:
   * TEST_STORE, else postgres (PGlite takes seconds to start; store tests cover both).
   */
  readonly store?: StoreEngine;
  /** The providers served, and the SDL of those not in schema/payments.graphql: default, the registered ones. */
  readonly providers?: ProviderRegistry;
  readonly schemaExtensions?: readonly DocumentNode[];
}

interface TestStore {
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

async function createTestStore(engine: StoreEngine): Promise<TestStore> {
  if (engine === 'postgres') {
    const schema = await createTestSchema();
    return { env: { DATABASE_URL: schema.databaseUrl }, dispose: () => schema.drop() };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'payments-store-'));
  return { env: { DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

/**
 * The real subgraph on 127.0.0.1, talking over HTTP to both emulators, each in this process but
 * reached only through sockets, exactly as `npm start` wires them with configured keys. Other
 * providers a test registers get their built-in emulator, as `npm start` gives them without keys.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const zopay = await startZopayEmulator(options.emulator);
  const ziina = await startZiinaEmulator(options.emulator);
  const store = await createTestStore(options.store ?? (process.env.TEST_STORE === 'pglite' ? 'pglite' : 'postgres'));
  const providers = options.providers ?? registeredProviders;
  const loaded = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      ZOPAY_API_KEY: options.zopayApiKey ?? zopay.apiKey,
      ZOPAY_BASE_URL: zopay.baseUrl,
      ZIINA_API_KEY: ziina.apiKey,
      ZIINA_BASE_URL: ziina.baseUrl,
      PROVIDER_RETRY_BASE_DELAY_MS: '20',
      // Every read asks the provider, unless a test is about freshness.
      INTENT_FRESHNESS_MS: '0',
      // The event loop here is the test runner's, shared with emulators, gateways and other stacks:
      // their stalls (a PGlite start, a composition) are not this app's overload. Process tests
      // measure the delay of a subgraph alone.
      EVENT_LOOP_MAX_DELAY_MS: '60000',
      ...store.env,
      ...options.env,
    },
    providers,
  );
  if (!loaded.ok) throw new Error(`test configuration is invalid: ${loaded.problems.join(', ')}`);
  const log = new MemoryLog();
  const logger = createLogger({ level: 'debug', secrets: configSecrets(loaded.config), destination: log });
  const app = await startPaymentsApp(loaded.config, logger, {
    providers,
    ...(options.schemaExtensions !== undefined && { schemaExtensions: options.schemaExtensions }),
  });
  const responses: string[] = [];

  return {
    app,
    zopay,
    ziina,
    log,
    responses,
    async graphql(query, variables) {
      const answer = await postGraphQL(app.graphqlUrl, query, variables);
      responses.push(answer.text);
      if (typeof answer.json !== 'object' || answer.json === null) {
        throw new Error(`/graphql answered HTTP ${answer.status} without a JSON object: ${answer.text}`);
      }
      const body = answer.json as { data?: any; errors?: GraphQLAnswer['errors'] };
      return { status: answer.status, text: answer.text, data: body.data, errors: body.errors };
    },
    async stop() {
      await app.stop();
      await Promise.all([zopay.close(), ziina.close()]);
      await store.dispose();
    },
  };
}

/**
 * A test stack for the enclosing describe block (or file): started before its tests, handed to
 * `onStarted` (which may also prepare data), stopped after them. Returns an accessor of the stack.
 * Options that depend on something started earlier in the block can be given as a function.
 */
export function useTestStack(
  options: TestStackOptions | (() => TestStackOptions) = {},
  onStarted: (stack: TestStack) => void | Promise<void> = () => undefined,
): () => TestStack {
  return useStarted(
    async () => {
      const stack = await startTestStack(typeof options === 'function' ? options() : options);
      try {
        await onStarted(stack);
      } catch (error) {
        await stack.stop();
        throw error;
      }
      return stack;
    },
    (stack) => stack.stop(),
  );
}
