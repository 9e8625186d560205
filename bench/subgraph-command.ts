import { startCommand } from '../test/support/app-runtime-facts.ts';

/**
 * What follows `node` in `npm start` (the image's CMD too): the subgraph is measured with the Node
 * options it is deployed with (docs/decisions/node-options.md).
 */
export async function subgraphArgs(): Promise<string[]> {
  const [executable, ...args] = await startCommand();
  if (executable !== 'node') throw new Error(`npm start runs ${executable}, not node`);
  return args;
}
