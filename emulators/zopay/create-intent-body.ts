import Big from 'big.js';
import { isExactJsonNumber } from '../../src/lib/exact-json.ts';
import { codePointLength } from '../../src/lib/code-point-length.ts';
import type { PydanticError } from './fastapi-errors.ts';

/**
 * Validation of `POST /payment-intents` bodies the way Zopay's pydantic v2 model does it
 * (docs/providers/zopay.md): every violation is reported, unknown fields are forbidden.
 */

export interface CreateIntentBody {
  /** Exactly as sent: the string itself, or the source text of a JSON number. */
  readonly amount: string;
  readonly currencies: readonly string[];
  readonly external_ref: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

export type ValidatedCreateRequest =
  | { readonly valid: true; readonly request: CreateIntentBody }
  | { readonly valid: false; readonly errors: readonly PydanticError[] };

const MAX_CURRENCIES = 10;
const MAX_EXTERNAL_REF_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 500;
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_VALUE_LENGTH = 500;
const KNOWN_FIELDS = new Set(['amount', 'currencies', 'external_ref', 'description', 'metadata']);
// What Python's Decimal accepts from a string, minus NaN/Infinity which the `> 0` constraint rejects anyway.
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** @param body the parsed JSON body, or undefined when the request had none. */
export function validateCreateRequest(body: unknown): ValidatedCreateRequest {
  if (body === undefined || body === null) {
    return { valid: false, errors: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] };
  }
  if (!isJsonObject(body)) {
    return {
      valid: false,
      errors: [
        {
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          type: 'model_attributes_type',
        },
      ],
    };
  }
  const errors: PydanticError[] = [];
  const amount = validateAmount(body, errors);
  const currencies = validateCurrencies(body, errors);
  const externalRef = validateOptionalString(body, 'external_ref', MAX_EXTERNAL_REF_LENGTH, errors);
  const description = validateOptionalString(body, 'description', MAX_DESCRIPTION_LENGTH, errors);
  const metadata = validateMetadata(body, errors);
  for (const field of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(field)) {
      errors.push({ loc: ['body', field], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' });
    }
  }
  if (errors.length > 0 || amount === undefined || currencies === undefined) {
    return { valid: false, errors };
  }
  return {
    valid: true,
    request: {
      amount,
      currencies,
      external_ref: externalRef ?? null,
      description: description ?? null,
      metadata: metadata ?? null,
    },
  };
}

function validateAmount(body: Record<string, unknown>, errors: PydanticError[]): string | undefined {
  const loc = ['body', 'amount'];
  if (!Object.hasOwn(body, 'amount')) {
    errors.push({ loc, msg: 'Field required', type: 'missing' });
    return undefined;
  }
  const value = body.amount;
  let text: string;
  if (isExactJsonNumber(value)) {
    text = value.rawJSON;
  } else if (typeof value === 'string') {
    text = value;
  } else {
    errors.push({
      loc,
      msg: 'Decimal input should be an integer, float, string or Decimal object',
      type: 'decimal_type',
    });
    return undefined;
  }
  const decimal = DECIMAL_TEXT.test(text) ? parseBig(text) : undefined;
  if (decimal === undefined) {
    errors.push({ loc, msg: 'Input should be a valid decimal', type: 'decimal_parsing' });
    return undefined;
  }
  if (!decimal.gt(0)) {
    errors.push({ loc, msg: 'Input should be greater than 0', type: 'greater_than' });
    return undefined;
  }
  return text;
}

function parseBig(text: string): Big | undefined {
  try {
    // Big.js rejects a leading "+" that Python's Decimal accepts.
    return new Big(text.startsWith('+') ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}

function validateCurrencies(body: Record<string, unknown>, errors: PydanticError[]): string[] | undefined {
  if (!Object.hasOwn(body, 'currencies')) {
    errors.push({ loc: ['body', 'currencies'], msg: 'Field required', type: 'missing' });
    return undefined;
  }
  const value = body.currencies;
  if (!Array.isArray(value)) {
    errors.push({ loc: ['body', 'currencies'], msg: 'Input should be a valid list', type: 'list_type' });
    return undefined;
  }
  const errorCount = errors.length;
  value.forEach((currency: unknown, index) => {
    if (typeof currency !== 'string') {
      errors.push({ loc: ['body', 'currencies', index], msg: 'Input should be a valid string', type: 'string_type' });
    } else if (currency.length === 0) {
      errors.push({
        loc: ['body', 'currencies', index],
        msg: 'String should have at least 1 character',
        type: 'string_too_short',
      });
    }
  });
  if (value.length === 0) {
    errors.push({
      loc: ['body', 'currencies'],
      msg: 'List should have at least 1 item after validation, not 0',
      type: 'too_short',
    });
  } else if (value.length > MAX_CURRENCIES) {
    errors.push({
      loc: ['body', 'currencies'],
      msg: `List should have at most ${MAX_CURRENCIES} items after validation, not ${value.length}`,
      type: 'too_long',
    });
  }
  return errors.length === errorCount ? (value as string[]) : undefined;
}

/** Absent and null both mean "not given" (pydantic `str | None = None`). */
function validateOptionalString(
  body: Record<string, unknown>,
  field: string,
  maxLength: number,
  errors: PydanticError[],
): string | undefined {
  const value = body[field];
  if (!Object.hasOwn(body, field) || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ loc: ['body', field], msg: 'Input should be a valid string', type: 'string_type' });
    return undefined;
  }
  if (codePointLength(value) > maxLength) {
    errors.push({
      loc: ['body', field],
      msg: `String should have at most ${maxLength} characters`,
      type: 'string_too_long',
    });
    return undefined;
  }
  return value;
}

function validateMetadata(body: Record<string, unknown>, errors: PydanticError[]): Record<string, unknown> | undefined {
  const value = body.metadata;
  if (!Object.hasOwn(body, 'metadata') || value === null) {
    return undefined;
  }
  if (!isJsonObject(value)) {
    errors.push({ loc: ['body', 'metadata'], msg: 'Input should be a valid dictionary', type: 'dict_type' });
    return undefined;
  }
  const errorCount = errors.length;
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS) {
    errors.push({
      loc: ['body', 'metadata'],
      msg: `Value error, metadata may have at most ${MAX_METADATA_KEYS} keys, not ${entries.length}`,
      type: 'value_error',
    });
  }
  for (const [key, entry] of entries) {
    // Non-string values are measured by their JSON text, numbers exactly as sent (see exact-json.ts).
    const text = typeof entry === 'string' ? entry : JSON.stringify(entry);
    if (codePointLength(text) > MAX_METADATA_VALUE_LENGTH) {
      errors.push({
        loc: ['body', 'metadata', key],
        msg: `Value error, metadata values may have at most ${MAX_METADATA_VALUE_LENGTH} characters`,
        type: 'value_error',
      });
    }
  }
  return errors.length === errorCount ? value : undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isExactJsonNumber(value);
}
