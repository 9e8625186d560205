import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { ROUTER_CONFIG_SCHEMA_FILE, ROUTER_CONFIG_SCHEMA_SHA256 } from '../../deploy/router/apollo-router.ts';

/**
 * The pinned router release's configuration schema, or null when no local copy exists (it is
 * not committed: deploy/router/README.md says how to get it). ROUTER_CONFIG_SCHEMA may name
 * another file. A copy of any other release is refused rather than silently checked against.
 */
export async function loadRouterConfigSchema(): Promise<object | null> {
  const file = process.env.ROUTER_CONFIG_SCHEMA ?? ROUTER_CONFIG_SCHEMA_FILE;
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (sha256 !== ROUTER_CONFIG_SCHEMA_SHA256) {
    throw new Error(
      `${String(file)} is not the pinned release's schema (sha256 ${sha256}, expected ${ROUTER_CONFIG_SCHEMA_SHA256})`,
    );
  }
  return JSON.parse(text) as object;
}

/**
 * A validator for the router's schema (JSON Schema draft-07, written by schemars). Besides the
 * standard `uri`, schemars marks Rust's numeric types with formats of their own; they are
 * checked here for what they mean instead of being ignored.
 */
export function compileRouterConfigSchema(schema: object): ValidateFunction {
  // Not strict: the schema carries annotations draft-07 does not define (`deprecated`).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv, ['uri']);
  const integerIn = (min: number, max: number) => ({
    type: 'number' as const,
    validate: (value: number) => Number.isInteger(value) && value >= min && value <= max,
  });
  ajv.addFormat('uint', integerIn(0, Number.MAX_SAFE_INTEGER));
  ajv.addFormat('uint32', integerIn(0, 2 ** 32 - 1));
  ajv.addFormat('uint64', integerIn(0, Number.MAX_SAFE_INTEGER));
  ajv.addFormat('int64', integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  return ajv.compile(schema);
}

/**
 * The router's variable expansion, which runs before validation: in every string value of the
 * parsed YAML, `${env.NAME:-default}` becomes the default and `${env.NAME}` a placeholder, and a
 * value that then reads as a YAML boolean, number or null becomes one (`visit` and `coerce` in
 * https://github.com/apollographql/router/blob/v2.13.1/apollo-router/src/configuration/expansion.rs;
 * https://www.apollographql.com/docs/graphos/routing/configuration/yaml#variable-expansion).
 */
export function expandRouterVariables(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandRouterVariables);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, expandRouterVariables(entry)]));
  }
  if (typeof value !== 'string') return value;
  const expanded = value.replace(
    /\$\{env\.(\w+)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => fallback ?? `placeholder-for-${name}`,
  );
  if (expanded === value) return value;
  const reread: unknown = parseYaml(expanded);
  return typeof reread === 'boolean' || typeof reread === 'number' || reread === null ? reread : expanded;
}
