import { z } from 'zod';
import { flag, integer } from './environment-values.ts';

// The standard OpenTelemetry variables that decide whether this process traces at all, and how it
// exports (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/,
// https://opentelemetry.io/docs/specs/otel/protocol/exporter/). The OTLP exporter reads the rest
// itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, the endpoints), and the resource reads
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES: see the README's "Observability" section.

/**
 * grpc, a value the specification allows, is refused with its own message by the field itself, so
 * that it is reported whatever other variable failed (https://zod.dev/api#when).
 */
const protocol = z
  .enum(['http/protobuf', 'http/json', 'grpc'], {
    error: 'must be http/protobuf or http/json',
  })
  .refine(
    (value): value is 'http/protobuf' | 'http/json' => value !== 'grpc',
    'grpc is not shipped: use http/protobuf (port 4318 of a collector) or http/json',
  );

const sampler = z.enum(
  [
    'always_on',
    'always_off',
    'traceidratio',
    'parentbased_always_on',
    'parentbased_always_off',
    'parentbased_traceidratio',
  ],
  {
    error:
      'must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
  },
);

export const TracingEnv = z.object({
  /** `true` turns the SDK off whatever else is set. */
  OTEL_SDK_DISABLED: flag.optional(),
  /** Comma-separated; `otlp` or `none` (the only exporter shipped is OTLP over HTTP). */
  OTEL_TRACES_EXPORTER: z
    .string()
    .transform((value) => value.split(',').map((name) => name.trim().toLowerCase()))
    .refine((names) => names.every((name) => name === 'otlp' || name === 'none'), {
      error: 'must be otlp or none: only OTLP over HTTP is shipped',
    })
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** `key=value,…`, read by the exporter; here only so that their values are scrubbed from logs (API keys). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
  OTEL_TRACES_SAMPLER: sampler.default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, 'must be at least 0')
    .max(1, 'must be at most 1')
    .default(1),
  /** How long finished spans wait to be sent in one batch. */
  OTEL_BSP_SCHEDULE_DELAY: integer(0, 600_000).default(5_000),
});

export type TracingSampler = z.infer<typeof sampler>;

export type TracingConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly protocol: 'http/protobuf' | 'http/json';
      readonly sampler: TracingSampler;
      /** For the ratio samplers: the share of traces kept, 0 to 1. */
      readonly samplerRatio: number;
      readonly scheduleDelayMs: number;
      /** The values of the exporter's headers: often a vendor's API key. */
      readonly headerValues: readonly string[];
    };

/**
 * Tracing is off unless the variables ask for an exporter: `OTEL_TRACES_EXPORTER=otlp`, or an OTLP
 * endpoint with OTEL_TRACES_EXPORTER unset. (The specification's default exporter is otlp; here a
 * process without a collector sends nothing to localhost:4318 and creates no span.)
 */
export function tracingConfigOf(values: z.infer<typeof TracingEnv>): TracingConfig {
  const exporters = values.OTEL_TRACES_EXPORTER;
  const configured =
    exporters === undefined
      ? values.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
      : exporters.includes('otlp') && !exporters.includes('none');
  if (values.OTEL_SDK_DISABLED === true || !configured) return { enabled: false };
  return {
    enabled: true,
    protocol: values.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? values.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    sampler: values.OTEL_TRACES_SAMPLER,
    samplerRatio: values.OTEL_TRACES_SAMPLER_ARG,
    scheduleDelayMs: values.OTEL_BSP_SCHEDULE_DELAY,
    headerValues: [values.OTEL_EXPORTER_OTLP_HEADERS, values.OTEL_EXPORTER_OTLP_TRACES_HEADERS].flatMap(headerValuesOf),
  };
}

/** The values of a W3C-baggage-style list `key=value,key2=value2`, as written and percent-decoded. */
function headerValuesOf(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list.split(',').flatMap((pair) => {
    const value = pair.slice(pair.indexOf('=') + 1).trim();
    if (!pair.includes('=') || value === '') return [];
    try {
      return [value, decodeURIComponent(value)];
    } catch {
      return [value];
    }
  });
}
