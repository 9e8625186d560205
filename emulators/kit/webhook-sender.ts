import { setTimeout as sleep } from 'node:timers/promises';

export interface WebhookDeliveryOptions {
  /** Limit of one attempt, connection to response headers; default 5000 ms. */
  timeoutMs?: number;
  /** Wait before the first retry, doubled before each next one; default 1000 ms. */
  retryBackoffMs?: number;
}

/** What tests and tools can see of an emulator's webhook deliveries. */
export interface WebhookDeliveries {
  /** Events a receiver acknowledged with a 2xx. */
  readonly delivered: number;
  /** Events given up after every attempt failed. Deliveries cut short by close() count as neither. */
  readonly failed: number;
  /** Resolves once no delivery is in flight, those started meanwhile included. */
  settled(): Promise<void>;
}

/**
 * POSTs webhook events in the background like a provider does: the change that caused an event never
 * waits for its delivery. An attempt fails on a connection error, a timeout or a non-2xx answer.
 */
export class WebhookSender implements WebhookDeliveries {
  #delivered = 0;
  #failed = 0;
  readonly #retries: number;
  readonly #timeoutMs: number;
  readonly #retryBackoffMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  /** @param retries attempts after the first one. */
  constructor(retries: number, { timeoutMs = 5000, retryBackoffMs = 1000 }: WebhookDeliveryOptions = {}) {
    this.#retries = retries;
    this.#timeoutMs = timeoutMs;
    this.#retryBackoffMs = retryBackoffMs;
  }

  send(url: string, jsonBody: string, headers: Record<string, string> = {}): void {
    const delivery = this.#deliver(url, jsonBody, headers).then(
      (acknowledged) => {
        if (acknowledged) {
          this.#delivered += 1;
        } else {
          this.#failed += 1;
        }
      },
      () => undefined, // Aborted by close().
    );
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
  }

  get delivered(): number {
    return this.#delivered;
  }

  get failed(): number {
    return this.#failed;
  }

  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) {
      await Promise.all(this.#inFlight);
    }
  }

  /** Aborts every attempt and backoff in flight. */
  close(): void {
    this.#closing.abort();
  }

  /** True once an attempt is acknowledged, false when all failed; rejects when aborted. */
  async #deliver(url: string, jsonBody: string, headers: Record<string, string>): Promise<boolean> {
    for (let attempt = 0; attempt <= this.#retries; attempt += 1) {
      if (attempt > 0) {
        await sleep(this.#retryBackoffMs * 2 ** (attempt - 1), undefined, { signal: this.#closing.signal });
      }
      if (await this.#attempt(url, jsonBody, headers)) {
        return true;
      }
    }
    return false;
  }

  async #attempt(url: string, jsonBody: string, headers: Record<string, string>): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: jsonBody,
        // A redirect is not an acknowledgement: webhook senders do not follow them.
        redirect: 'manual',
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#timeoutMs)]),
      });
      // Frees the connection; the receiver's answer says nothing beyond its status.
      await response.body?.cancel();
      return response.ok;
    } catch {
      // A connection error or this attempt's timeout; close() ends the whole delivery instead.
      this.#closing.signal.throwIfAborted();
      return false;
    }
  }
}
