/**
 * JSON parsing that never rounds a number through a JS float: Zopay takes `amount` as a decimal
 * (providers.md: "a decimal string is preferred to avoid float loss") and a JSON number must keep the
 * digits the client wrote (0.1, 12345678901234567890.01). Numbers become JSON.rawJSON values, which
 * JSON.stringify writes back verbatim, so metadata numbers are echoed exactly too.
 */

/** A JSON number kept as its source text. */
export interface ExactJsonNumber {
  readonly rawJSON: string;
}

// Node 24 has JSON.rawJSON / isRawJSON and the reviver's `context.source`; TypeScript's es2024 lib does not yet.
const exactJson = JSON as JSON & {
  rawJSON(text: string): ExactJsonNumber;
  isRawJSON(value: unknown): value is ExactJsonNumber;
};

/** Throws SyntaxError like JSON.parse. */
export function parseExactJson(text: string): unknown {
  return parseKeepingSource(text, () => true);
}

/**
 * Like parseExactJson, but a number JSON.stringify writes back with the same text (201, 0.1) stays a
 * plain number, so code can read it; only the others (1.0, 12345678901234567890.01) keep their source.
 * Re-serialising gives the same text either way: what the emulators' state files need.
 */
export function parseLosslessJson(text: string): unknown {
  return parseKeepingSource(text, (value, source) => JSON.stringify(value) !== source);
}

function parseKeepingSource(text: string, keepSource: (value: number, source: string) => boolean): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined && keepSource(value, context.source)
      ? exactJson.rawJSON(context.source)
      : value,
  );
}

export function isExactJsonNumber(value: unknown): value is ExactJsonNumber {
  return exactJson.isRawJSON(value);
}
