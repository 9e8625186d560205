import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './emulator.ts';
import { jsonResponse, type EmulatorResponse, type RouteContext } from './emulator-exchange.ts';

export const DROP_CONNECTION = Symbol('drop the connection without answering');

export type FaultOutcome = EmulatorResponse | typeof DROP_CONNECTION;

export interface FaultInjection {
  /** The fault this request consumed, if any. */
  readonly fault: Fault | undefined;
  /** Runs the provider's real route (auth, validation, minting...). */
  readonly runRoute: (context: RouteContext) => Promise<EmulatorResponse>;
  /** The provider-style error body used when a fault gives a status but no body. */
  readonly providerErrorBody: (status: number) => unknown;
  /** Aborted when the emulator closes, so no injected delay outlives it. */
  readonly signal: AbortSignal;
}

const NO_DELAY: RouteContext = { injectedDelay: () => Promise.resolve() };

/** Decides what a request gets once a fault (or none) has been taken for it. */
export async function applyFault({
  fault,
  runRoute,
  providerErrorBody,
  signal,
}: FaultInjection): Promise<FaultOutcome> {
  if (fault === undefined) {
    return runRoute(NO_DELAY);
  }
  const delay = async () => {
    if (fault.delayMs !== undefined && fault.delayMs > 0) {
      await sleep(fault.delayMs, undefined, { signal });
    }
  };
  const injected = injectedOutcome(fault, providerErrorBody);
  if (fault.afterHandler) {
    const realResponse = await runRoute(NO_DELAY);
    await delay();
    return injected ?? realResponse;
  }
  if (injected !== undefined) {
    await delay();
    return injected;
  }
  // The route serves the delay where its real work starts; a route that never asks for it gets it here.
  const delayState = { served: false };
  const response = await runRoute({
    injectedDelay: () => {
      delayState.served = true;
      return delay();
    },
  });
  if (!delayState.served) {
    await delay();
  }
  return response;
}

function injectedOutcome(fault: Fault, providerErrorBody: (status: number) => unknown): FaultOutcome | undefined {
  if (fault.destroySocket) {
    return DROP_CONNECTION;
  }
  if (fault.status !== undefined) {
    return jsonResponse(
      fault.status,
      fault.body === undefined ? providerErrorBody(fault.status) : fault.body,
      fault.headers,
    );
  }
  return undefined;
}
