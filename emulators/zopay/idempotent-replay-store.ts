import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { EmulatorResponse } from '../kit/emulator-exchange.ts';

/**
 * Zopay's Idempotency-Key store (docs/providers/zopay.md): same key + same body within 24 h replays the
 * original response verbatim; same key + different body is 409 idempotency_conflict. Keys are scoped
 * per API key, like the partner org the real store scopes them to.
 */

const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export type IdempotencyKeyHeader =
  | { readonly key: string }
  | { readonly error: 'idempotency_key_required' | 'idempotency_key_invalid'; readonly message: string };

/** The header is parsed before auth, so a bad header is a 400 on its own (docs/providers/zopay.md). */
export function readIdempotencyKey(headers: IncomingHttpHeaders): IdempotencyKeyHeader {
  const value = headers['idempotency-key'];
  if (value === undefined) {
    return { error: 'idempotency_key_required', message: 'The Idempotency-Key header is required for this endpoint' };
  }
  const key = Array.isArray(value) ? value.join(', ') : value;
  if (key.length > MAX_KEY_LENGTH || !PRINTABLE_ASCII.test(key)) {
    return {
      error: 'idempotency_key_invalid',
      message: `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`,
    };
  }
  return { key };
}

export type ReplayClaim =
  | {
      readonly outcome: 'claimed';
      /** Stores the handler's answer for later replays. */
      complete(response: EmulatorResponse): void;
      /** Frees the key when the handler never completed (the emulator closed mid-request); no-op after complete. */
      release(): void;
    }
  | { readonly outcome: 'replay'; readonly response: EmulatorResponse }
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'in_use' };

/** A completed request: what a replay answers, and what the state file keeps. */
export interface ReplayRecord {
  /** The API key the Idempotency-Key belongs to. */
  readonly scope: string;
  readonly key: string;
  /** SHA-256 of the raw request body, hex. */
  readonly bodyDigest: string;
  readonly response: EmulatorResponse;
  /** Emulator clock (ms) when the response was stored: the replay window runs from there. */
  readonly storedAt: number;
}

export const replayRecordSchema: z.ZodType<ReplayRecord> = z.strictObject({
  scope: z.string(),
  key: z.string(),
  bodyDigest: z.string(),
  response: z.strictObject({
    status: z.number().int(),
    body: z.string(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  storedAt: z.number(),
});

export interface ReplayStoreOptions {
  /** Records a state file kept from an earlier run. */
  readonly restored?: readonly ReplayRecord[] | undefined;
  /** Runs after a response is stored, e.g. to save it in the state file. */
  readonly onStored?: (record: ReplayRecord) => void;
}

interface Entry {
  readonly scope: string;
  readonly key: string;
  readonly bodyDigest: string;
  /** Undefined while the first request with this key is still being handled. */
  stored?: { readonly response: EmulatorResponse; readonly at: number };
}

export class IdempotentReplayStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #onStored: (record: ReplayRecord) => void;

  constructor(now: () => number, { restored = [], onStored = () => undefined }: ReplayStoreOptions = {}) {
    this.#now = now;
    this.#onStored = onStored;
    for (const { scope, key, bodyDigest, response, storedAt } of restored) {
      this.#entries.set(replayRecordKey({ scope, key }), {
        scope,
        key,
        bodyDigest,
        stored: { response, at: storedAt },
      });
    }
  }

  /** @param body the raw request bytes: a replay needs a byte-identical body. */
  claim(scope: string, key: string, body: Buffer): ReplayClaim {
    const id = replayRecordKey({ scope, key });
    const bodyDigest = createHash('sha256').update(body).digest('hex');
    const existing = this.#entries.get(id);
    if (existing !== undefined) {
      if (existing.stored === undefined) {
        return { outcome: 'in_use' };
      }
      if (this.#now() - existing.stored.at < REPLAY_WINDOW_MS) {
        return existing.bodyDigest === bodyDigest
          ? { outcome: 'replay', response: existing.stored.response }
          : { outcome: 'conflict' };
      }
    }
    const entry: Entry = { scope, key, bodyDigest };
    this.#entries.set(id, entry);
    return {
      outcome: 'claimed',
      complete: (response) => {
        entry.stored = { response, at: this.#now() };
        this.#onStored(recordOf(entry, entry.stored));
      },
      release: () => {
        if (entry.stored === undefined && this.#entries.get(id) === entry) {
          this.#entries.delete(id);
        }
      },
    };
  }

  /** The completed requests; keys still being handled are left out. */
  records(): ReplayRecord[] {
    return [...this.#entries.values()].flatMap((entry) =>
      entry.stored === undefined ? [] : [recordOf(entry, entry.stored)],
    );
  }
}

function recordOf({ scope, key, bodyDigest }: Entry, stored: NonNullable<Entry['stored']>): ReplayRecord {
  return { scope, key, bodyDigest, response: stored.response, storedAt: stored.at };
}

/** One record per Idempotency-Key of an API key: a later record of the same key replaces it. */
export function replayRecordKey({ scope, key }: Pick<ReplayRecord, 'scope' | 'key'>): string {
  return JSON.stringify([scope, key]);
}
