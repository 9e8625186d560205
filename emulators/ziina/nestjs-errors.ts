import { STATUS_CODES } from 'node:http';
import { jsonResponse, type EmulatorResponse } from '../kit/emulator-exchange.ts';

/**
 * Ziina answers like a NestJS app (docs/providers/ziina.md): `{"message","statusCode"}` for HTTP exceptions,
 * `{statusCode: 400, message: [...], error: "Bad Request"}` for request validation, and `{code, message}`
 * with status 400 for business errors.
 */

/** NestJS's body for a built-in HttpException, e.g. 401 {"message":"Unauthorized","statusCode":401}. */
export function nestErrorBody(status: number): { message: string; statusCode: number } {
  return { message: STATUS_CODES[status] ?? 'Error', statusCode: status };
}

/** A request the ValidationPipe (class-validator) or the JSON body parser refused. */
export function badRequest(message: string | readonly string[]): EmulatorResponse {
  return jsonResponse(400, { statusCode: 400, message, error: 'Bad Request' });
}

export function businessError(code: string, message: string): EmulatorResponse {
  return jsonResponse(400, { code, message });
}

/** NestJS's answer for a path no controller handles. */
export function routeNotFound(method: string, path: string): EmulatorResponse {
  return jsonResponse(404, { message: `Cannot ${method} ${path}`, error: 'Not Found', statusCode: 404 });
}

/** Express's JSON parser, before any validation: an empty body is {}, a broken one a single message. */
export function parseExpressJson(body: Buffer): { readonly json: unknown } | { readonly error: EmulatorResponse } {
  try {
    return { json: body.length === 0 ? {} : JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { error: badRequest((error as SyntaxError).message) };
  }
}
