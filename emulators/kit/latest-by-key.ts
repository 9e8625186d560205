/**
 * `items` with each update in place of the item of the same key, or after them when its key is new:
 * how a state file's journal of changed records applies to the records saved before it, creation
 * order kept.
 */
export function latestByKey<T>(items: readonly T[], updates: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map(items.map((item) => [keyOf(item), item]));
  for (const update of updates) byKey.set(keyOf(update), update);
  return [...byKey.values()];
}
