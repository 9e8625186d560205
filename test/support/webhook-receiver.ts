import type { IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../../emulators/kit/loopback-server.ts';
import { readRequestBody } from '../../src/lib/http/request-body.ts';

/** One request as the receiver got it, body as raw text so signatures can be checked on the exact bytes. */
export interface ReceivedWebhook {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the receiver answers: a status, or 'hang' to never answer. */
export type ReceiverAnswer = number | 'hang';

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:4321/hooks/ziina */
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Resolves once `count` requests have arrived. */
  receivedCount(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1 that records every request and answers each with the next of
 * `answers`, then with `otherwise`.
 */
export async function startWebhookReceiver(
  answers: readonly ReceiverAnswer[] = [],
  otherwise: ReceiverAnswer = 200,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = await listenOnLoopback(async (request, response) => {
    const body = (await readRequestBody(request, 1024 * 1024)).toString('utf8');
    const answer = answers[received.length] ?? otherwise;
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
    for (const waiter of waiters.filter((candidate) => candidate.count <= received.length)) {
      waiter.resolve();
    }
    if (answer !== 'hang') {
      response.writeHead(answer, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
  return {
    url: `${server.origin}/hooks/ziina`,
    received,
    receivedCount: (count) =>
      received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => server.close(),
  };
}
