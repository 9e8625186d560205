/**
 * A provider's JSON answer, parsed with the source text of every number remembered, so that an
 * amount sent as a JSON number (e.g. 10.50) can be read exactly instead of through a binary float.
 * Uses the `context.source` argument of JSON.parse revivers (TC39 "JSON.parse source text access").
 */
export interface ParsedJsonBody {
  readonly value: unknown;
  /** The literal text of the number at `holder[key]`, e.g. "10.50". */
  numberSource(holder: object, key: string): string | undefined;
}

type ReviverWithSource = (this: object, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Null when the body is not JSON (an HTML error page from a proxy, an empty body). */
export function parseJsonBody(text: string): ParsedJsonBody | null {
  const sources = new WeakMap<object, Map<string, string>>();
  const remember: ReviverWithSource = function (key, value, context) {
    if (typeof value === 'number' && context?.source !== undefined) {
      const holderSources = sources.get(this) ?? new Map<string, string>();
      holderSources.set(key, context.source);
      sources.set(this, holderSources);
    }
    return value;
  };
  try {
    const value: unknown = JSON.parse(text, remember as Parameters<typeof JSON.parse>[1]);
    return { value, numberSource: (holder, key) => sources.get(holder)?.get(key) };
  } catch {
    return null;
  }
}
