import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APOLLO_ROUTER_VERSION } from '../../deploy/router/apollo-router.ts';
import {
  compileRouterConfigSchema,
  expandRouterVariables,
  loadRouterConfigSchema,
} from '../support/router-config-schema.ts';

// Router 2.x refuses to start on a configuration key it does not know. No router binary runs
// here, so router.yaml is checked against the pinned release's own generated schema instead.
type RouterConfig = Record<string, any>;
const routerYaml = parseYaml(await readFile(new URL('../../router.yaml', import.meta.url), 'utf8')) as RouterConfig;
const schema = await loadRouterConfigSchema();
const validate = schema === null ? null : compileRouterConfigSchema(schema);

/** What the router would object to in this configuration, after its variable expansion. */
function problemsWith(config: unknown): ErrorObject[] {
  validate!(expandRouterVariables(config));
  return validate!.errors ?? [];
}

const TITLE = `router.yaml against Apollo Router ${APOLLO_ROUTER_VERSION}'s configuration schema`;

describe.skipIf(validate === null)(TITLE, () => {
  it('is accepted as written, once the router has expanded its ${env.…} variables', () => {
    expect(problemsWith(routerYaml)).toEqual([]);
  });

  it('rejects the retry setting Router 2.0 removed, so a stale key cannot pass', () => {
    const withRetry = structuredClone(routerYaml);
    withRetry.traffic_shaping.subgraphs.payments.experimental_retry = { retry_mutations: false };

    expect(problemsWith(withRetry)).toContainEqual(
      expect.objectContaining({
        instancePath: '/traffic_shaping/subgraphs/payments',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'experimental_retry' },
      }),
    );
  });

  it('rejects a value of the wrong type, e.g. a timeout without its unit', () => {
    const numericTimeout = structuredClone(routerYaml);
    numericTimeout.traffic_shaping.subgraphs.payments.timeout = 20;

    expect(problemsWith(numericTimeout)).toContainEqual(
      expect.objectContaining({ instancePath: '/traffic_shaping/subgraphs/payments/timeout', keyword: 'type' }),
    );
  });
});
