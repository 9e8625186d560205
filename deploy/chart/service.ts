import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { HTTP_PORT, HTTP_PORT_NAME } from '../app-runtime.ts';
import { SELECTOR_LABELS } from './labels.ts';
import { WORKLOAD_NAME } from './names.ts';

/**
 * Inside the cluster only: the router reaches the subgraph at
 * http://payments.payments.svc.cluster.local:4001/graphql (deploy/supergraph/*.yaml).
 */
export function addService(scope: Construct): k8s.KubeService {
  return new k8s.KubeService(scope, 'service', {
    metadata: { name: WORKLOAD_NAME },
    spec: {
      type: 'ClusterIP',
      selector: SELECTOR_LABELS,
      ports: [
        {
          name: HTTP_PORT_NAME,
          port: HTTP_PORT,
          targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME),
          protocol: 'TCP',
          appProtocol: 'http',
        },
      ],
    },
  });
}
