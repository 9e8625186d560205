// The yardstick of a read (BENCHMARKS.md): a bare node:http server that parses the JSON body, makes one
// GET to the provider through an undici Pool, parses the answer and answers JSON. Nothing else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

const providerBaseUrl = new URL(process.env.PROVIDER_BASE_URL!);
const apiKey = process.env.PROVIDER_API_KEY!;
const pool = new Pool(providerBaseUrl.origin, { connections: 64 });

async function proxyRead(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
  const answer = await pool.request({
    path: `${providerBaseUrl.pathname}/payment-intents/${encodeURIComponent(id)}`,
    method: 'GET',
    headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
  });
  const intent = (await answer.body.json()) as Record<string, unknown>;
  const text = JSON.stringify({ data: { paymentIntent: { id: `zopay:${String(intent.id)}`, status: intent.status } } });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const server = createServer((request, response) => void proxyRead(request, response));
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'bare proxy listening', port: (server.address() as { port: number }).port }));
});
process.once('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))));
