import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { composeSupergraph } from './compose-supergraph.ts';
import { readSupergraphConfig } from './supergraph-config.ts';

// `npm run compose [-- --config supergraph.yaml --output supergraph.graphql]`: what
// `rover supergraph compose` does, without downloading rover's plugin.
const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'supergraph.yaml' },
    output: { type: 'string', default: 'supergraph.graphql' },
  },
});

const composition = composeSupergraph(await readSupergraphConfig(values.config));
if (!composition.ok) {
  process.stderr.write(`Composition failed:\n${composition.errors.map((error) => `  - ${error}`).join('\n')}\n`);
  process.exit(1);
}
for (const hint of composition.hints) process.stderr.write(`hint: ${hint}\n`);
await writeFile(values.output, composition.supergraphSdl);
process.stdout.write(`Wrote ${values.output}\n`);
