import type { IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../../emulators/kit/loopback-server.ts';
import { readRequestBody } from '../../src/lib/http/request-body.ts';

export interface RecordingForwarder {
  /** Where the subgraph is told the provider is: this origin plus the backend's path. */
  readonly baseUrl: string;
  /** The headers of every request, as they arrived. */
  readonly received: readonly {
    readonly method: string;
    readonly path: string;
    readonly headers: IncomingHttpHeaders;
  }[];
  close(): Promise<void>;
}

/**
 * An HTTP hop on 127.0.0.1 in front of an emulator that records what each request carried (headers
 * the emulator itself ignores, such as `traceparent`) and forwards it unchanged.
 */
export async function startRecordingForwarder(backendBaseUrl: string): Promise<RecordingForwarder> {
  const backend = new URL(backendBaseUrl);
  const received: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  const server = await listenOnLoopback(async (request, response) => {
    const body = await readRequestBody(request, 1024 * 1024);
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    const headers = Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined || ['host', 'connection', 'content-length'].includes(name)
        ? []
        : [[name, String(value)] as [string, string]],
    );
    const forwarded = await fetch(new URL(request.url ?? '/', backend.origin), {
      method: request.method ?? 'GET',
      headers,
      ...(body.length > 0 && { body: body.toString('utf8') }),
    });
    response.writeHead(forwarded.status, {
      'content-type': forwarded.headers.get('content-type') ?? 'application/json',
    });
    response.end(Buffer.from(await forwarded.arrayBuffer()));
  });
  return {
    baseUrl: `${server.origin}${backend.pathname}`,
    received,
    close: () => server.close(),
  };
}
