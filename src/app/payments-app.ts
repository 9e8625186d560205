import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { Config, ProviderCredentials } from '../config/environment.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { createErrorFormatter } from '../graphql/error-masking.ts';
import { buildSchema } from '../graphql/schema.ts';
import { createRequestRouter } from '../http/request-router.ts';
import { IdempotentCreate } from '../idempotency/idempotent-create.ts';
import type { Logger } from '../logging/logger.ts';
import { Metrics } from '../observability/metrics.ts';
import { CreatePaymentIntent } from '../payments/create-payment-intent.ts';
import { ListPaymentIntents } from '../payments/list-payment-intents.ts';
import { createPaymentIntentLoader } from '../payments/payment-intent-loader.ts';
import { PaymentIntentReader } from '../payments/payment-intent-reader.ts';
import type { PaymentProvider } from '../payments/payment-intent.ts';
import type { ProviderRegistry } from '../payments/provider-registry.ts';
import { ProviderHttpClient } from '../providers/http/provider-http-client.ts';
import { ProviderEndpoint } from '../providers/provider-endpoint.ts';
import { ZiinaAdapter } from '../providers/ziina/ziina-adapter.ts';
import { ZopayAdapter } from '../providers/zopay/zopay-adapter.ts';
import { openStore, type OpenedStore } from '../store/open-store.ts';
import { SqlIdempotencyStore } from '../store/sql-idempotency-store.ts';
import { SqlPaymentIntentRepository } from '../store/sql-payment-intent-repository.ts';
import { createZiinaWebhookHandler } from '../webhooks/ziina-webhook-handler.ts';
import { registerZiinaWebhook } from './ziina-webhook-registration.ts';
import { resolveProviders, type ResolvedProviders } from './provider-credentials.ts';

export interface PaymentsApp {
  /** e.g. http://127.0.0.1:4001/graphql */
  readonly graphqlUrl: string;
  readonly port: number;
  /** Graceful: stop accepting, finish in-flight requests (up to the grace period), close pools. */
  stop(): Promise<void>;
}

const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const IDEMPOTENCY_POLL_INTERVAL_MS = 50;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Wires the subgraph together and starts listening. */
export async function startPaymentsApp(config: Config, logger: Logger): Promise<PaymentsApp> {
  const metrics = new Metrics();
  const store = await openStore(config.store, () => metrics.storeQuery(), logger);
  logger.info({ store: config.store.kind, migrationsApplied: store.migrations.applied }, 'store ready');
  let credentials: ResolvedProviders;
  try {
    credentials = await resolveProviders(config, logger, store.emulatorStateDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  return startServing(config, logger, metrics, store, credentials);
}

async function startServing(config: Config, logger: Logger, metrics: Metrics, store: OpenedStore, credentials: ResolvedProviders): Promise<PaymentsApp> {
  const providerHttp = new ProviderHttpClient(
    {
      ...config.providerHttp,
      onAttempt: (operation, outcome, seconds) => metrics.providerAttempt(operation, outcome, seconds),
      onCircuitChange: (provider, open) => metrics.providerCircuit(provider, open),
    },
    logger.child({ component: 'provider-http' }),
  );
  const endpoint = (provider: PaymentProvider, { apiKey, baseUrl }: ProviderCredentials) =>
    new ProviderEndpoint({ provider, apiKey, baseUrl, http: providerHttp });
  const providers: ProviderRegistry = {
    ZOPAY: new ZopayAdapter(endpoint('ZOPAY', credentials.zopay)),
    ZIINA: new ZiinaAdapter(endpoint('ZIINA', credentials.ziina)),
  };

  const intents = new SqlPaymentIntentRepository(store.sql);
  const idempotencyStore = new SqlIdempotencyStore(store.sql, { retentionMs: config.idempotency.retentionMs, leaseMs: config.idempotency.leaseMs });
  const idempotentCreate = new IdempotentCreate({
    store: idempotencyStore,
    waitForInFlightMs: config.idempotency.waitForInFlightMs,
    pollIntervalMs: IDEMPOTENCY_POLL_INTERVAL_MS,
    logger,
  });
  const createPaymentIntent = new CreatePaymentIntent({ providers, idempotentCreate, intents, logger });
  const listPaymentIntents = new ListPaymentIntents(intents);
  const reader = new PaymentIntentReader({
    providers,
    intents,
    freshnessMs: config.intentFreshnessMs,
    fetchConcurrency: config.entityFetchConcurrency,
    logger,
  });
  const context = async (): Promise<GraphQLContext> => ({
    createPaymentIntent,
    listPaymentIntents,
    paymentIntents: createPaymentIntentLoader(reader),
    logger,
  });

  // The embedded Ziina emulator gets a secret of ours; a real Ziina, the configured one.
  const ziinaWebhookSecret = config.ziinaWebhookSecret ?? (credentials.ziinaIsEmulated ? randomBytes(32).toString('hex') : null);
  if (ziinaWebhookSecret === null) logger.warn('ZIINA_WEBHOOK_SECRET is not set: POST /webhooks/ziina is off, Ziina status changes arrive only on reads');

  const httpServer: Server = createServer();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    logger,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Explicit, although it is Apollo's default: a browser must not run mutations cross-site.
    csrfPrevention: true,
    // main.ts owns SIGTERM and SIGINT: it drains, then exits 0. Apollo's own handler (on by default
    // unless NODE_ENV=test) would stop the server under it and re-raise the signal, so the process
    // died by SIGTERM (exit 143) instead of exiting 0.
    // https://www.apollographql.com/docs/apollo-server/api/apollo-server#stoponterminationsignals
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  await apollo.start();

  let accepting = false;
  httpServer.on(
    'request',
    createRequestRouter({
      apollo,
      context,
      isReady: async () => accepting && (await store.isReachable()),
      metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
      ziinaWebhook:
        ziinaWebhookSecret === null
          ? null
          : createZiinaWebhookHandler({ secret: ziinaWebhookSecret, intents, logger, metrics, maxBodyBytes: MAX_REQUEST_BODY_BYTES }),
      logger,
      maxBodyBytes: MAX_REQUEST_BODY_BYTES,
      routerSecret: config.routerSecret,
    }),
  );
  const stopAll = async () => {
    accepting = false;
    clearInterval(purge);
    await apollo.stop();
    await providerHttp.close();
    await credentials.close();
    await store.close();
  };
  const purge = setInterval(() => {
    idempotencyStore.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'idempotency purge failed'));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    if (credentials.ziinaIsEmulated && ziinaWebhookSecret !== null) {
      await registerZiinaWebhook(credentials.ziina, `http://${loopbackHost(config.host)}:${port}/webhooks/ziina`, ziinaWebhookSecret);
    }
    accepting = true;
    const graphqlUrl = `http://${config.host ?? 'localhost'}:${port}/graphql`;
    logger.info({ graphqlUrl }, 'payments subgraph listening');
    return { graphqlUrl, port, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** How the emulator, on 127.0.0.1, reaches this server. */
function loopbackHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
