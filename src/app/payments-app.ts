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
import { InMemoryIdempotencyStore } from '../idempotency/in-memory-idempotency-store.ts';
import type { Logger } from '../logging/logger.ts';
import { CreatePaymentIntent } from '../payments/create-payment-intent.ts';
import { createPaymentIntentLoader } from '../payments/payment-intent-loader.ts';
import { PaymentIntentReader } from '../payments/payment-intent-reader.ts';
import type { PaymentProvider } from '../payments/payment-intent.ts';
import type { ProviderRegistry } from '../payments/provider-registry.ts';
import { ProviderHttpClient } from '../providers/http/provider-http-client.ts';
import { ProviderEndpoint } from '../providers/provider-endpoint.ts';
import { ZiinaAdapter } from '../providers/ziina/ziina-adapter.ts';
import { ZopayAdapter } from '../providers/zopay/zopay-adapter.ts';
import { resolveProviders } from './provider-credentials.ts';

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
  const credentials = await resolveProviders(config, logger);
  const providerHttp = new ProviderHttpClient(config.providerHttp, logger.child({ component: 'provider-http' }));
  const endpoint = (provider: PaymentProvider, { apiKey, baseUrl }: ProviderCredentials) =>
    new ProviderEndpoint({ provider, apiKey, baseUrl, http: providerHttp });
  const providers: ProviderRegistry = {
    ZOPAY: new ZopayAdapter(endpoint('ZOPAY', credentials.zopay)),
    ZIINA: new ZiinaAdapter(endpoint('ZIINA', credentials.ziina)),
  };

  const idempotencyStore = new InMemoryIdempotencyStore({ retentionMs: config.idempotency.retentionMs });
  const idempotentCreate = new IdempotentCreate({
    store: idempotencyStore,
    waitForInFlightMs: config.idempotency.waitForInFlightMs,
    pollIntervalMs: IDEMPOTENCY_POLL_INTERVAL_MS,
  });
  const createPaymentIntent = new CreatePaymentIntent({ providers, idempotentCreate, logger });
  const reader = new PaymentIntentReader(providers);
  const context = async (): Promise<GraphQLContext> => ({
    createPaymentIntent,
    paymentIntents: createPaymentIntentLoader(reader, config.entityFetchConcurrency),
    logger,
  });

  const httpServer: Server = createServer();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    logger,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Explicit, although it is Apollo's default: a browser must not run mutations cross-site.
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  await apollo.start();

  let ready = false;
  httpServer.on(
    'request',
    createRequestRouter({
      apollo,
      context,
      isReady: () => ready,
      logger,
      maxBodyBytes: MAX_REQUEST_BODY_BYTES,
      routerSecret: config.routerSecret,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  ready = true;

  const purge = setInterval(() => {
    idempotencyStore.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'idempotency purge failed'));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const { port } = httpServer.address() as AddressInfo;
  const graphqlUrl = `http://${config.host ?? 'localhost'}:${port}/graphql`;
  logger.info({ graphqlUrl }, 'payments subgraph listening');

  return {
    graphqlUrl,
    port,
    async stop() {
      ready = false;
      clearInterval(purge);
      await apollo.stop();
      await providerHttp.close();
      await credentials.close();
    },
  };
}
