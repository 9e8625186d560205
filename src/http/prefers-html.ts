import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';

/** What /graphql answers an operation with, in Apollo Server's order; a tie goes to the first. */
const OPERATION_RESULT_TYPES = ['application/json', 'application/graphql-response+json', 'multipart/mixed'];

/**
 * True for a GET that asks for a page rather than an operation's result: its Accept header ranks
 * text/html above every result type, as a browser's address bar does, and `*` / no header does not.
 * The rule Apollo Server applies to its own landing page (ApolloServer.prefersHTML), content
 * negotiation as https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1 defines it.
 */
export function prefersHtml(request: Pick<IncomingMessage, 'method' | 'headers'>): boolean {
  const accept = request.headers.accept;
  if (request.method !== 'GET' || accept === undefined) return false;
  return new Negotiator({ headers: { accept } }).mediaType([...OPERATION_RESULT_TYPES, 'text/html']) === 'text/html';
}
