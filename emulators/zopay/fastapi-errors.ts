import { STATUS_CODES } from 'node:http';
import { jsonResponse, type EmulatorResponse } from '../kit/emulator-exchange.ts';

/**
 * Zopay's error bodies are not public; docs/providers/zopay.md assumes FastAPI's three shapes:
 * `{"detail": "..."}`, `{"detail": {"code", "message"}}` and, for 422, `{"detail": [{loc, msg, type}]}`.
 */

/** One pydantic v2 validation error, as FastAPI lists them in a 422. */
export interface PydanticError {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

export function coded(status: number, code: string, message: string): EmulatorResponse {
  return jsonResponse(status, { detail: { code, message } });
}

export function validationFailed(errors: readonly PydanticError[]): EmulatorResponse {
  return jsonResponse(422, { detail: errors });
}

/** What FastAPI answers for an HTTPException without a detail: the reason phrase. */
export function fastApiErrorBody(status: number): { detail: string } {
  return { detail: STATUS_CODES[status] ?? 'Error' };
}
