import { z } from 'zod';
import type { EmulatorStats } from './emulator.ts';
import type { EmulatorRequest, EmulatorResponse } from './emulator-exchange.ts';
import { decodePathSegment, jsonResponse } from './emulator-exchange.ts';
import type { InjectedFaultQueue } from './fault-queue.ts';

/** Admin routes live outside the provider's base path and need no provider auth. */
export const ADMIN_PATH_PREFIX = '/__emulator/';

export interface AdminTarget {
  readonly provider: string;
  readonly faults: InjectedFaultQueue;
  readonly stats: EmulatorStats;
  /** The provider's intents, listed and changed in the provider's wire shape. */
  readonly intents: {
    list(): readonly unknown[];
    setStatus(id: string, status: string): unknown;
  };
}

const faultSchema = z.strictObject({
  method: z.string().min(1).optional(),
  pathIncludes: z.string().optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(200).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  destroySocket: z.boolean().optional(),
  afterHandler: z.boolean().optional(),
});

const faultsSchema = z.union([faultSchema, z.array(faultSchema)]);

const statusChangeSchema = z.strictObject({ status: z.string().min(1) });

const INTENT_STATUS_PATH = /^\/__emulator\/payment-intents\/([^/]+)\/status$/;

/**
 * For frontend teams and manual testing:
 * POST|DELETE /__emulator/faults, GET /__emulator/payment-intents,
 * POST /__emulator/payment-intents/:id/status, GET /__emulator/health, GET /__emulator/stats
 * (the requests counted so far, which a benchmark in another process reads).
 */
export function handleAdminRequest(request: EmulatorRequest, target: AdminTarget): EmulatorResponse {
  const route = `${request.method} ${request.path}`;
  if (route === 'GET /__emulator/health') {
    return jsonResponse(200, { status: 'ok', provider: target.provider });
  }
  if (route === 'GET /__emulator/stats') {
    return jsonResponse(200, target.stats);
  }
  if (route === 'POST /__emulator/faults') {
    const faults = parseBody(request, faultsSchema);
    if (!faults.success) {
      return faults.error;
    }
    target.faults.push(...(Array.isArray(faults.data) ? faults.data : [faults.data]));
    return jsonResponse(200, { pending: target.faults.pending });
  }
  if (route === 'DELETE /__emulator/faults') {
    target.faults.clear();
    return jsonResponse(200, { pending: 0 });
  }
  if (route === 'GET /__emulator/payment-intents') {
    return jsonResponse(200, target.intents.list());
  }
  const statusPath = INTENT_STATUS_PATH.exec(request.path);
  if (request.method === 'POST' && statusPath?.[1] !== undefined) {
    const change = parseBody(request, statusChangeSchema);
    if (!change.success) {
      return change.error;
    }
    const id = decodePathSegment(statusPath[1]);
    const updated = id === undefined ? undefined : target.intents.setStatus(id, change.data.status);
    return updated === undefined
      ? jsonResponse(404, { error: 'Payment intent not found' })
      : jsonResponse(200, updated);
  }
  return jsonResponse(404, { error: `No admin route ${route}` });
}

type Parsed<T> = { success: true; data: T } | { success: false; error: EmulatorResponse };

function parseBody<T>(request: EmulatorRequest, schema: z.ZodType<T>): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { success: false, error: jsonResponse(400, { error: 'Body must be JSON' }) };
  }
  const result = schema.safeParse(json);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: jsonResponse(400, { error: z.prettifyError(result.error) }) };
}
