import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { DocumentNode } from 'graphql';
import type { Config } from '../config/environment.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { createErrorFormatter } from '../graphql/error-masking.ts';
import { costLimitPlugin, requestLimitRules } from '../graphql/request-limits.ts';
import { buildPaymentsSchema } from '../graphql/schema.ts';
import { LoadShedder } from '../http/load-shedder.ts';
import { GraphQLWebSocketServer } from '../http/graphql-websocket-server.ts';
import { createRequestRouter } from '../http/request-router.ts';
import { ROUTES } from '../http/routes.ts';
import { IdempotentCreate } from '../idempotency/idempotent-create.ts';
import type { Logger } from '../logging/logger.ts';
import { HttpRequestObserver } from '../observability/http-request-observer.ts';
import { Metrics } from '../observability/metrics.ts';
import { operationObserverPlugin } from '../observability/operation-observer-plugin.ts';
import { currentRequest, requestIdOf } from '../observability/request-scope.ts';
import { statementObserver } from '../observability/statement-observer.ts';
import { CreatePaymentIntent } from '../payments/create-payment-intent.ts';
import { ListPaymentIntents } from '../payments/list-payment-intents.ts';
import { createPaymentIntentLoader } from '../payments/payment-intent-loader.ts';
import { PaymentIntentReader } from '../payments/payment-intent-reader.ts';
import { loadPlaygroundAssets, type PlaygroundAsset } from '../playground/playground-assets.ts';
import { createPlayground } from '../playground/playground.ts';
import { ProviderHttpClient } from '../providers/http/provider-http-client.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import { CachedPaymentIntentRepository } from '../store/cached-payment-intent-repository.ts';
import { IntentChangeFeed } from '../store/intent-change-feed.ts';
import { openStore, type OpenedStore } from '../store/open-store.ts';
import { SqlIdempotencyStore } from '../store/sql-idempotency-store.ts';
import { SqlPaymentIntentRepository } from '../store/sql-payment-intent-repository.ts';
import { SqlRefreshLeases } from '../store/sql-refresh-leases.ts';
import { currentIntentReader } from '../subscriptions/current-intent.ts';
import { IntentUpdateHub } from '../subscriptions/intent-update-hub.ts';
import { ProviderRefreshPoller } from '../subscriptions/provider-refresh-poller.ts';
import { createWebhookEndpoint } from '../webhooks/webhook-endpoint.ts';
import { HttpServer, type RequestHandler } from './http-server.ts';
import {
  connectProviders,
  payableEmulators,
  type ProviderConnection,
  type ProviderConnections,
} from './provider-connections.ts';
import { providerPorts } from './provider-ports.ts';

export interface PaymentsApp {
  /** e.g. http://127.0.0.1:4001/graphql */
  readonly graphqlUrl: string;
  readonly port: number;
  /** Graceful: stop accepting, finish in-flight requests (up to the grace period), close everything. */
  stop(): Promise<void>;
}

export interface PaymentsAppParts {
  /** The providers served (src/providers/registered-providers.ts in production). */
  readonly providers: ProviderRegistry;
  /** SDL of providers whose GraphQL types are not in schema/payments.graphql (a test's). */
  readonly schemaExtensions?: readonly DocumentNode[];
  /** Set when tracing is on (src/observability/tracing.ts, started by src/main.ts). */
  readonly tracer?: Tracer;
}

/** How often a duplicate create looks again for the first request's record held by another replica. */
const IDEMPOTENCY_POLL_INTERVAL_MS = 50;
/**
 * Refreshes that changed nothing are recorded together at most this long after they happened (and
 * within a tenth of the freshness window): other replicas learn of them about that much later.
 */
const REFRESH_RECORD_DELAY_MS = 100;
/** Events one subscriber may fall behind before it is dropped: each is the whole intent, so a few suffice. */
const SUBSCRIBER_BUFFER_EVENTS = 16;

/**
 * The composition root (docs/architecture.md): opens the store, reaches every registered provider
 * (or its emulator), wires the use cases, the GraphQL server and the HTTP routes, and starts
 * listening. Everything it opened is closed again if any step fails.
 */
