// The IDE's response headers (docs/decisions/playground.md). The page loads nothing but files of
// this server and talks to nothing but this server, and the policy says exactly that: a script
// injected into the page could neither run inline nor send anything elsewhere.

/**
 * https://www.w3.org/TR/CSP3/. GraphiQL's fonts and icons are data: URLs inside its style sheet. The
 * one <style> element it adds (while a dialog is open) carries the page's nonce. `'self'` in
 * connect-src also matches this server's own ws: and wss: origin, where the subscription tab
 * connects (CSP3 lets 'self' match the ws: and wss: schemes of the own host), and no other.
 */
function contentSecurityPolicy(styleNonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What every response of the IDE carries. */
const HARDENING = {
  // The declared content type is the only one: a browser never guesses a script out of a style sheet.
  'x-content-type-options': 'nosniff',
  // Only this origin may embed or load these files (https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header).
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

/** The page's, with the nonce of this response. Fresh clientMutationIds on every load, so never cached. */
export const pageHeaders = (styleNonce: string) => ({
  ...HARDENING,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': contentSecurityPolicy(styleNonce),
  // For browsers without CSP's frame-ancestors: no framing, so no clickjacking of the Run button.
  'x-frame-options': 'DENY',
  // No window another site opened keeps a handle on this one.
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cache-control': 'no-store',
});

/** The page's scripts and style sheets: cached, but asked again each time (ETag, 304). */
export const ASSET_HEADERS = {
  ...HARDENING,
  'cache-control': 'no-cache',
} as const;
