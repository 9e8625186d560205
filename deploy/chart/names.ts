// Object names the manifests share, and that operators and the router refer to.

/** The operator creates it (deploy/README.md); every object of the chart lives in it. */
export const NAMESPACE = 'payments';

/** The Deployment, its Service, HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy. */
export const WORKLOAD_NAME = 'payments';

/** The main container, as `kubectl logs -c` and `kubectl set image` name it. */
export const CONTAINER_NAME = 'payments';

export const MIGRATE_CONTAINER_NAME = 'migrate';

export const CONFIG_MAP_NAME = 'payments-config';

export const WEBHOOK_INGRESS_NAME = 'payments-webhooks';

export const ALERT_RULES_NAME = 'payments-alerts';

export const DASHBOARD_CONFIG_MAP_NAME = 'payments-dashboard';
