import type { Fault, FaultQueue } from './emulator.ts';

/** FIFO of injected faults: each request consumes the oldest fault that matches it, if any. */
export class InjectedFaultQueue implements FaultQueue {
  #faults: Fault[] = [];

  push(...faults: Fault[]): void {
    this.#faults.push(...faults);
  }

  clear(): void {
    this.#faults = [];
  }

  get pending(): number {
    return this.#faults.length;
  }

  /** Removes and returns the oldest fault matching this request. */
  take(method: string, url: string): Fault | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
        (fault.pathIncludes === undefined || url.includes(fault.pathIncludes)),
    );
    return index === -1 ? undefined : this.#faults.splice(index, 1)[0];
  }
}
