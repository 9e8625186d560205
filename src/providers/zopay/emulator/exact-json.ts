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
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? exactJson.rawJSON(context.source) : value,
  );
}

export function isExactJsonNumber(value: unknown): value is ExactJsonNumber {
  return exactJson.isRawJSON(value);
}
