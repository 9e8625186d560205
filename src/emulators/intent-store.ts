/** In-memory intents of one emulator, in creation order. */
export class IntentStore<Intent extends { readonly id: string }> {
  readonly #intents = new Map<string, Intent>();
  readonly #withStatus: (intent: Intent, status: string) => Intent;

  /** @param withStatus how the provider represents a status change (Ziina also fills latest_error). */
  constructor(withStatus: (intent: Intent, status: string) => Intent) {
    this.#withStatus = withStatus;
  }

  get size(): number {
    return this.#intents.size;
  }

  add(intent: Intent): void {
    this.#intents.set(intent.id, intent);
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
    const updated = this.#withStatus(intent, status);
    this.#intents.set(id, updated);
    return updated;
  }
}
