import { listenOnLoopback } from '../../emulators/kit/loopback-server.ts';
import { readRequestBody } from '../../src/lib/http/request-body.ts';

// A stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver (POST /v1/traces), as the
// specification describes it: https://opentelemetry.io/docs/specs/otlp/#otlphttp. JSON bodies are
// decoded into spans; protobuf bodies are kept as they came (the default protocol's proof is that
// they arrive, answered 200).

/** A span as OTLP/JSON carries it: ids in hex, attributes as typed values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly status?: { readonly code?: number };
  /** service.name and the rest of the resource that sent it. */
  readonly resource: Readonly<Record<string, unknown>>;
}

export interface ReceivedExport {
  readonly contentType: string;
  readonly bytes: number;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly endpoint: string;
  readonly spans: readonly ReceivedSpan[];
  readonly exports: readonly ReceivedExport[];
  /** Resolves with every span received so far once `predicate` holds for them. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<readonly ReceivedSpan[]>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.arrayValue?.values?.map(valueOf);
}

function attributesOf(attributes: OtlpAttribute[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const exports: ReceivedExport[] = [];
  const changed = new Set<() => void>();
  const server = await listenOnLoopback(async (request, response) => {
    const body = await readRequestBody(request, 16 * 1024 * 1024);
    const contentType = request.headers['content-type'] ?? '';
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    exports.push({ contentType, bytes: body.length });
    if (contentType.startsWith('application/json')) {
      const decoded = JSON.parse(body.toString('utf8')) as {
        resourceSpans?: {
          resource?: { attributes?: OtlpAttribute[] };
          scopeSpans?: {
            spans?: (Omit<ReceivedSpan, 'attributes' | 'resource'> & { attributes?: OtlpAttribute[] })[];
          }[];
        }[];
      };
      for (const { resource, scopeSpans = [] } of decoded.resourceSpans ?? []) {
        for (const { spans: received = [] } of scopeSpans) {
          for (const span of received)
            spans.push({
              ...span,
              attributes: attributesOf(span.attributes),
              resource: attributesOf(resource?.attributes),
            });
        }
      }
    }
    response
      .writeHead(200, { 'content-type': contentType || 'application/json' })
      .end(contentType.startsWith('application/json') ? '{}' : '');
    for (const notify of changed) notify();
  });

  return {
    endpoint: server.origin,
    spans,
    exports,
    waitFor(predicate, timeoutMs = 15_000) {
      if (predicate(spans)) return Promise.resolve(spans);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(spans)) return;
          changed.delete(check);
          clearTimeout(timer);
          resolve(spans);
        };
        const timer = setTimeout(() => {
          changed.delete(check);
          reject(
            new Error(
              `the expected spans did not arrive within ${timeoutMs} ms; received: ${JSON.stringify(spans.map((span) => span.name))}`,
            ),
          );
        }, timeoutMs);
        changed.add(check);
      });
    },
    close: () => server.close(),
  };
}
