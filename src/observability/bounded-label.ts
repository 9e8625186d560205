/** What a value outside the safe pattern, or beyond the cap, is counted as. */
export const OTHER_LABEL_VALUE = 'other';

/**
 * A metric label whose values come from clients (GraphQL operation names): each distinct value is
 * a time series of its own in Prometheus, so only values of a safe shape are kept, and only the
 * first `cap` of them; the rest are counted as `other`
 * (https://prometheus.io/docs/practices/naming/#labels: "do not use labels to store dimensions with
 * high cardinality"). What a value was counted as never changes while the process runs.
 */
export class BoundedLabel {
  readonly #pattern: RegExp;
  readonly #cap: number;
  readonly #seen = new Set<string>();

  constructor(pattern: RegExp, cap: number) {
    this.#pattern = pattern;
    this.#cap = cap;
  }

  of(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.#cap || !this.#pattern.test(value)) return OTHER_LABEL_VALUE;
    this.#seen.add(value);
    return value;
  }
}
