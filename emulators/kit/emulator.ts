/**
 * Shared contract of the provider emulators: real HTTP servers on 127.0.0.1 that behave like the
 * providers described in docs/providers/, used by `npm start` without keys, by the tests,
 * and by frontend teams through `npm run emulators`.
 */

export interface EmulatorOptions {
  /** Default 0: an ephemeral port chosen by the OS. */
  port?: number;
  /** Default: a random key generated at start (Zopay: 'sk_test_' + random hex, a sandbox key). */
  apiKey?: string;
  /** Clock in ms, default Date.now: drives created_at, expiry checks and the idempotency window. */
  now?: () => number;
  /**
   * JSON file keeping the emulator's state (key, intents, replay records, webhook) across restarts:
   * loaded at start when it exists, each change appended to a journal beside it, the whole state
   * rewritten atomically at close (emulators/kit/state-file.ts). Default: memory only.
   * A saved key is used unless apiKey is given. Faults and stats are never saved.
   */
  stateFile?: string;
}

/** What an emulator mints a new intent from, besides the request: deterministic per key and counter. */
export interface MintContext {
  readonly apiKey: string;
  /** 1 for the emulator's first intent, 2 for the next... */
  readonly counter: number;
  readonly nowMs: number;
}

export interface EmulatorStats {
  /** Create requests that reached the create handler and minted or replayed an intent. */
  createRequests: number;
  /** Intents minted so far. */
  intentsCreated: number;
  /** Authorised reads of one intent (GET by id), found or not. */
  readRequests: number;
}

export interface StartedEmulator {
  /** Mirrors the real base URL, so clients append the provider's own paths to it. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly faults: FaultQueue;
  readonly stats: EmulatorStats;
  /** Changes an intent's status (any string, so unknown statuses can be tested); false if the id is unknown. */
  setStatus(providerId: string, status: string): boolean;
  /** Stops listening and drops every connection, keep-alive and in-flight ones included. */
  close(): Promise<void>;
}

/**
 * One injected misbehaviour, consumed by the first request it matches. Faults are applied before
 * the provider's own checks (auth included): a 503 from a load balancer comes before the app.
 */
export interface Fault {
  /** Match only this method (e.g. 'POST'); default any. */
  method?: string;
  /** Match only URLs (path and query) containing this; default any. */
  pathIncludes?: string;
  /** Wait before answering, or before the real handler runs when no status is given. */
  delayMs?: number;
  /** Answer with this status instead of running the handler. */
  status?: number;
  /** JSON body of that answer; default a provider-style error body for the status. */
  body?: unknown;
  /** Headers of that answer, e.g. { 'retry-after': '1' }; ignored when no status is given. */
  headers?: Record<string, string>;
  /** Drop the connection without answering. */
  destroySocket?: boolean;
  /**
   * Run the real handler first (an intent IS minted, an idempotent answer IS stored), then answer
   * with status/body or drop the connection: "created but the response was lost".
   */
  afterHandler?: boolean;
}

export interface FaultQueue {
  push(...faults: Fault[]): void;
  clear(): void;
  readonly pending: number;
}
