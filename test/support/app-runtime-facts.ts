import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config/environment.ts';
import { ROUTES } from '../../src/http/routes.ts';
import { registeredProviders } from '../../src/providers/registered-providers.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';

// What the running subgraph offers, in one place for the tests of its image and manifests: its
// defaults and routes, from the app's own configuration and route table;
// test/deploy/production-install.test.ts proves them against the running app.

const defaults = loadConfig({}, registeredProviders);
if (!defaults.ok) throw new Error(`the default configuration is invalid: ${defaults.problems.join(', ')}`);

export const APP_DEFAULTS = {
  port: defaults.config.port,
  shutdownGraceMs: defaults.config.shutdownGraceMs,
} as const;

export const APP_ROUTES = { ...ROUTES, ziinaWebhook: ziinaWebhook.path } as const;

/** The log line that says the server accepts requests (src/app/payments-app.ts). */
export const LISTENING_LOG_MESSAGE = 'payments subgraph listening';

/** `npm start`'s command line, split: what the image must run too. */
export async function startCommand(): Promise<string[]> {
  const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  return packageJson.scripts.start.split(' ');
}

/**
 * What `npm start` passes to node, Node options included: how the test replicas and the benchmark
 * start the subgraph, so that they run it as it is deployed (docs/decisions/node-options.md).
 */
export async function startArguments(): Promise<string[]> {
  const [executable, ...args] = await startCommand();
  if (executable !== 'node') throw new Error(`npm start runs ${executable}, not node`);
  return args;
}
