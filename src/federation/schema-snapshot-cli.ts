import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { printPublicApiSchema, publicApiSchema } from './public-api-schema.ts';
import { schemaChanges } from './schema-compatibility.ts';

// `npm run schema:snapshot`: records the public schema frontend teams code against. It refuses
// to record a breaking change unless told `-- --accept-breaking`: breaking frontends must be a
// deliberate, reviewed act (test/unit/federation/schema-compatibility.test.ts enforces the snapshot).
export const SNAPSHOT_FILE = 'schema/public-api.snapshot.graphql';
const SCHEMA_FILE = 'schema/payments.graphql';

const { values } = parseArgs({ options: { 'accept-breaking': { type: 'boolean', default: false } } });
const sdl = await readFile(SCHEMA_FILE, 'utf8');
const previous = await readFile(SNAPSHOT_FILE, 'utf8').catch(() => null);
if (previous !== null) {
  const breaking = (await schemaChanges(previous, publicApiSchema(sdl))).filter((change) => change.breaking);
  if (breaking.length > 0 && !values['accept-breaking']) {
    process.stderr.write(
      `Breaking changes for frontend teams:\n${breaking.map((change) => `  - ${change.message}`).join('\n')}\n`,
    );
    process.stderr.write(
      'Nothing written. If this is intended and announced, run: npm run schema:snapshot -- --accept-breaking\n',
    );
    process.exit(1);
  }
}
await writeFile(SNAPSHOT_FILE, printPublicApiSchema(sdl));
process.stdout.write(`Wrote ${SNAPSHOT_FILE}\n`);
