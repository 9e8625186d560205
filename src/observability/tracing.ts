import { context, propagation, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { TracingConfig } from '../config/tracing-environment.ts';

export interface Tracing {
  /** Null when tracing is off: nothing creates a span then. */
  readonly tracer: Tracer | null;
  /** Sends the spans still waiting, then stops exporting (at shutdown, after the app stopped). */
  shutdown(): Promise<void>;
}

export const TRACER_NAME = 'payments-subgraph';

const OFF: Tracing = { tracer: null, shutdown: () => Promise.resolve() };

/**
 * Starts the OpenTelemetry trace SDK when the OTEL_* variables ask for it
 * (docs/decisions/tracing.md), else loads none of it. Nothing is patched, so this may run after the
 * app's modules are loaded: provider calls are traced by undici's own diagnostics channels
 * (@opentelemetry/instrumentation-undici, which also sends `traceparent` to the provider), store
 * statements by the store's one seam (statement-observer.ts), requests by the HTTP layer
 * (http-request-observer.ts). One tracing per process: it registers the global tracer provider,
 * context manager and propagator.
 */
export async function startTracing(config: TracingConfig): Promise<Tracing> {
  if (!config.enabled) return OFF;
  const [sdk, { AsyncLocalStorageContextManager }, core, resources, semconv, { UndiciInstrumentation }, exporter] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
      import('@opentelemetry/instrumentation-undici'),
      // OTLP over HTTP; each exporter reads its endpoint, headers, timeout and compression from
      // OTEL_EXPORTER_OTLP_[TRACES_]* itself (https://opentelemetry.io/docs/specs/otel/protocol/exporter/).
      config.protocol === 'http/json'
        ? import('@opentelemetry/exporter-trace-otlp-http')
        : import('@opentelemetry/exporter-trace-otlp-proto'),
    ]);
  const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;

  const root = {
    always_on: new sdk.AlwaysOnSampler(),
    always_off: new sdk.AlwaysOffSampler(),
    traceidratio: new sdk.TraceIdRatioBasedSampler(config.samplerRatio),
  };
  // https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
  const sampler = {
    ...root,
    parentbased_always_on: new sdk.ParentBasedSampler({ root: root.always_on }),
    parentbased_always_off: new sdk.ParentBasedSampler({ root: root.always_off }),
    parentbased_traceidratio: new sdk.ParentBasedSampler({ root: root.traceidratio }),
  }[config.sampler];

  const provider = new sdk.TracerProvider({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) override these.
    resource: resources
      .defaultResource()
      .merge(
        resources.resourceFromAttributes({
          [semconv.ATTR_SERVICE_NAME]: TRACER_NAME,
          [semconv.ATTR_SERVICE_VERSION]: version,
        }),
      )
      .merge(
        resources.detectResources({
          detectors: [resources.resourceAttributesEnvDetector, resources.serviceNameEnvDetector],
        }),
      ),
    sampler,
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: new exporter.OTLPTraceExporter(),
        scheduledDelayMillis: config.scheduleDelayMs,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(provider);

  // Subscribes to undici's diagnostics channels at once, with the provider just registered.
  const undici = new UndiciInstrumentation({
    // Only calls made for a traced request: not start-up's webhook registration.
    requireParentforSpans: true,
    requestHook: withoutQuery,
  });
  undici.setTracerProvider(provider);

  return {
    tracer: provider.getTracer(TRACER_NAME, version),
    async shutdown() {
      undici.disable();
      await provider.shutdown();
    },
  };
}

/** A provider URL's query could carry something sensitive; the path names the call well enough. */
function withoutQuery(span: Span, request: { readonly origin: string; readonly path: string }): void {
  const path = request.path.split('?', 1)[0] ?? '';
  span.setAttribute('url.full', `${request.origin}${path}`);
  span.setAttribute('url.query', '');
}
