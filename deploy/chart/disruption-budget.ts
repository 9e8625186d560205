import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { SELECTOR_LABELS } from './labels.ts';
import { WORKLOAD_NAME } from './names.ts';

/**
 * Node drains and cluster upgrades evict one pod at a time; with at least two replicas the
 * subgraph keeps serving. Pods that are not ready anyway may always go, so a crash-looping pod
 * never blocks a drain (https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy).
 */
export function addDisruptionBudget(scope: Construct): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'disruption-budget', {
    metadata: { name: WORKLOAD_NAME },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: SELECTOR_LABELS },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
