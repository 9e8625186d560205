import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { objectNamed, onlyObject, readCommittedManifests } from '../support/synthesized-manifests.ts';
import { CONFIG_MAP_NAME } from '../../deploy/chart/names.ts';

// Secrets reach the pods by reference only: the manifests are committed and reviewed, so no
// secret value may be in them, nor a Secret object an apply would overwrite the real one with.

/** The app's secret settings (src/config/environment.ts), and anything named like one. */
const APP_SECRETS = ['ZOPAY_API_KEY', 'ZIINA_API_KEY', 'ZIINA_WEBHOOK_SECRET', 'DATABASE_URL', 'ROUTER_SECRET'];
const looksSecret = (name: string) => APP_SECRETS.includes(name) || /SECRET|KEY|TOKEN|PASSWORD|CREDENTIAL/i.test(name);

const manifests = await readCommittedManifests();

describe.each([...manifests])('%s manifests', (_, objects) => {
  const pod = onlyObject<IDeployment>(objects, 'Deployment').spec!.template.spec!;
  const containers = [...pod.containers, ...(pod.initContainers ?? [])];

  it('hold no Secret object', () => {
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  it('give every secret-looking variable from a secretKeyRef, never as a value', () => {
    const entries = containers.flatMap((container) => container.env ?? []);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries.filter((candidate) => looksSecret(candidate.name))) {
      expect(entry.value, entry.name).toBeUndefined();
      expect(entry.valueFrom?.secretKeyRef?.name, entry.name).toBeTruthy();
      expect(entry.valueFrom?.secretKeyRef?.key, entry.name).toBeTruthy();
    }
  });

  it('give the app every secret it needs', () => {
    const app = pod.containers[0]!;
    const fromSecrets = (app.env ?? []).filter((entry) => entry.valueFrom?.secretKeyRef).map((entry) => entry.name);
    expect(fromSecrets.sort()).toEqual([...APP_SECRETS].sort());
  });

  it('keep secret-looking names out of the ConfigMap and take no Secret wholesale', () => {
    expect(
      Object.keys(objectNamed<IConfigMap>(objects, 'ConfigMap', CONFIG_MAP_NAME).data ?? {}).filter(looksSecret),
    ).toEqual([]);
    for (const container of containers) {
      expect(container.envFrom?.filter((source) => source.secretRef) ?? [], container.name).toEqual([]);
    }
  });
});
