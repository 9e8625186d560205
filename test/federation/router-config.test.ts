import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/environment.ts';
import { registeredProviders } from '../../src/providers/registered-providers.ts';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { ROUTES } from '../../src/http/routes.ts';
import { createBehindTheSubgraph } from '../support/emulator-admin.ts';
import { GET_PAYMENT_INTENT } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// router.yaml cannot be run here (no router binary); these checks keep it consistent with the
// subgraph it fronts, so a change on one side that breaks the other fails the build.
const router = parseYaml(await readFile(new URL('../../router.yaml', import.meta.url), 'utf8'));

function seconds(duration: string): number {
  const match = /^(\d+)(ms|s)$/.exec(duration);
  if (!match) throw new Error(`unreadable duration ${duration}`);
  return match[2] === 'ms' ? Number(match[1]) / 1000 : Number(match[1]);
}

const stack = useTestStack();

describe('router.yaml', () => {
  it("gives the payments subgraph more time than the subgraph's own longest waits", () => {
    const defaults = loadConfig({}, registeredProviders);
    if (!defaults.ok) throw new Error(defaults.problems.join());
    const timeout = seconds(router.traffic_shaping.subgraphs.payments.timeout);
    expect(timeout).toBeGreaterThan(defaults.config.providerHttp.deadlineMs / 1000);
    expect(timeout).toBeGreaterThan(defaults.config.idempotency.waitForInFlightMs / 1000);
  });

  it('sends the header the subgraph checks for ROUTER_SECRET', () => {
    expect(router.headers.subgraphs.payments.request).toContainEqual({
      insert: { name: ROUTER_SECRET_HEADER, value: '${env.PAYMENTS_ROUTER_SECRET}' },
    });
  });

  it('passes the request id on, in the header the subgraph reads by default', () => {
    const defaults = loadConfig({}, registeredProviders);
    if (!defaults.ok) throw new Error(defaults.problems.join());
    expect(router.headers.subgraphs.payments.request).toContainEqual({
      propagate: { named: defaults.config.requestIdHeader },
    });
  });

  it("passes subscriptions through to the subgraph's GraphQL path over graphql-ws, the protocol it speaks", () => {
    expect(router.subscription.enabled).toBe(true);
    expect(router.subscription.mode.callback).toBeUndefined();
    expect(router.subscription.mode.passthrough.subgraphs.payments).toMatchObject({
      path: ROUTES.graphql,
      protocol: 'graphql_ws',
    });
  });

  it("lets through the subgraph's messages and every extension key its deliberate errors carry", async () => {
    const payments = router.include_subgraph_errors.subgraphs.payments;
    expect(payments.redact_message).toBe(false);

    const id = await createBehindTheSubgraph('ZIINA', stack().ziina);
    stack().ziina.faults.push(...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503 })));
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id });
    const emitted = Object.keys(read.errors?.[0]?.extensions ?? {});
    expect(emitted).toContain('code');
    for (const key of emitted) expect(payments.allow_extensions_keys).toContain(key);
  });
});
