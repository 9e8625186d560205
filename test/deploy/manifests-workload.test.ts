import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { describe, expect, it } from 'vitest';
import { settingsChecksum } from '../../deploy/chart/settings-config-map.ts';
import { APP_DEFAULTS, APP_ROUTES } from '../support/app-runtime-facts.ts';
import { onlyInstruction, readBuildStages } from '../support/dockerfile-stages.ts';
import { objectNamed, onlyObject, readCommittedManifests } from '../support/synthesized-manifests.ts';
import { CONFIG_MAP_NAME } from '../../deploy/chart/names.ts';

// The Deployment against the app it runs and the image it runs it from.

const manifests = await readCommittedManifests();
const imageUser = onlyInstruction((await readBuildStages()).at(-1)!, 'USER')
  .getArgumentsContent()!
  .split(':')
  .map(Number);

describe.each([...manifests])('%s Deployment', (_, objects) => {
  const deployment = onlyObject<IDeployment>(objects, 'Deployment');
  const pod = deployment.spec!.template.spec!;
  const [app, ...otherContainers] = pod.containers;
  const [migrate, ...otherInitContainers] = pod.initContainers ?? [];
  const settings = objectNamed<IConfigMap>(objects, 'ConfigMap', CONFIG_MAP_NAME).data!;
  const everyContainer: IContainer[] = [app!, migrate!];

  it('runs one app container after one migrating init container', () => {
    expect([otherContainers, otherInitContainers]).toEqual([[], []]);
    expect(migrate!.command).toEqual(['node', 'src/store/migrate-cli.ts']);
    expect(migrate!.image).toBe(app!.image);
    const databaseUrl = (container: IContainer) =>
      container.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom;
    expect(databaseUrl(migrate!)).toEqual(databaseUrl(app!));
    expect(databaseUrl(migrate!)?.secretKeyRef).toBeDefined();
  });

  it("serves the app's port under the name probes and Service use, and tells the app that port", () => {
    expect(app!.ports).toEqual([{ name: 'http', containerPort: APP_DEFAULTS.port, protocol: 'TCP' }]);
    expect(settings.PORT).toBe(String(APP_DEFAULTS.port));
  });

  it("probes the app's liveness and readiness routes, and gives start-up time before liveness counts", () => {
    expect(app!.livenessProbe?.httpGet).toEqual({ path: APP_ROUTES.liveness, port: 'http' });
    expect(app!.readinessProbe?.httpGet).toEqual({ path: APP_ROUTES.readiness, port: 'http' });
    expect(app!.startupProbe?.httpGet).toEqual({ path: APP_ROUTES.liveness, port: 'http' });
    const { periodSeconds = 10, failureThreshold = 3 } = app!.startupProbe!;
    expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(60);
  });

  it('lets the preStop pause and the whole drain finish before SIGKILL', () => {
    const pause = app!.lifecycle?.preStop?.sleep?.seconds;
    expect(pause).toBeGreaterThan(0);
    const drainMs = Math.max(APP_DEFAULTS.shutdownGraceMs, Number(settings.SHUTDOWN_GRACE_MS ?? 0));
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause! + drainMs / 1000);
  });

  it("runs every container as the image's user, unprivileged, read-only but for /tmp", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: imageUser[0],
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const tmp = pod.volumes?.find((volume) => volume.emptyDir !== undefined);
    for (const container of everyContainer) {
      expect(container.securityContext, container.name).toMatchObject({
        runAsNonRoot: true,
        runAsUser: imageUser[0],
        runAsGroup: imageUser[1],
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.volumeMounts, container.name).toContainEqual({ name: tmp!.name, mountPath: '/tmp' });
    }
  });

  it('requests and limits CPU and memory for every container', () => {
    for (const container of everyContainer) {
      expect(Object.keys(container.resources?.requests ?? {}).sort(), container.name).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources?.limits ?? {}).sort(), container.name).toEqual(['cpu', 'memory']);
    }
  });

  it('spreads its pods over zones and nodes', () => {
    const spread = pod.topologySpreadConstraints ?? [];
    expect(spread.map((constraint) => constraint.topologyKey).sort()).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    for (const constraint of spread) expect(constraint.labelSelector).toEqual(deployment.spec!.selector);
  });

  it('rolls out before taking pods away, keeps two or more through the autoscaler, lets one go at a time', () => {
    expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    // The autoscaler owns the count: a replicas field would reset it on every apply.
    expect(deployment.spec!.replicas).toBeUndefined();

    const autoscaler = onlyObject<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    expect(autoscaler.spec!.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata!.name,
    });
    expect(autoscaler.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec!.maxReplicas).toBeGreaterThanOrEqual(autoscaler.spec!.minReplicas!);
    expect(autoscaler.spec!.metrics?.map((metric) => metric.resource?.name)).toEqual(['cpu']);

    const budget = onlyObject<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    expect(budget.spec!.selector).toEqual(deployment.spec!.selector);
    expect(budget.spec!.maxUnavailable ?? budget.spec!.minAvailable).toBe(1);
  });

  it("has its pods scraped on the app's metrics route and port", () => {
    expect(deployment.spec!.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(APP_DEFAULTS.port),
      'prometheus.io/path': APP_ROUTES.metrics,
    });
  });

  it('restarts its pods when the settings change', () => {
    const annotations = deployment.spec!.template.metadata?.annotations ?? {};
    expect(annotations['checksum/settings']).toBe(settingsChecksum(settings));
  });
});
