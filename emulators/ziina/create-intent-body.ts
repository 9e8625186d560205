import { validate as isUuid } from 'uuid';

/**
 * Request validation of `POST /payment_intent` in NestJS class-validator style (docs/providers/ziina.md):
 * every failing constraint gives one message, unknown properties are refused (forbidNonWhitelisted),
 * and null counts as absent for optional properties (@IsOptional).
 */

export interface CreateIntentBody {
  /** In the currency's minor units: 10.50 AED is 1050. */
  readonly amount: number;
  readonly currency_code: string;
  readonly message: string | null;
  readonly success_url: string | null;
  readonly cancel_url: string | null;
  readonly failure_url: string | null;
  readonly test: boolean;
  readonly expiry: string | null;
  readonly allow_tips: boolean;
  /** Ziina's documentation: "a client-generated UUID to reuse on retries", though Ziina promises nothing for it. */
  readonly operation_id: string | null;
}

export type ValidatedCreateRequest =
  | { readonly valid: true; readonly request: CreateIntentBody }
  | { readonly valid: false; readonly messages: readonly string[] };

const URL_FIELDS = ['success_url', 'cancel_url', 'failure_url'] as const;
const BOOLEAN_FIELDS = ['test', 'allow_tips'] as const;
const KNOWN_FIELDS = new Set<string>([
  'amount',
  'currency_code',
  'message',
  ...URL_FIELDS,
  ...BOOLEAN_FIELDS,
  'expiry',
  'operation_id',
]);

/** @param nowMs the emulator clock, for the "expiry in the future" rule. */
export function validateCreateRequest(body: unknown, nowMs: number): ValidatedCreateRequest {
  const fields: Record<string, unknown> =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const present = (field: string) => fields[field] !== undefined && fields[field] !== null;
  const messages: string[] = [];

  // class-validator runs the whitelist check before the property constraints.
  for (const field of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(field)) {
      messages.push(`property ${field} should not exist`);
    }
  }
  const { amount, currency_code: currencyCode, message, expiry, operation_id: operationId } = fields;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    messages.push('amount must be a positive integer');
  }
  if (typeof currencyCode !== 'string' || !/^[A-Z]{3}$/.test(currencyCode)) {
    messages.push('currency_code must be a 3-letter upper-case ISO-4217 currency code');
  }
  if (present('message') && typeof message !== 'string') {
    messages.push('message must be a string');
  }
  for (const field of URL_FIELDS) {
    const value = fields[field];
    if (!present(field)) {
      continue;
    }
    if (typeof value !== 'string') {
      messages.push(`${field} must be a string`);
    } else if (!isHttpUrl(value)) {
      messages.push(`${field} must be a URL address`);
    }
  }
  for (const field of BOOLEAN_FIELDS) {
    if (present(field) && typeof fields[field] !== 'boolean') {
      messages.push(`${field} must be a boolean value`);
    }
  }
  if (present('expiry')) {
    if (typeof expiry !== 'string' || !/^\d+$/.test(expiry)) {
      messages.push('expiry must be a number string');
    } else if (Number(expiry) <= nowMs) {
      messages.push('expiry must be a future date');
    }
  }
  if (present('operation_id') && (typeof operationId !== 'string' || !isUuid(operationId))) {
    messages.push('operation_id must be a UUID');
  }

  if (messages.length > 0) {
    return { valid: false, messages };
  }
  const optionalString = (field: string) => (present(field) ? (fields[field] as string) : null);
  return {
    valid: true,
    request: {
      amount: amount as number,
      currency_code: currencyCode as string,
      message: optionalString('message'),
      success_url: optionalString('success_url'),
      cancel_url: optionalString('cancel_url'),
      failure_url: optionalString('failure_url'),
      test: fields.test === true,
      expiry: optionalString('expiry'),
      allow_tips: fields.allow_tips === true,
      operation_id: optionalString('operation_id'),
    },
  };
}

function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
