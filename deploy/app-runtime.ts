// What the manifests rely on in the app and its image. test/deploy checks each against the app
// (src/, a running production install) and the Dockerfile, so a change on one side fails there.

/** The app's default PORT; the ConfigMap sets it explicitly too. */
export const HTTP_PORT = 4001;
/** Probes, the Service and the NetworkPolicy refer to the port by this name. */
export const HTTP_PORT_NAME = 'http';

export const ROUTES = {
  liveness: '/health/live',
  readiness: '/health/ready',
  metrics: '/metrics',
  ziinaWebhook: '/webhooks/ziina',
} as const;

/** The Dockerfile's numeric USER: Kubernetes can enforce runAsNonRoot on a number. */
export const CONTAINER_USER = { uid: 10_001, gid: 10_001 } as const;

/** Applies pending migrations under a PostgreSQL advisory lock (concurrent pods are safe), then exits. */
export const MIGRATE_COMMAND = ['node', 'src/store/migrate-cli.ts'];
