import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { HTTP_PORT_NAME, ROUTES } from '../app-runtime.ts';
import type { EnvironmentValues } from '../environments.ts';
import { WEBHOOK_INGRESS_NAME, WORKLOAD_NAME } from './names.ts';

/**
 * The only way in from the internet: Ziina's webhook, one exact path over TLS. /graphql, the
 * probes and /metrics have no route here, so the ingress controller answers 404 for them.
 * Ingress cannot match methods; the app answers 405 to anything but POST on that path.
 * https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export function addWebhookIngress(scope: Construct, ingress: EnvironmentValues['webhookIngress']): k8s.KubeIngress {
  return new k8s.KubeIngress(scope, 'webhook-ingress', {
    metadata: { name: WEBHOOK_INGRESS_NAME },
    spec: {
      ingressClassName: ingress.ingressClassName,
      tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
      rules: [
        {
          host: ingress.host,
          http: {
            paths: [
              {
                path: ROUTES.ziinaWebhook,
                pathType: 'Exact',
                backend: { service: { name: WORKLOAD_NAME, port: { name: HTTP_PORT_NAME } } },
              },
            ],
          },
        },
      ],
    },
  });
}
