import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import { writeJson } from '../lib/http/json-response.ts';
import { readRequestBody } from '../lib/http/request-body.ts';

/**
 * Apollo Server on plain node:http (executeHTTPGraphQLRequest): no web framework between the
 * socket and GraphQL. Apollo keeps its CSRF prevention, content negotiation and status codes;
 * this only translates the request and the response.
 */
export async function handleGraphQLRequest<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextThunk<TContext>,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  maxBodyBytes: number,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = (request.method ?? 'GET').toUpperCase();
  const body = method === 'POST' ? await readJsonBody(request, headers, maxBodyBytes) : undefined;
  if (body === INVALID_JSON) {
    writeJson(response, 400, {
      errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
    return;
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context,
  });
  response.statusCode = result.status ?? 200;
  for (const [name, value] of result.headers) response.setHeader(name, value);
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

const INVALID_JSON = Symbol('invalid JSON');

/** Only a JSON body is parsed; for any other content type Apollo answers 400 itself. */
async function readJsonBody(request: IncomingMessage, headers: HeaderMap, maxBodyBytes: number): Promise<unknown> {
  const text = (await readRequestBody(request, maxBodyBytes)).toString('utf8');
  if (!headers.get('content-type')?.toLowerCase().includes('application/json')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}
