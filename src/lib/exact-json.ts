/**
 * JSON parsing that never loses a number's written digits to a binary float. Money travels as JSON
 * numbers more often than it should ("amount": 10.50), and 10.50, 0.1 or 12345678901234567890.01
 * must come out exactly as written. Both parsers rely on the `context.source` argument that Node 24
 * gives JSON.parse revivers (TC39 "JSON.parse source text access").
 */

/** A JSON number kept as its source text; JSON.stringify writes it back verbatim. */
export interface ExactJsonNumber {
  readonly rawJSON: string;
}

// Node 24 has JSON.rawJSON / isRawJSON; TypeScript's es2024 lib does not declare them yet.
const exactJson = JSON as JSON & {
  rawJSON(text: string): ExactJsonNumber;
  isRawJSON(value: unknown): value is ExactJsonNumber;
};

type ReviverWithSource = (this: object, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Throws SyntaxError like JSON.parse. Every number becomes an ExactJsonNumber. */
export function parseExactJson(text: string): unknown {
  return parseKeepingSource(text, () => true);
}

/**
 * Like parseExactJson, but a number that JSON.stringify writes back with the same text (201, 0.1)
 * stays a plain number, so code can read it; only the others (1.0, 12345678901234567890.01) keep
 * their source. Re-serialising gives the same text either way.
 */
export function parseLosslessJson(text: string): unknown {
  return parseKeepingSource(text, (value, source) => JSON.stringify(value) !== source);
}

export function isExactJsonNumber(value: unknown): value is ExactJsonNumber {
  return exactJson.isRawJSON(value);
}

function parseKeepingSource(text: string, keepSource: (value: number, source: string) => boolean): unknown {
  const reviver: ReviverWithSource = (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined && keepSource(value, context.source)
      ? exactJson.rawJSON(context.source)
      : value;
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

/**
 * A parsed JSON document whose numbers are plain JavaScript numbers, with the source text of each
 * remembered: code that needs one exactly (an amount) asks for it, the rest reads numbers as usual.
 */
export interface JsonWithNumberSources {
  readonly value: unknown;
  /** The literal text of the number at `holder[key]`, e.g. "10.50". */
  readonly numberSource: (holder: object, key: string) => string | undefined;
}

/**
 * Null when the text is not JSON (an HTML error page from a proxy, an empty body). The text is
 * parsed natively, and parsed again with a source-reading reviver only when a number's source is
 * first asked for: provider answers mostly write amounts as strings, and a reviver called for every
 * value makes a parse several times slower.
 */
export function parseJsonWithNumberSources(text: string): JsonWithNumberSources | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  let sources: WeakMap<object, Map<string, string>> | undefined;
  return {
    value,
    numberSource: (holder, key) => {
      sources ??= numberSourcesByHolder(text, value);
      return sources.get(holder)?.get(key);
    },
  };
}

/** The source text of every number in `text`, by the object or array of `value` (its parse) that holds it. */
function numberSourcesByHolder(text: string, value: unknown): WeakMap<object, Map<string, string>> {
  const bySourceParseHolder = new WeakMap<object, Map<string, string>>();
  const remember: ReviverWithSource = function (key, revived, context) {
    if (typeof revived === 'number' && context?.source !== undefined) {
      const holderSources = bySourceParseHolder.get(this) ?? new Map<string, string>();
      holderSources.set(key, context.source);
      bySourceParseHolder.set(this, holderSources);
    }
    return revived;
  };
  const sourceParse: unknown = JSON.parse(text, remember as Parameters<typeof JSON.parse>[1]);
  // Both parses of one text have the same shape: walk them side by side to key the sources by
  // the holders the caller has.
  const byHolder = new WeakMap<object, Map<string, string>>();
  const pair = (holder: unknown, twin: unknown) => {
    if (holder === null || typeof holder !== 'object' || twin === null || typeof twin !== 'object') return;
    const holderSources = bySourceParseHolder.get(twin);
    if (holderSources !== undefined) byHolder.set(holder, holderSources);
    for (const key of Object.keys(holder))
      pair((holder as Record<string, unknown>)[key], (twin as Record<string, unknown>)[key]);
  };
  pair(value, sourceParse);
  return byHolder;
}
