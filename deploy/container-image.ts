import { readFileSync } from 'node:fs';

// The image the manifests run. A release synthesises with its own (PAYMENTS_IMAGE, ideally by
// digest); without it, a placeholder tagged with the app's version.

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const PLACEHOLDER_IMAGE = `registry.example.com/payments-subgraph:${version}`;

export function imageFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  // A blank variable counts as unset, as for the app's own settings.
  return env.PAYMENTS_IMAGE?.trim() ? env.PAYMENTS_IMAGE : PLACEHOLDER_IMAGE;
}
