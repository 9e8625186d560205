import type { ServerResponse } from 'node:http';

/** Writes an already serialised JSON body: an idempotent replay sends the exact bytes of an earlier answer. */
export function writeJsonText(
  response: ServerResponse,
  status: number,
  jsonText: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(jsonText),
  });
  response.end(jsonText);
}

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  writeJsonText(response, status, JSON.stringify(body), headers);
}
