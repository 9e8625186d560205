import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// The committed manifests (deploy/dist/<environment>.k8s.yaml), read as Kubernetes objects. They
// equal a fresh synth (test/deploy/manifests-freshness.test.ts), so checking them checks the code.

export const MANIFESTS_DIR = fileURLToPath(new URL('../../deploy/dist/', import.meta.url));
const EXTENSION = '.k8s.yaml';

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** File name to text, for every manifest file in the folder. */
export async function readManifestFiles(folder: string): Promise<Map<string, string>> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(EXTENSION)).sort();
  return new Map(
    await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as const)),
  );
}

/** Environment name to its objects, from the committed manifests. */
export async function readCommittedManifests(): Promise<Map<string, KubernetesObject[]>> {
  const files = await readManifestFiles(MANIFESTS_DIR);
  return new Map(
    [...files].map(([name, text]) => [
      name.slice(0, -EXTENSION.length),
      parseAllDocuments(text).map((document) => document.toJS() as KubernetesObject),
    ]),
  );
}

/** The one object of that kind (the chart makes one of each). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the kind's shape: a cast of parsed YAML
export function onlyObject<T>(objects: readonly KubernetesObject[], kind: string): T {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

/** The object of that kind and name (the chart makes several ConfigMaps: settings, dashboard). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the kind's shape: a cast of parsed YAML
export function objectNamed<T>(objects: readonly KubernetesObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} named ${name}`);
  return found as T;
}
