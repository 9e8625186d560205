/**
 * One provider call's budget as an AbortSignal that aborts with a `TimeoutError` DOMException, like
 * `AbortSignal.timeout()`, but whose timer is cleared as soon as the call ends. A call takes
 * milliseconds and its deadline is seconds: `AbortSignal.timeout()` would leave one timer and one
 * weakly held signal per call pending for the whole deadline, thousands of them under load, each
 * for the garbage collector to track (https://nodejs.org/api/globals.html#abortsignaltimeoutdelay).
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;

  constructor(milliseconds: number) {
    this.#timer = setTimeout(() => {
      this.#controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, milliseconds);
    // A pending deadline never keeps the process alive on its own.
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The call is over: its timer goes, and the signal never aborts. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}
