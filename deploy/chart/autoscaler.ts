import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import type { EnvironmentValues } from '../environments.ts';
import { WORKLOAD_NAME } from './names.ts';

/**
 * Scales on CPU, the resource a GraphQL subgraph spends per request (provider waits cost none).
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export function addAutoscaler(
  scope: Construct,
  autoscaling: EnvironmentValues['autoscaling'],
): k8s.KubeHorizontalPodAutoscalerV2 {
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'autoscaler', {
    metadata: { name: WORKLOAD_NAME },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: WORKLOAD_NAME },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: autoscaling.averageCpuUtilization },
          },
        },
      ],
    },
  });
}
