import type { Logger } from '../logging/logger.ts';
import { isTerminalStatus, type ProviderId } from '../payments/payment-intent.ts';
import { parsePaymentIntentId } from '../payments/payment-intent-id.ts';
import type { IntentUpdate } from './intent-update-hub.ts';

export interface ProviderRefreshPollerOptions {
  /** The intents subscribed to in this process, with what was last read of each. */
  readonly watched: () => Iterable<{ readonly id: string; readonly intent: IntentUpdate | undefined }>;
  /**
   * Providers whose changes webhooks bring here: their intents are refreshed only as a fallback, for
   * a lost delivery. Every other provider's intents are refreshed every window while watched.
   */
  readonly webhookProviders: ReadonlySet<ProviderId>;
  /** Every provider id, to tell an intent's provider from its id. */
  readonly providerIds: readonly ProviderId[];
  /**
   * Claims the refresh of these intents, each for its own lease (intent id → milliseconds), in one
   * statement; returns those this process won.
   */
  readonly claim: (leaseMsById: ReadonlyMap<string, number>) => Promise<string[]>;
  /** Reads these intents from their provider and stores them: a change is then announced. */
  readonly refresh: (ids: readonly string[]) => Promise<void>;
  /**
   * INTENT_FRESHNESS_MS: at most one refresh per intent per window (1 s at least), across all replicas;
   * one per WEBHOOK_FALLBACK_WINDOWS windows of an intent whose provider sends webhooks here.
   */
  readonly windowMs: number;
  readonly logger: Logger;
  readonly onClaimed?: (claimed: number, lost: number) => void;
}

/** How often a replica tries to claim the refreshes: small against the window, so a change waits at most window + tick. */
const MAX_TICK_MS = 500;
const MIN_TICK_MS = 100;
/**
 * The shortest lease: with INTENT_FRESHNESS_MS at 0 (every query asks the provider), subscribers
 * would otherwise have their intent read at every tick of every replica.
 */
const MIN_LEASE_MS = 1_000;
/**
 * An intent whose provider sends webhooks here is leased for this many windows. Its webhook is the
 * fast path, but a delivery can be lost (refused with a 500 for as long as the store was down, with a
 * 401 after a secret rotation, dropped by an ingress), and a subscription reads nothing on its own:
 * without this refresh its subscriber would wait for a change that has already happened. Twelve
 * windows of the default 5 s are one provider GET per watched intent per minute across all replicas,
 * a safety net the provider hardly notices; 12 s at the least, as the window is 1 s at the least.
 */
const WEBHOOK_FALLBACK_WINDOWS = 12;

/**
 * Refreshes watched intents from their provider (docs/decisions/subscriptions.md): every window
 * those of providers that send no webhooks here, and as a fallback, every WEBHOOK_FALLBACK_WINDOWS
 * windows, those whose webhooks may have been lost. Every replica with subscribers tries each tick to
 * claim the leases of its intents in the store (one statement for all of them, whatever their lease);
 * a lease is taken only once it has expired, so one replica per lease wins it and refreshes, and the
 * store announces any change to every replica's subscribers. A thousand subscribers of one intent
 * cost one provider call per lease, not a thousand.
 */
export class ProviderRefreshPoller {
  readonly #options: ProviderRefreshPollerOptions;
  readonly #timer: NodeJS.Timeout;
  readonly #leaseMs: number;
  readonly #fallbackLeaseMs: number;
  #running: Promise<void> | null = null;

  constructor(options: ProviderRefreshPollerOptions) {
    this.#options = options;
    this.#leaseMs = Math.max(MIN_LEASE_MS, options.windowMs);
    this.#fallbackLeaseMs = WEBHOOK_FALLBACK_WINDOWS * this.#leaseMs;
    const tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, this.#leaseMs / 5));
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
    if (due.size === 0) return;
    try {
      const claimed = await this.#options.claim(due);
      this.#options.onClaimed?.(claimed.length, due.size - claimed.length);
      if (claimed.length > 0) await this.#options.refresh(claimed);
    } catch (error) {
      this.#options.logger.warn({ err: error, intents: due.size }, 'refreshing subscribed intents failed');
    }
  }

  /** Watched intents that may still change, each with the lease its provider's refreshes take. */
  #due(): Map<string, number> {
    const due = new Map<string, number>();
    for (const { id, intent } of this.#options.watched()) {
      if (intent === null || (intent !== undefined && isTerminalStatus(intent.status))) continue;
      const reference = parsePaymentIntentId(id, this.#options.providerIds);
      if (reference === null) continue;
      due.set(id, this.#options.webhookProviders.has(reference.provider) ? this.#fallbackLeaseMs : this.#leaseMs);
    }
    return due;
  }
}
