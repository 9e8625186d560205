import type { EmulatorRequest } from './emulator-exchange.ts';

/** Both providers authenticate with `Authorization: Bearer <key>`; the scheme name is case-insensitive (RFC 9110). */
export function hasBearerToken(request: EmulatorRequest, expectedToken: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1] === expectedToken;
}
