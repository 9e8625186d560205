import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../../src/config/environment.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

// Tracing is off, and costs nothing, unless the standard OTEL_* variables ask for an exporter.

function tracingOf(env: NodeJS.ProcessEnv) {
  const loaded = loadConfig(env, registeredProviders);
  if (!loaded.ok) throw new Error(loaded.problems.join(', '));
  return loaded.config.tracing;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  const loaded = loadConfig(env, registeredProviders);
  if (loaded.ok) throw new Error('expected configuration problems');
  return loaded.problems;
}

const ENDPOINT = 'http://otel-collector.monitoring:4318';

describe('tracing configuration', () => {
  it('is off without any OTEL_* variable, and with a protocol or sampler alone', () => {
    expect(tracingOf({})).toEqual({ enabled: false });
    expect(tracingOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_on' })).toEqual({
      enabled: false,
    });
  });

  it.each([
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT }],
    ['an OTLP traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${ENDPOINT}/v1/traces` }],
    ['OTEL_TRACES_EXPORTER=otlp', { OTEL_TRACES_EXPORTER: 'otlp' }],
  ])('is on with %s, following the router sampling decision, over OTLP/HTTP protobuf', (_, env) => {
    expect(tracingOf(env)).toEqual({
      enabled: true,
      protocol: 'http/protobuf',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      scheduleDelayMs: 5_000,
      headerValues: [],
    });
  });

  it('is off when the exporter is none or the SDK is disabled, an endpoint notwithstanding', () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_TRACES_EXPORTER: 'none' })).toEqual({
      enabled: false,
    });
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false });
  });

  it('takes the traces protocol over the general one, and the sampler with its ratio', () => {
    expect(
      tracingOf({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }),
    ).toMatchObject({
      protocol: 'http/json',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      scheduleDelayMs: 200,
    });
  });

  it('refuses what is not shipped or not a value, naming the variable', () => {
    expect(problemsOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_PROTOCOL grpc is not shipped/),
    ]);
    expect(problemsOf({ OTEL_TRACES_EXPORTER: 'otlp,zipkin' })).toEqual([
      'OTEL_TRACES_EXPORTER must be otlp or none: only OTLP over HTTP is shipped',
    ]);
    expect(problemsOf({ OTEL_TRACES_SAMPLER_ARG: '2' })).toEqual(['OTEL_TRACES_SAMPLER_ARG must be at most 1']);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL',
    ]);
  });

  it('refuses grpc whatever other variable failed', () => {
    expect(problemsOf({ OTEL_TRACES_SAMPLER: 'x', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' })).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL grpc is not shipped/),
      expect.stringMatching(/^OTEL_TRACES_SAMPLER must be one of /),
    ]);
  });

  it("scrubs the exporter's header values (a vendor's API key) from every log line", () => {
    const loaded = loadConfig(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=hc_key%2Fwith-slash,x-dataset=payments',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20trace-token-0123',
      },
      registeredProviders,
    );
    if (!loaded.ok) throw new Error(loaded.problems.join(', '));
    expect(configSecrets(loaded.config)).toEqual(
      expect.arrayContaining(['hc_key%2Fwith-slash', 'hc_key/with-slash', 'Bearer trace-token-0123']),
    );
  });
});
