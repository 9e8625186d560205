import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header the router adds to every subgraph request (see router.yaml). */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

/**
 * True when the request proves it comes from the router. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths (timingSafeEqual needs equal lengths, and
 * comparing lengths first would leak the secret's length).
 */
export function isFromRouter(request: IncomingMessage, routerSecret: string): boolean {
  const presented = request.headers[ROUTER_SECRET_HEADER];
  if (typeof presented !== 'string') return false;
  return timingSafeEqual(digest(presented), digest(routerSecret));
}

/** One-shot, as the request fingerprint: no native `Hash` object per request (src/idempotency/request-fingerprint.ts). */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
