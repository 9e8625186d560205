import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, APP_ROUTES } from '../support/app-runtime-facts.ts';
import { onlyObject, readCommittedManifests } from '../support/synthesized-manifests.ts';

// Who may talk to the subgraph, and whom it may talk to.

const manifests = await readCommittedManifests();

describe.each([...manifests])('%s traffic', (_, objects) => {
  const deployment = onlyObject<IDeployment>(objects, 'Deployment');
  const podLabels = deployment.spec!.template.metadata!.labels!;

  it("has a cluster-internal Service on the app's port, sending to the pods' named container port", () => {
    const service = onlyObject<IService>(objects, 'Service');
    expect(service.spec!.type).toBe('ClusterIP');
    expect(service.spec!.ports).toEqual([
      expect.objectContaining({ name: 'http', port: APP_DEFAULTS.port, targetPort: 'http', protocol: 'TCP' }),
    ]);
    expect(podLabels).toMatchObject(service.spec!.selector!);
  });

  it('routes only the Ziina webhook path from the internet, that exact path, over TLS', () => {
    const ingress = onlyObject<IIngress>(objects, 'Ingress');
    const service = onlyObject<IService>(objects, 'Service');
    const [rule, ...otherRules] = ingress.spec!.rules!;
    expect(otherRules).toEqual([]);
    expect(ingress.spec!.defaultBackend).toBeUndefined();
    expect(rule!.http!.paths).toEqual([
      {
        path: APP_ROUTES.ziinaWebhook,
        pathType: 'Exact',
        backend: { service: { name: service.metadata!.name, port: { name: 'http' } } },
      },
    ]);
    expect(ingress.spec!.tls).toEqual([expect.objectContaining({ hosts: [rule!.host] })]);
  });

  it("lets in only the router's, Prometheus' and the ingress controller's pods, and only on the http port", () => {
    const policy = onlyObject<INetworkPolicy>(objects, 'NetworkPolicy');
    expect(policy.spec!.podSelector).toEqual(deployment.spec!.selector);
    expect(policy.spec!.policyTypes).toEqual(['Ingress', 'Egress']);
    const [rule, ...otherRules] = policy.spec!.ingress!;
    expect(otherRules).toEqual([]);
    expect(rule!.ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
    expect(rule!.from).toHaveLength(3);
    // A peer with both selectors means "these pods in that namespace"; either alone is far wider.
    for (const peer of rule!.from!) {
      expect(Object.keys(peer).sort()).toEqual(['namespaceSelector', 'podSelector']);
      expect(Object.keys(peer.namespaceSelector!.matchLabels!)).toEqual(['kubernetes.io/metadata.name']);
      expect(Object.keys(peer.podSelector!.matchLabels ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('lets out only DNS, PostgreSQL and HTTPS, and HTTPS to public addresses only', () => {
    const policy = onlyObject<INetworkPolicy>(objects, 'NetworkPolicy');
    const ports = policy.spec!.egress!.flatMap((rule) => rule.ports!.map((port) => `${port.port}/${port.protocol}`));
    expect(ports.sort()).toEqual(['443/TCP', '53/TCP', '53/UDP', '5432/TCP']);

    const https = policy.spec!.egress!.find((rule) => rule.ports!.some((port) => port.port === 443))!;
    const ipv4 = https.to!.find((peer) => peer.ipBlock?.cidr === '0.0.0.0/0')!.ipBlock!;
    expect(ipv4.except).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']),
    );
    for (const peer of https.to!) expect(peer.ipBlock?.except?.length, peer.ipBlock?.cidr).toBeGreaterThan(0);
  });
});

it('gives each environment its own public webhook host', () => {
  const hosts = [...manifests.values()].map(
    (objects) => onlyObject<IIngress>(objects, 'Ingress').spec!.rules![0]!.host,
  );
  expect(new Set(hosts).size).toBe(manifests.size);
});
