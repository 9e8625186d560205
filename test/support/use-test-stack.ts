import { afterAll, beforeAll } from 'vitest';
import { startTestStack, type TestStack, type TestStackOptions } from './test-stack.ts';

/** Starting takes seconds on PGlite and on a busy machine; so may setting up what a block needs. */
const STACK_TIMEOUT_MS = 120_000;

/**
 * A test stack for the enclosing describe block (or file): started before its tests, handed to
 * `onStarted` (which may also prepare data), stopped after them.
 */
export function useTestStack(options: TestStackOptions, onStarted: (stack: TestStack) => void | Promise<void>): void {
  let started: TestStack | undefined;
  beforeAll(async () => {
    started = await startTestStack(options);
    await onStarted(started);
  }, STACK_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
  }, STACK_TIMEOUT_MS);
}
