import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ROUTER_CONFIG_SCHEMA_FILE,
  ROUTER_CONFIG_SCHEMA_SHA256,
  ROUTER_CONFIG_SCHEMA_SOURCE,
} from './apollo-router.ts';

// Writes the local copy of the router's configuration schema from a clone of the router's
// repository: node deploy/router/extract-router-config-schema.ts <clone or bare git dir>.
// The snapshot is an insta file: a YAML header between two '---' lines, then the JSON.

const repository = process.argv[2];
if (repository === undefined) {
  process.stderr.write('usage: node deploy/router/extract-router-config-schema.ts <apollographql/router clone>\n');
  process.exit(2);
}
const { tag, path } = ROUTER_CONFIG_SCHEMA_SOURCE;
const snapshot = execFileSync('git', ['-C', repository, 'show', `${tag}:${path}`], { encoding: 'utf8' });
const header = /^---\n[\s\S]*?\n---\n/.exec(snapshot);
if (header === null) throw new Error(`${path} at ${tag} has no insta header`);
const schema = snapshot.slice(header[0].length);

const sha256 = createHash('sha256').update(schema).digest('hex');
if (sha256 !== ROUTER_CONFIG_SCHEMA_SHA256) {
  // A new release has a new schema: whoever moves APOLLO_ROUTER_VERSION pins its hash on purpose.
  process.stderr.write(
    `${tag}'s schema has sha256 ${sha256}, not the pinned ${ROUTER_CONFIG_SCHEMA_SHA256}: ` +
      'if you moved APOLLO_ROUTER_VERSION, pin this hash in deploy/router/apollo-router.ts and run again\n',
  );
  process.exit(1);
}
writeFileSync(ROUTER_CONFIG_SCHEMA_FILE, schema);
process.stdout.write(`wrote ${fileURLToPath(ROUTER_CONFIG_SCHEMA_FILE)} (Apollo Router ${tag})\n`);
