import { afterAll, afterEach, beforeAll } from 'vitest';

/** Starting a server, a database or a stack takes seconds on PGlite and on a busy machine. */
export const START_TIMEOUT_MS = 120_000;

/**
 * Something started once for the enclosing describe block (or file) and stopped after its tests.
 * Returns an accessor: reading it before the start finished is a bug in the test, and says so.
 * Nothing is stopped when nothing was started, so a failed start shows its own error.
 */
export function useStarted<T>(
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
  timeoutMs = START_TIMEOUT_MS,
): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    if (started !== undefined) await stop(started);
  }, timeoutMs);
  return () => {
    if (started === undefined) throw new Error('not started yet: read it inside a test or hook');
    return started;
  };
}

/**
 * Things each test starts for itself (with options of its own, or several), every one of them
 * stopped after its test, even a failed one. Returns `track`: it takes the start (or the started
 * thing) and gives the started thing back.
 */
export function useStoppedAfterEach<T>(
  stop: (started: T) => Promise<unknown>,
): <S extends T>(starting: S | Promise<S>) => Promise<S> {
  const started: T[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(stop));
  }, START_TIMEOUT_MS);
  return async (starting) => {
    const value = await starting;
    started.push(value);
    return value;
  };
}
