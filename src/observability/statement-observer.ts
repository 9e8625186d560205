import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import type { StatementObserver } from '../store/sql-client.ts';
import type { Metrics } from './metrics.ts';

export interface StatementObserverOptions {
  readonly metrics: Metrics;
  /** Null when tracing is off: no span, no OpenTelemetry call. */
  readonly tracer: Tracer | null;
  /** Which engine runs the statements: `pg` (the server) or `pglite` (embedded). */
  readonly engine: 'pg' | 'pglite';
}

/** The kinds of statement the store sends, as a bounded label; anything else is `other`. */
const STATEMENT_KINDS: ReadonlySet<string> = new Set(['select', 'insert', 'update', 'delete', 'with']);
const LEADING_KEYWORD = /^\s*([a-z]+)/i;
const TARGET_TABLE = /\b(?:from|into|update)\s+([a-z_][a-z0-9_]*)/i;

/** The engine-specific attribute, written out: not part of the database conventions. */
const ATTR_STORE_ENGINE = 'payments.store.engine';

/**
 * Every statement of both engines, measured in one place: counted and timed for /metrics, and,
 * when tracing is on and the statement runs for a traced request, a CLIENT span after the
 * database conventions (https://opentelemetry.io/docs/specs/semconv/database/database-spans/,
 * `db.system.name` postgresql for PGlite too: it is PostgreSQL). The text recorded is the SQL as
 * the code writes it, with `$1` placeholders: parameter values (keys, amounts, ids) never reach a
 * span. Statements outside any request (migrations, the idempotency purge) get no span.
 * Cost per statement: two clock reads and a histogram observation.
 */
export function statementObserver({ metrics, tracer, engine }: StatementObserverOptions): StatementObserver {
  return async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const kind = statementKind(text);
    const parent = tracer === null ? undefined : trace.getSpan(context.active());
    const span =
      parent === undefined || tracer === null
        ? undefined
        : tracer.startSpan(spanName(kind, text), {
            kind: SpanKind.CLIENT,
            attributes: {
              [ATTR_DB_SYSTEM_NAME]: 'postgresql',
              [ATTR_DB_OPERATION_NAME]: kind.toUpperCase(),
              [ATTR_DB_QUERY_TEXT]: text,
              [ATTR_STORE_ENGINE]: engine,
            },
          });
    const startedAt = performance.now();
    try {
      const result = await run();
      metrics.storeStatement(kind, 'ok', (performance.now() - startedAt) / 1000);
      return result;
    } catch (error) {
      metrics.storeStatement(kind, 'error', (performance.now() - startedAt) / 1000);
      // The SQLSTATE (e.g. 57014, a statement timeout), never the message, which may quote values.
      span?.setAttribute(ATTR_ERROR_TYPE, sqlState(error) ?? (error instanceof Error ? error.name : 'unknown'));
      span?.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span?.end();
    }
  };
}

function statementKind(text: string): string {
  const keyword = LEADING_KEYWORD.exec(text)?.[1]?.toLowerCase();
  return keyword !== undefined && STATEMENT_KINDS.has(keyword) ? keyword : 'other';
}

/** `{operation} {table}`, the conventions' span name when the target is known. */
function spanName(kind: string, text: string): string {
  const table = TARGET_TABLE.exec(text)?.[1];
  return table === undefined ? kind.toUpperCase() : `${kind.toUpperCase()} ${table}`;
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
