/** One GraphQL over SSE event ("distinct connections mode"): its type and its JSON data. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: unknown;
}

/**
 * A subscription POSTed to a gateway with `accept: text/event-stream` (GraphQL over Server-Sent
 * Events, which Hive Gateway serves on its GraphQL path): every event as it arrives, until `complete`.
 * https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md
 */
export async function* serverSentEvents(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): AsyncGenerator<ServerSentEvent> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok || response.body === null) throw new Error(`the gateway answered HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    let end = pending.indexOf('\n\n');
    while (end >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      end = pending.indexOf('\n\n');
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => line.includes(':') && !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields.event === undefined) continue;
      yield { event: fields.event, data: fields.data ? JSON.parse(fields.data) : null };
      if (fields.event === 'complete') return;
    }
  }
}
