// The values that differ between environments; everything else is the same chart.

/** Pods of another namespace, picked by labels (a NetworkPolicy peer). */
export interface PodPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Where PostgreSQL is: an address range (a managed database outside the cluster) or pods in it. */
export type DatabasePeer = { readonly cidr: string } | PodPeer;

export interface NetworkPeers {
  /** The Apollo Router, the only client of /graphql. */
  readonly router: PodPeer;
  /** Prometheus, which scrapes /metrics. */
  readonly metricsScraper: PodPeer;
  /** The ingress controller, which forwards Ziina's webhooks (the Ingress routes only that path). */
  readonly ingressController: PodPeer;
  readonly dns: PodPeer;
  readonly database: DatabasePeer;
}

export interface EnvironmentValues {
  readonly name: string;
  readonly autoscaling: {
    /** At least 2: one pod may be evicted or rolled at any time (PodDisruptionBudget, maxUnavailable 1). */
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** Of the CPU request, averaged over the pods. */
    readonly averageCpuUtilization: number;
  };
  /** The main container's; memory is requested and limited alike, so a pod never gets OOM-killed for a neighbour. */
  readonly resources: { readonly cpuRequest: string; readonly cpuLimit: string; readonly memory: string };
  readonly logLevel: 'info' | 'debug';
  /**
   * Per pod. maxReplicas times this, plus one for the migrating init container, must stay under
   * the PostgreSQL user's connection limit.
   */
  readonly databaseMaxConnections: number;
  /**
   * Per pod; each open subscription holds some tens of KiB of the pod's memory
   * (docs/decisions/subscriptions.md), so the process limit follows the memory given.
   */
  readonly subscriptions: { readonly maxPerProcess: number; readonly maxPerConnection: number };
  readonly webhookIngress: {
    /** Public host Ziina posts to: https://<host>/webhooks/ziina. */
    readonly host: string;
    readonly ingressClassName: string;
    /** The TLS certificate's Secret (kubernetes.io/tls), created by the operator or cert-manager. */
    readonly tlsSecretName: string;
  };
  readonly peers: NetworkPeers;
}

/** The usual labels of each neighbour's pods; change them here to match the cluster. */
const CLUSTER_PEERS = {
  router: { namespace: 'router', podLabels: { 'app.kubernetes.io/name': 'router' } },
  metricsScraper: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
  ingressController: {
    namespace: 'ingress-nginx',
    podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  },
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
} as const;

const STAGING: EnvironmentValues = {
  name: 'staging',
  autoscaling: { minReplicas: 2, maxReplicas: 4, averageCpuUtilization: 70 },
  resources: { cpuRequest: '100m', cpuLimit: '500m', memory: '256Mi' },
  logLevel: 'debug',
  databaseMaxConnections: 5,
  subscriptions: { maxPerProcess: 500, maxPerConnection: 100 },
  webhookIngress: {
    host: 'payments-webhooks.staging.example.com',
    ingressClassName: 'nginx',
    tlsSecretName: 'payments-webhooks-tls',
  },
  peers: { ...CLUSTER_PEERS, database: { cidr: '10.20.0.0/24' } },
};

const PRODUCTION: EnvironmentValues = {
  name: 'production',
  autoscaling: { minReplicas: 3, maxReplicas: 10, averageCpuUtilization: 70 },
  resources: { cpuRequest: '250m', cpuLimit: '1', memory: '384Mi' },
  logLevel: 'info',
  databaseMaxConnections: 10,
  subscriptions: { maxPerProcess: 2_000, maxPerConnection: 100 },
  webhookIngress: {
    host: 'payments-webhooks.example.com',
    ingressClassName: 'nginx',
    tlsSecretName: 'payments-webhooks-tls',
  },
  peers: { ...CLUSTER_PEERS, database: { cidr: '10.10.0.0/24' } },
};

export const ENVIRONMENTS: readonly EnvironmentValues[] = [STAGING, PRODUCTION];
