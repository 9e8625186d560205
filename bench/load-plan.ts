/**
 * What one load run sends, shared by the driver (bench/run.ts) and the load generator it spawns
 * (bench/load-generator.ts), which gets it as JSON on its command line.
 */
export interface LoadPlan {
  readonly url: string;
  /** POST with a JSON body, or GET (bodies ignored). */
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request bodies, sent in turn. `{{seq}}` in a body becomes a number unique in the run (with
   * `runId`), for requests that must differ, such as creates under new keys.
   */
  readonly bodies: readonly string[];
  readonly runId: string;
  readonly seconds: number;
  /**
   * `closed`: `connections` loops, each sending its next request when the last one is answered
   * (throughput at saturation). `open`: requests at a constant `rate` per second, whatever the
   * answers do, each timed from the moment it was due (latency under a fixed load).
   */
  readonly mode: 'closed' | 'open';
  readonly connections: number;
  readonly rate?: number;
  /** A closed run stops after this many requests, if it comes before `seconds`. */
  readonly requests?: number;
}

export interface LoadResult {
  readonly completed: number;
  /** Answers that were not 200 or carried GraphQL errors, and requests that failed outright. */
  readonly failed: number;
  readonly firstFailure: string | null;
  /** Requests due in an open run that had no answer when it stopped waiting. */
  readonly unanswered: number;
  readonly seconds: number;
  readonly throughput: number;
  /** Milliseconds. */
  readonly latency: { readonly p50: number; readonly p99: number; readonly p999: number; readonly max: number };
}
