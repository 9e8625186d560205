import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import type { ProviderId } from '../payments/payment-intent.ts';

/** What the operation's log line and metrics say of one create it ran. */
export interface ObservedCreate {
  /** Null when the input named no provider (or both). */
  readonly provider: ProviderId | null;
  readonly clientMutationId: string;
  readonly replayed: boolean;
  readonly paymentIntentId: string | null;
  readonly userErrorCodes: readonly string[];
}

/**
 * One HTTP request served, from its first byte to its answer: its id, its span when tracing is on,
 * and what its resolvers report for the operation's log line (the creates it ran).
 */
export interface ObservedRequest {
  readonly requestId: string;
  /** The request's SERVER span, or null when tracing is off. */
  readonly span: Span | null;
  readonly creates: ObservedCreate[];
}

/** Ids the router or an ingress sends (UUIDs, ULIDs, hex); anything else is replaced, never logged. */
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it is safe to log and echo, else a new one. */
export function requestIdOf(presented: string | string[] | undefined): string {
  return typeof presented === 'string' && SAFE_REQUEST_ID.test(presented) ? presented : randomUUID();
}

// Carries the request through every await below it, so log lines written anywhere during it name it
// (the logger's mixin) and the GraphQL context finds it. Node 24 implements AsyncLocalStorage on
// AsyncContextFrame: run() and getStore() cost a few tens of nanoseconds.
// https://nodejs.org/api/async_context.html#class-asynclocalstorage
const requests = new AsyncLocalStorage<ObservedRequest>();

export function runInRequest<T>(request: ObservedRequest, work: () => T): T {
  return requests.run(request, work);
}

/** The request being served by the code running now, if any. */
export function currentRequest(): ObservedRequest | undefined {
  return requests.getStore();
}
