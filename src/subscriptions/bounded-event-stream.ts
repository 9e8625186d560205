/** Why a subscriber was dropped before it had read everything. */
export class SlowConsumerError extends Error {
  override readonly name = 'SlowConsumerError';

  constructor(capacity: number) {
    super(`the subscriber fell more than ${capacity} events behind and was dropped`);
  }
}

/** How a stream ended: its source finished or failed it, its consumer cancelled it, or it was dropped for being slow. */
export type StreamEnd = 'finished' | 'failed' | 'cancelled' | 'dropped';

interface PendingRead<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: Error): void;
}

/**
 * An async iterator fed by pushes, for one subscriber. Its buffer is bounded: a consumer that does
 * not keep up (a socket that does not drain) is dropped once `capacity` events wait, instead of
 * holding memory without limit while the others go on. `return()` ends it at once, even while a
 * `next()` waits: a subscription the client completes, or whose socket closes, stops now rather than
 * at its next event (an async generator would only see its `return()` after the pending `next()`).
 */
export class BoundedEventStream<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #buffer: T[] = [];
  readonly #pending: PendingRead<T>[] = [];
  readonly #onEnd: (reason: StreamEnd) => void;
  #ended: StreamEnd | null = null;
  /** Rejects the consumer's next read once the buffer is empty. */
  #failure: Error | null = null;

  constructor(capacity: number, onEnd: (reason: StreamEnd) => void) {
    this.#capacity = capacity;
    this.#onEnd = onEnd;
  }

  get ended(): boolean {
    return this.#ended !== null;
  }

  /** Hands the event to a waiting read, or buffers it; drops the consumer beyond capacity. */
  push(event: T): void {
    if (this.#ended !== null) return;
    const read = this.#pending.shift();
    if (read !== undefined) {
      read.resolve({ value: event, done: false });
      return;
    }
    if (this.#buffer.length >= this.#capacity) {
      this.#buffer.length = 0;
      this.#end('dropped', new SlowConsumerError(this.#capacity));
      return;
    }
    this.#buffer.push(event);
  }

  /** No more events: the consumer reads what is buffered, then the stream is done. */
  finish(): void {
    this.#end('finished', null);
  }

  /** Ends the stream with an error: the consumer's next read, after what is buffered, rejects with it. */
  fail(error: Error): void {
    this.#end('failed', error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#buffer.length > 0) return Promise.resolve({ value: this.#buffer.shift() as T, done: false });
    if (this.#failure !== null) {
      const failure = this.#failure;
      this.#failure = null;
      return Promise.reject(failure);
    }
    if (this.#ended !== null) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.#buffer.length = 0;
    this.#failure = null;
    this.#end('cancelled', null);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #end(reason: StreamEnd, failure: Error | null): void {
    if (this.#ended !== null) return;
    this.#ended = reason;
    // Reads can wait only while the buffer is empty: they get the failure, or the end.
    const waiting = this.#pending.splice(0);
    for (const read of waiting) {
      if (failure === null) read.resolve({ value: undefined, done: true });
      else read.reject(failure);
    }
    if (failure !== null && waiting.length === 0) this.#failure = failure;
    this.#onEnd(reason);
  }
}
