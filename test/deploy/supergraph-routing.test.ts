import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/federation/compose-supergraph.ts';
import { readSupergraphConfig } from '../../src/federation/supergraph-config.ts';
import { APP_ROUTES } from '../support/app-runtime-facts.ts';
import { onlyObject, readCommittedManifests } from '../support/synthesized-manifests.ts';

// The router finds the subgraph at the routing URL of the supergraph it runs; in a cluster that
// must be the Service's DNS name (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#services).

const SUPERGRAPH_DIR = new URL('../../deploy/supergraph/', import.meta.url);
const manifests = await readCommittedManifests();

it('has a supergraph configuration for each environment and none for another', async () => {
  const configs = (await readdir(SUPERGRAPH_DIR)).map((name) => name.replace(/\.yaml$/, ''));
  expect(configs.sort()).toEqual([...manifests.keys()].sort());
});

describe.each([...manifests])('%s supergraph', (environment, objects) => {
  const configPath = fileURLToPath(new URL(`${environment}.yaml`, SUPERGRAPH_DIR));

  it("routes payments to the Service's cluster DNS name and port, on /graphql", async () => {
    const service = onlyObject<IService>(objects, 'Service');
    const payments = (await readSupergraphConfig(configPath)).find((subgraph) => subgraph.name === 'payments')!;
    const url = new URL(payments.url);

    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe(`${service.metadata!.name}.${service.metadata!.namespace}.svc.cluster.local`);
    expect(Number(url.port)).toBe(service.spec!.ports![0]!.port);
    expect(url.pathname).toBe(APP_ROUTES.graphql);
  });

  it('composes', async () => {
    const composition = composeSupergraph(await readSupergraphConfig(configPath));
    expect(composition.ok ? [] : composition.errors).toEqual([]);
  });
});
