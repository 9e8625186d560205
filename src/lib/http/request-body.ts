import type { IncomingMessage } from 'node:http';

export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/**
 * Reads a request body's bytes as sent (a signature or an idempotent replay compares them), up to
 * `limitBytes`. A body declared larger is refused before a byte is read, and one that grows past the
 * limit is refused as soon as it does: nothing unbounded is ever buffered. Node discards what is left
 * of the body once the answer is sent, so the client still reads it.
 */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new RequestBodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new RequestBodyTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
