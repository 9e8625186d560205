import type { IncomingMessage } from 'node:http';

export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
}

/** Reads a request body as text, up to `maxBytes`. */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return (await readRequestBytes(request, maxBytes)).toString('utf8');
}

/**
 * Reads a request body's bytes as sent (a signature is over them), up to `maxBytes`; a larger
 * one is refused before it is buffered whole.
 */
export async function readRequestBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new RequestBodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new RequestBodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
