// Kubernetes' recommended labels:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/

/**
 * What picks the subgraph's pods: the Deployment, Service, PodDisruptionBudget, NetworkPolicy and
 * topology spread use it. A Deployment's selector cannot change once created, so neither can this.
 */
export const SELECTOR_LABELS = {
  'app.kubernetes.io/name': 'payments-subgraph',
  'app.kubernetes.io/instance': 'payments',
} as const;

/** On every object and every pod. */
export const COMMON_LABELS = {
  ...SELECTOR_LABELS,
  'app.kubernetes.io/component': 'graphql-subgraph',
  'app.kubernetes.io/part-of': 'supergraph',
  'app.kubernetes.io/managed-by': 'cdk8s',
} as const;
