/** Real HTTP calls for tests: global fetch over 127.0.0.1, the body read as text and, when it is JSON, parsed. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: any;
}

export async function call(url: string | URL, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POST with a JSON body; a string body is sent as is, so tests control its exact bytes. */
export function postJson(url: string | URL, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** One GraphQL operation POSTed as JSON, as a frontend (or a router, with its headers) sends it. */
export function postGraphQL(
  url: string | URL,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return postJson(url, { query, variables }, headers);
}
