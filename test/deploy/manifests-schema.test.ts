import { describe, expect, it } from 'vitest';
import { readCommittedManifests, type KubernetesObject } from '../support/synthesized-manifests.ts';

// Every object against the Kubernetes API's schema, with kubernetes-models' validate(): types,
// required fields and enums. kubernetes-models 4.5 ships the schemas of Kubernetes 1.33, the newest
// release not newer than the 1.34 the manifests target (cdk8s-plus-34): the stable APIs only gain
// fields, so what 1.33 accepts, 1.34 accepts. Kubernetes' schemas allow unknown fields; those are
// caught by the TypeScript types of cdk8s-plus-34's k8s module and by the API server's strict
// field validation on apply.

interface ValidatingModel {
  validate(): void;
}

/** Packages of the models of custom resources, by API group: the Prometheus Operator's PrometheusRule. */
const CUSTOM_RESOURCE_MODELS: Readonly<Record<string, string>> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** <models package>/<group>/<version>/<Kind>, the model class of the object's kind. */
async function modelOf(object: KubernetesObject): Promise<ValidatingModel> {
  const models = CUSTOM_RESOURCE_MODELS[object.apiVersion.split('/')[0]!] ?? 'kubernetes-models';
  const specifier = `${models}/${object.apiVersion}/${object.kind}`;
  // Resolved by Node at run time, one model per kind the manifests hold.
  const module = (await import(/* @vite-ignore */ specifier)) as Record<string, new (data: unknown) => ValidatingModel>;
  const Model = module[object.kind];
  if (Model === undefined) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  return new Model(object);
}

const manifests = await readCommittedManifests();

describe.each([...manifests])('%s manifests', (_, objects) => {
  it.each(objects.map((object) => [`${object.kind} ${object.metadata.name}`, object] as const))(
    '%s validates',
    async (_, object) => {
      const model = await modelOf(object);
      expect(() => model.validate()).not.toThrow();
    },
  );
});

it('would reject an object the API server refuses, e.g. a container port given by name', async () => {
  const [objects] = manifests.values();
  const deployment = structuredClone(objects!.find((object) => object.kind === 'Deployment')!) as any;
  deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';

  const model = await modelOf(deployment);
  expect(() => model.validate()).toThrow(/containerPort must be integer/);
});
