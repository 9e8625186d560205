import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { CONTAINER_USER, HTTP_PORT, HTTP_PORT_NAME, MIGRATE_COMMAND, ROUTES } from '../app-runtime.ts';
import { secretReferences, type ContainerEnvironment } from '../container-environment.ts';
import type { EnvironmentValues } from '../environments.ts';
import { PRE_STOP_PAUSE_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS } from '../pod-termination.ts';
import { COMMON_LABELS, SELECTOR_LABELS } from './labels.ts';
import { CONTAINER_NAME, MIGRATE_CONTAINER_NAME, WORKLOAD_NAME } from './names.ts';
import type { SettingsConfigMap } from './settings-config-map.ts';

const { IntOrString, Quantity } = k8s;

export interface WorkloadProps {
  readonly environment: EnvironmentValues;
  readonly image: string;
  readonly variables: ContainerEnvironment;
  readonly settings: SettingsConfigMap;
}

/**
 * Both containers run as the image's user, cannot gain privileges and write nothing but /tmp
 * (https://kubernetes.io/docs/tasks/configure-pod-container/security-context/; the "restricted"
 * Pod Security Standard: https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
const CONTAINER_SECURITY_CONTEXT: k8s.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: CONTAINER_USER.uid,
  runAsGroup: CONTAINER_USER.gid,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const TMP_VOLUME = 'tmp';
const TMP_MOUNT: k8s.VolumeMount = { name: TMP_VOLUME, mountPath: '/tmp' };

function httpGet(path: string): k8s.HttpGetAction {
  return { path, port: IntOrString.fromString(HTTP_PORT_NAME) };
}

function secretEnv(variables: ContainerEnvironment, only?: (name: string) => boolean): k8s.EnvVar[] {
  return secretReferences(variables)
    .filter(([name]) => only?.(name) ?? true)
    .map(([name, { secret, key }]) => ({ name, valueFrom: { secretKeyRef: { name: secret, key, optional: false } } }));
}

/** The subgraph's pods, with the migrations applied by an init container before each one starts. */
export function addWorkload(
  scope: Construct,
  { environment, image, variables, settings }: WorkloadProps,
): k8s.KubeDeployment {
  const { resources } = environment;
  return new k8s.KubeDeployment(scope, 'deployment', {
    metadata: { name: WORKLOAD_NAME },
    spec: {
      // No replicas: the HorizontalPodAutoscaler owns the count (minReplicas >= 2), and a count here
      // would reset it on every apply. https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
      // (Migrating Deployments and StatefulSets to horizontal autoscaling)
      selector: { matchLabels: SELECTOR_LABELS },
      // A new pod must be ready before an old one goes, and stay ready a while to count.
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: IntOrString.fromNumber(0), maxSurge: IntOrString.fromString('25%') },
      },
      minReadySeconds: 10,
      // What `kubectl rollout undo` can go back to.
      revisionHistoryLimit: 10,
      template: {
        metadata: {
          labels: COMMON_LABELS,
          annotations: {
            'checksum/settings': settings.checksum,
            // The usual scrape annotations of Prometheus' kubernetes_sd relabelling.
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(HTTP_PORT),
            'prometheus.io/path': ROUTES.metrics,
          },
        },
        spec: {
          // The app never calls the Kubernetes API.
          automountServiceAccountToken: false,
          // No <SERVICE>_PORT-style variables next to the app's own settings.
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CONTAINER_USER.uid,
            runAsGroup: CONTAINER_USER.gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          // Pods on different nodes, and zones balanced when they can be, so a node or zone outage leaves
          // pods running; pod-template-hash spreads each rollout's new pods on their own.
          // https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
          topologySpreadConstraints: [
            {
              topologyKey: 'topology.kubernetes.io/zone',
              maxSkew: 1,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: SELECTOR_LABELS },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              topologyKey: 'kubernetes.io/hostname',
              maxSkew: 1,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: SELECTOR_LABELS },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
          initContainers: [
            {
              name: MIGRATE_CONTAINER_NAME,
              image,
              command: MIGRATE_COMMAND,
              env: secretEnv(variables, (name) => name === 'DATABASE_URL'),
              resources: {
                requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('128Mi') },
                limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('128Mi') },
              },
              securityContext: CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [TMP_MOUNT],
            },
          ],
          containers: [
            {
              name: CONTAINER_NAME,
              image,
              ports: [{ name: HTTP_PORT_NAME, containerPort: HTTP_PORT, protocol: 'TCP' }],
              envFrom: [{ configMapRef: { name: settings.name } }],
              env: secretEnv(variables),
              resources: {
                requests: {
                  cpu: Quantity.fromString(resources.cpuRequest),
                  memory: Quantity.fromString(resources.memory),
                },
                limits: { cpu: Quantity.fromString(resources.cpuLimit), memory: Quantity.fromString(resources.memory) },
              },
              // Connecting to PostgreSQL and checking its migrations may take a while on a cold node:
              // up to a minute before liveness counts.
              startupProbe: { httpGet: httpGet(ROUTES.liveness), periodSeconds: 2, failureThreshold: 30 },
              // Restarts a wedged process only: the app answers it without asking the store or the providers.
              livenessProbe: {
                httpGet: httpGet(ROUTES.liveness),
                periodSeconds: 10,
                timeoutSeconds: 2,
                failureThreshold: 3,
              },
              // Out of the Service while the store does not answer, or while draining.
              readinessProbe: {
                httpGet: httpGet(ROUTES.readiness),
                periodSeconds: 5,
                timeoutSeconds: 2,
                failureThreshold: 2,
              },
              // Kubernetes' own sleep action (GA in 1.34): works without a `sleep` binary in the image.
              // https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_PAUSE_SECONDS } } },
              securityContext: CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [TMP_MOUNT],
            },
          ],
          volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: Quantity.fromString('64Mi') } }],
        },
      },
    },
  });
}
