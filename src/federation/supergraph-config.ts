import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SubgraphSource } from './compose-supergraph.ts';

// Rover's supergraph.yaml: https://www.apollographql.com/docs/rover/commands/supergraphs#yaml-configuration-file
const SupergraphYaml = z.object({
  federation_version: z.string().min(1),
  subgraphs: z.record(
    z.string().min(1),
    z.object({
      routing_url: z.url(),
      schema: z.object({ file: z.string().min(1) }),
    }),
  ),
});

/** Reads supergraph.yaml and the SDL file of each subgraph (paths relative to the YAML file). */
export async function readSupergraphConfig(configPath: string): Promise<SubgraphSource[]> {
  const config = SupergraphYaml.parse(parseYaml(await readFile(configPath, 'utf8')));
  const base = dirname(resolve(configPath));
  return Promise.all(
    Object.entries(config.subgraphs).map(async ([name, subgraph]) => ({
      name,
      url: subgraph.routing_url,
      sdl: await readFile(resolve(base, subgraph.schema.file), 'utf8'),
    })),
  );
}
