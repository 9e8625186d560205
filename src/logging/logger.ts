import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';
import { currentRequest } from '../observability/request-scope.ts';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Values that must never be written (API keys, webhook secrets, database passwords). */
  readonly secrets: readonly string[];
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
}

const REDACTED = '[redacted]';

/**
 * Configured secrets shorter than this are not scrubbed: a value that short (a two-letter password)
 * also occurs in unrelated text, and replacing it everywhere would mangle the lines. The production
 * profile refuses provider keys and a database password this short (src/config/production-profile.ts).
 */
export const MIN_SCRUBBED_SECRET_LENGTH = 8;

/** Lines are written once this many bytes are buffered (about ten operation lines)... */
const LOG_BUFFER_BYTES = 4_096;
/** ...or this often, whichever comes first. */
const LOG_FLUSH_INTERVAL_MS = 200;

/**
 * Every line written while a request is served names it: its id (the one its response header
 * carries) and, when tracing is on, its trace id, so one grep finds a request's every line and its
 * trace. https://getpino.io/#/docs/api?id=mixin-function
 */
function requestFields(): object {
  const request = currentRequest();
  // A new object each time: pino merges the line's own fields into it.
  if (request === undefined) return {};
  if (request.span === null) return { requestId: request.requestId };
  return { requestId: request.requestId, traceId: request.span.spanContext().traceId };
}

/**
 * JSON lines on stdout whatever NODE_ENV says; pretty only for a human at a terminal.
 * Secrets are removed twice: known header paths are redacted, and as a last line of defence
 * every configured secret value is scrubbed from each line before it is written.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrubSecrets = secretScrubber(options.secrets);
  const pretty = options.destination === undefined && process.stdout.isTTY;
  // Not process.stdout, whose writes to a pipe or file block the event loop for each line: lines
  // are buffered and written asynchronously, several in one write, at the latest after
  // LOG_FLUSH_INTERVAL_MS; whatever is buffered when the process exits is written then (pino
  // registers it). A crash that kills the process (SIGKILL, OOM) loses at most that interval's
  // lines. https://getpino.io/#/docs/asynchronous
  const destination = pretty
    ? undefined
    : (options.destination ??
      pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS }));
  return pino(
    {
      level: options.level,
      base: { service: 'payments-subgraph' },
      mixin: requestFields,
      redact: {
        paths: [
          'authorization',
          'Authorization',
          'headers.authorization',
          'headers.Authorization',
          '*.headers.authorization',
          '*.headers.Authorization',
          '*.authorization',
          '*.Authorization',
        ],
        censor: REDACTED,
      },
      hooks: {
        streamWrite: scrubSecrets,
      },
      ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
    },
    destination as pino.DestinationStream | undefined,
  );
}

/**
 * For lines made only of fields this service composes, never of a header or an error (the line of
 * each GraphQL operation): the header paths are not searched for on each line, which costs a line
 * most of its time (the wildcard paths visit every field). Configured secrets are still scrubbed.
 */
export function composedLinesLogger(logger: Logger): Logger {
  return logger.child({}, { redact: [] });
}

/**
 * Replaces each of these secrets in a text with the marker the log uses, by the same rule as every
 * log line: for a text that is cut before it is logged, where a secret across the cut would no
 * longer be whole for the line's own scrub.
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const pattern = secretsPattern(secrets);
  return pattern === null ? (text) => text : (text) => text.replace(pattern, REDACTED);
}

/**
 * Every configured secret of at least MIN_SCRUBBED_SECRET_LENGTH characters, as written and as a JSON
 * string escapes it (a line is JSON: a secret with a quote, backslash or control character appears
 * escaped in it), in one pattern: each line is searched once, whatever the number of secrets. Null
 * when there is none to look for.
 */
function secretsPattern(configured: readonly string[]): RegExp | null {
  const written = configured
    .filter((secret) => secret.length >= MIN_SCRUBBED_SECRET_LENGTH)
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  if (written.length === 0) return null;
  // The longest first: where one secret contains another, all of it goes.
  const alternatives = [...new Set(written)].sort((a, b) => b.length - a.length).map(RegExp.escape);
  return new RegExp(alternatives.join('|'), 'g');
}
