// IMF-fixdate, the HTTP-date form senders must use (RFC 9110 section 5.6.7), e.g.
// "Sun, 06 Nov 1994 08:49:37 GMT". Anything looser is not trusted to mean a date.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Milliseconds to wait according to a Retry-After header (RFC 9110 section 10.2.3): either
 * delay-seconds or an HTTP-date. Undefined when absent or not in either form.
 */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!IMF_FIXDATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
