export interface IntentStoreOptions<Intent> {
  /** How the provider represents a status change (Ziina also fills latest_error). */
  readonly withStatus: (intent: Intent, status: string) => Intent;
  /** Intents a state file kept from an earlier run, in creation order. */
  readonly restored?: readonly Intent[] | undefined;
  /** Runs after every add and status change with the intent as it now is, e.g. to save it in the state file. */
  readonly onChange?: (intent: Intent) => void;
  /** Runs after a status change with the updated intent, e.g. to send a webhook. */
  readonly onStatusChange?: (intent: Intent) => void;
}

/** The intents of one emulator, in creation order. */
export class IntentStore<Intent extends { readonly id: string }> {
  readonly #intents = new Map<string, Intent>();
  readonly #options: IntentStoreOptions<Intent>;

  constructor(options: IntentStoreOptions<Intent>) {
    this.#options = options;
    for (const intent of options.restored ?? []) {
      this.#intents.set(intent.id, intent);
    }
  }

  get size(): number {
    return this.#intents.size;
  }

  add(intent: Intent): void {
    this.#intents.set(intent.id, intent);
    this.#options.onChange?.(intent);
  }

  get(id: string): Intent | undefined {
    return this.#intents.get(id);
  }

  list(): Intent[] {
    return [...this.#intents.values()];
  }

  /** Returns the updated intent, or undefined when the id is unknown. */
  setStatus(id: string, status: string): Intent | undefined {
    const intent = this.#intents.get(id);
    if (intent === undefined) {
      return undefined;
    }
    const updated = this.#options.withStatus(intent, status);
    this.#intents.set(id, updated);
    this.#options.onChange?.(updated);
    this.#options.onStatusChange?.(updated);
    return updated;
  }
}
