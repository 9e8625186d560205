/** Amounts (time, bytes) added up by name, then listed largest first: the rows of a profile's summary. */
export class RankedTotals {
  readonly #totals = new Map<string, number>();

  add(name: string, amount: number): void {
    this.#totals.set(name, (this.#totals.get(name) ?? 0) + amount);
  }

  ranked(): { readonly name: string; readonly amount: number }[] {
    return [...this.#totals].sort((a, b) => b[1] - a[1]).map(([name, amount]) => ({ name, amount }));
  }
}

/** A profile's summary: its rows by where the code comes from (bench/code-origin.ts) and by function. */
export interface ByOriginAndFunction<Row> {
  readonly byPackage: readonly Row[];
  readonly byFunction: readonly Row[];
}
