import type { Logger } from '../logging/logger.ts';
import { isTerminalStatus, type ProviderId } from '../payments/payment-intent.ts';
import { parsePaymentIntentId } from '../payments/payment-intent-id.ts';
import type { IntentUpdate } from './intent-update-hub.ts';

export interface ProviderRefreshPollerOptions {
  /** The intents subscribed to in this process, with what was last read of each. */
  readonly watched: () => Iterable<{ readonly id: string; readonly intent: IntentUpdate | undefined }>;
  /** Providers whose changes no webhook brings here: their intents are refreshed while watched. */
  readonly polledProviders: ReadonlySet<ProviderId>;
  /** Every provider id, to tell an intent's provider from its id. */
  readonly providerIds: readonly ProviderId[];
  /** Claims the refresh of these intents for one window; returns those this process won. */
  readonly claim: (ids: readonly string[], windowMs: number) => Promise<string[]>;
  /** Reads these intents from their provider and stores them: a change is then announced. */
  readonly refresh: (ids: readonly string[]) => Promise<void>;
  /** INTENT_FRESHNESS_MS: at most one refresh per intent per window, across all replicas. */
  readonly windowMs: number;
  readonly logger: Logger;
  readonly onClaimed?: (claimed: number, lost: number) => void;
}

/** How often a replica tries to claim the refreshes: small against the window, so a change waits at most window + tick. */
const MAX_TICK_MS = 500;
const MIN_TICK_MS = 100;

/**
 * Refreshes, from their provider, the watched intents of providers that send no webhooks here
 * (docs/decisions/subscriptions.md). Every replica with subscribers of such an intent tries each tick
 * to claim its lease in the store (one statement for all its intents); the lease lasts one freshness
 * window, so one replica per window wins it and refreshes, and the store announces any change to
 * every replica's subscribers. A thousand subscribers of one intent cost one provider call per
 * window, not a thousand.
 */
export class ProviderRefreshPoller {
  readonly #options: ProviderRefreshPollerOptions;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;

  constructor(options: ProviderRefreshPollerOptions) {
    this.#options = options;
    const tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, options.windowMs / 5));
    this.#timer = setInterval(() => {
      // A tick that outlasts the interval (a slow store) is not overlapped by the next.
      this.#running ??= this.#tick().finally(() => (this.#running = null));
    }, tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async #tick(): Promise<void> {
    const due = this.#due();
    if (due.length === 0) return;
    try {
      const claimed = await this.#options.claim(due, this.#options.windowMs);
      this.#options.onClaimed?.(claimed.length, due.length - claimed.length);
      if (claimed.length > 0) await this.#options.refresh(claimed);
    } catch (error) {
      this.#options.logger.warn({ err: error, intents: due.length }, 'refreshing subscribed intents failed');
    }
  }

  /** Watched intents of polled providers that may still change. */
  #due(): string[] {
    const due: string[] = [];
    for (const { id, intent } of this.#options.watched()) {
      if (intent === null || (intent !== undefined && isTerminalStatus(intent.status))) continue;
      const reference = parsePaymentIntentId(id, this.#options.providerIds);
      if (reference !== null && this.#options.polledProviders.has(reference.provider)) due.push(id);
    }
    return due;
  }
}