export async function startPaymentsApp(config: Config, logger: Logger, parts: PaymentsAppParts): Promise<PaymentsApp> {
  // Read before anything is opened: a missing file of the IDE stops the start with nothing to close.
  const playgroundAssets = config.playground ? await loadPlaygroundAssets() : null;
  const metrics = new Metrics();
  metrics.startAtZero(parts.providers.modules.map((module) => module.id));
  const tracer = parts.tracer ?? null;
  const engine = config.store.kind === 'postgres' ? 'pg' : 'pglite';
  const store = await openStore(config.store, statementObserver({ metrics, tracer, engine }), logger);
  logger.info({ store: config.store.kind, migrationsApplied: store.migrations.applied }, 'store ready');
  let providers: ProviderConnections;
  let changes: IntentChangeFeed;
  try {
    changes = await IntentChangeFeed.open(store.sql, store.notifications, logger.child({ component: 'change-feed' }));
    providers = await connectProviders(config, parts.providers, logger, store.emulatorStateDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  return startServing(config, logger, metrics, { ...store, changes }, providers, parts, playgroundAssets);
}

async function startServing(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  store: OpenedStore & { readonly changes: IntentChangeFeed },
  providers: ProviderConnections,
  parts: PaymentsAppParts,
  playgroundAssets: ReadonlyMap<string, PlaygroundAsset> | null,
): Promise<PaymentsApp> {
  const tracer = parts.tracer ?? null;
  const providerHttp = new ProviderHttpClient(
    {
      ...config.providerHttp,
      onAttempt: (attempt) => metrics.providerAttempt(attempt),
      onCircuitChange: (provider, open) => metrics.providerCircuit(provider, open),
      onRefused: (provider, reason) => metrics.providerRefused(provider, reason),
    },
    logger.child({ component: 'provider-http' }),
  );
  const ports = providerPorts(providers.connections, providerHttp, logger.child({ component: 'providers' }));

  const storedIntents = new SqlPaymentIntentRepository(store.sql, {
    onSuperseded: ({ id, provider, by }) => {
      metrics.supersededIntent(provider);
      logger.warn(
        { provider, paymentIntentId: id, handedOut: by },
        'an intent created for a key whose answer was lost surfaced after another was handed out: recorded as superseded',
      );
    },
    rememberedHandOuts: config.intentCacheMaxEntries,
  });
  const intentCache =
    config.intentCacheMaxEntries === 0
      ? null
      : new CachedPaymentIntentRepository(storedIntents, {
          maxEntries: config.intentCacheMaxEntries,
          freshnessMs: config.intentFreshnessMs,
          changes: store.changes,
          refreshRecordDelayMs: Math.min(REFRESH_RECORD_DELAY_MS, config.intentFreshnessMs / 10),
          logger: logger.child({ component: 'intent-cache' }),
          onLookup: (lookup, count) => metrics.intentCacheLookup(lookup, count),
        });
  const intents = intentCache ?? storedIntents;
  const idempotencyStore = new SqlIdempotencyStore(store.sql, {
    retentionMs: config.idempotency.retentionMs,
    leaseMs: config.idempotency.leaseMs,
    rememberedCompletions: config.intentCacheMaxEntries,
  });
  const idempotentCreate = new IdempotentCreate({
    store: idempotencyStore,
    waitForInFlightMs: config.idempotency.waitForInFlightMs,
    pollIntervalMs: IDEMPOTENCY_POLL_INTERVAL_MS,
    logger,
    onDecision: (key, decision) => metrics.idempotencyDecision(key.provider, decision),
  });
  const createPaymentIntent = new CreatePaymentIntent({ providers: ports, idempotentCreate, intents });
  const listPaymentIntents = new ListPaymentIntents(intents);
  const reader = new PaymentIntentReader({
    providers: ports,
    intents,
    freshnessMs: config.intentFreshnessMs,
    fetchConcurrency: config.entityFetchConcurrency,
    notFoundTtlMs: config.providerReads.notFoundTtlMs,
    logger,
  });
  const intentUpdates = new IntentUpdateHub({
    changes: store.changes,
    store: storedIntents,
    readCurrent: currentIntentReader({ intents, reader, providerIds: parts.providers.ids }),
    maxSubscriptions: config.subscriptions.maxPerProcess,
    bufferCapacity: SUBSCRIBER_BUFFER_EVENTS,
    logger: logger.child({ component: 'subscriptions' }),
    onPushed: (lagSeconds) => metrics.subscriptionEvent(lagSeconds),
    onDropped: () => metrics.subscriberDropped(),
  });
  const leases = new SqlRefreshLeases(store.sql, randomUUID());
  const refreshPoller = new ProviderRefreshPoller({
    watched: () => intentUpdates.watched(),
    // Changes of these providers' intents reach the webhook endpoints below: a provider read is their fallback.
    webhookProviders: new Set(
      providers.connections
        .filter(({ module, webhookSecret }) => module.webhook !== null && webhookSecret !== null)
        .map(({ module }) => module.id),
    ),
    providerIds: parts.providers.ids,
    claim: (leaseMsById) => leases.claim(leaseMsById),
    refresh: (ids) => reader.refresh(ids),
    windowMs: config.intentFreshnessMs,
    logger,
    onClaimed: (acquired, held) => metrics.refreshLeaseClaims(acquired, held),
  });
  const context = (): Promise<GraphQLContext> =>
    Promise.resolve({
      createPaymentIntent,
      listPaymentIntents,
      paymentIntents: createPaymentIntentLoader(reader, config.providerReads.perRequest),
      intentUpdates,
      logger,
      // Set by the HTTP layer for every /graphql request; a request reaching Apollo otherwise still gets an id.
      request: currentRequest() ?? { requestId: requestIdOf(undefined), span: null, creates: [] },
    });

  const schema = buildPaymentsSchema(parts.providers, parts.schemaExtensions);
  const formatError = createErrorFormatter(logger);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    logger,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Explicit, although it is Apollo's default: a browser must not run mutations cross-site.
    csrfPrevention: true,
    // The app owns SIGTERM and SIGINT (src/main.ts): Apollo's own handler (on unless NODE_ENV=test)
    // would re-raise the signal once stopped, killing the process (exit 143) before the pools and the
    // store are closed. https://www.apollographql.com/docs/apollo-server/api/apollo-server#stoponterminationsignals
    stopOnTerminationSignals: false,
    // Off in production unless enabled: the schema is the router's to publish, not every caller's.
    // `_service { sdl }` is a field, not introspection: composition keeps working.
    introspection: config.introspection,
    parseOptions: { maxLexicalTokens: config.requestLimits.maxTokens },
    validationRules: requestLimitRules(config.requestLimits),
    plugins: [
      operationObserverPlugin(logger, metrics),
      costLimitPlugin(config.requestLimits.maxCost),
      ApolloServerPluginUsageReportingDisabled(),
      // No type or field declares a cache hint (answers are payment state, never HTTP-cacheable), and
      // the plugin would otherwise wrap every field's resolution on every request.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page would load its IDE from Apollo's CDN and name Apollo Server's exact
      // version: the IDE, when on, is this server's own (src/playground/, docs/decisions/playground.md).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const webhooks = new Map<string, RequestHandler>();
  for (const { module, webhookSecret } of providers.connections) {
    if (module.webhook === null || webhookSecret === null) continue;
    const endpoint = {
      provider: { id: module.id, displayName: module.displayName },
      webhook: module.webhook,
      secret: webhookSecret,
      intents,
      logger,
      metrics,
      maxBodyBytes: config.maxBodyBytes,
    };
    webhooks.set(module.webhook.path, createWebhookEndpoint(endpoint));
  }
  const loadShedder = new LoadShedder({
    ...config.loadShedding,
    logger,
    onShed: (reason) => metrics.requestShed(reason),
  });
  metrics.observeLoad({
    providerCalls: () => providerHttp.load(),
    graphqlInFlight: () => loadShedder.inFlight,
    subscriptions: () => intentUpdates.subscriptions,
  });
  // Subscriptions are long-lived and bounded on their own (SUBSCRIPTIONS_MAX_*): they do not count as
  // requests in flight, but an overloaded replica takes no new connection.
  const webSockets = new GraphQLWebSocketServer({
    schema,
    context,
    path: ROUTES.graphql,
    routerSecret: config.routerSecret,
    maxSubscriptionsPerConnection: config.subscriptions.maxPerConnection,
    keepAliveMs: config.subscriptions.keepAliveMs,
    requestLimits: config.requestLimits,
    maxMessageBytes: config.maxBodyBytes,
    overload: () => loadShedder.overload(),
    onShed: (reason) => metrics.requestShed(reason),
    formatError,
    logger,
  });
  const server: HttpServer = new HttpServer({
    shutdownGraceMs: config.shutdownGraceMs,
    upgrade: (request, socket, head) => {
      webSockets.upgrade(request, socket, head);
    },
    handler: createRequestRouter({
      apollo,
      context,
      // Load before the store: an overloaded replica does not add a store query to its work.
      isReady: async () => server.ready && loadShedder.overload() === null && (await store.isReachable()),
      metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
      webhooks,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      routerSecret: config.routerSecret,
      loadShedder,
      observer: new HttpRequestObserver({ requestIdHeader: config.requestIdHeader, tracer }),
      playground:
        playgroundAssets === null
          ? null
          : createPlayground(playgroundAssets, {
              graphqlPath: ROUTES.graphql,
              assetsPath: ROUTES.playgroundAssets,
              emulators: payableEmulators(providers.connections),
            }),
    }),
  });

  const purge = setInterval(() => {
    idempotencyStore.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'idempotency purge failed'));
    leases.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'refresh lease purge failed'));
  }, config.idempotency.purgeIntervalMs);
  purge.unref();
  const stop = async () => {
    clearInterval(purge);
    loadShedder.stop();
    // Readiness drops first; then every socket closes with 1001 and its router subscribes again elsewhere.
    const drained = server.drain();
    await webSockets.close();
    await refreshPoller.stop();
    intentUpdates.close();
    await drained;
    await apollo.stop();
    await providerHttp.close();
    await providers.close();
    await intentCache?.close();
    await store.close();
  };

  try {
    const port = await server.listen(config.port, config.host);
    await registerEmulatedWebhooks(providers.connections, `http://${loopbackHost(config.host)}:${port}`);
    loadShedder.start();
    server.markReady();
    const graphqlUrl = `http://${config.host ?? 'localhost'}:${port}/graphql`;
    logger.info({ graphqlUrl }, 'payments subgraph listening');
    return { graphqlUrl, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The built-in emulators deliver webhooks to this process, registered here with the generated
 * secret; with a real provider, registration is an operator's one-time step (README, "Deploying").
 */
async function registerEmulatedWebhooks(connections: readonly ProviderConnection[], origin: string): Promise<void> {
  for (const { module, credentials, emulated, webhookSecret } of connections) {
    if (emulated && module.webhook !== null && webhookSecret !== null) {
      await module.webhook.register(credentials, `${origin}${module.webhook.path}`, webhookSecret);
    }
  }
}

/** How the emulators, on 127.0.0.1, reach this server. */
function loopbackHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
