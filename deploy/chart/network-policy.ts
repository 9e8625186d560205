import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { HTTP_PORT_NAME } from '../app-runtime.ts';
import type { DatabasePeer, NetworkPeers, PodPeer } from '../environments.ts';
import { SELECTOR_LABELS } from './labels.ts';
import { WORKLOAD_NAME } from './names.ts';

// Default deny, both ways, for the subgraph's pods; then only what it needs
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/). NetworkPolicy works
// on addresses and ports: which paths the ingress controller forwards is the Ingress's business.
// Kubelet probes come from the node and are not subject to it on common network plugins.

const POSTGRES_PORT = 5432;
const DNS_PORT = 53;
const HTTPS_PORT = 443;

/**
 * The providers' APIs (Zopay, Ziina) are public HTTPS endpoints behind CDNs whose addresses change,
 * so the policy allows any public address and no private one: nothing inside the cluster or the
 * VPC, and not the link-local cloud metadata service (169.254.169.254), which hands out node
 * credentials. A tighter rule needs an FQDN-aware egress gateway or network plugin.
 */
const PUBLIC_INTERNET: k8s.IpBlock[] = [
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] },
  { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] },
];

function podsOf(peer: PodPeer): k8s.NetworkPolicyPeer {
  // kubernetes.io/metadata.name: every namespace carries its own name as this label.
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
    podSelector: { matchLabels: peer.podLabels },
  };
}

function databasePeer(database: DatabasePeer): k8s.NetworkPolicyPeer {
  return 'cidr' in database ? { ipBlock: { cidr: database.cidr } } : podsOf(database);
}

const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
  protocol: 'TCP',
  port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
});

export function addNetworkPolicy(scope: Construct, peers: NetworkPeers): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, 'network-policy', {
    metadata: { name: WORKLOAD_NAME },
    spec: {
      podSelector: { matchLabels: SELECTOR_LABELS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [podsOf(peers.router), podsOf(peers.metricsScraper), podsOf(peers.ingressController)],
          ports: [tcp(HTTP_PORT_NAME)],
        },
      ],
      egress: [
        {
          to: [podsOf(peers.dns)],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(DNS_PORT) }, tcp(DNS_PORT)],
        },
        { to: [databasePeer(peers.database)], ports: [tcp(POSTGRES_PORT)] },
        { to: PUBLIC_INTERNET.map((ipBlock) => ({ ipBlock })), ports: [tcp(HTTPS_PORT)] },
      ],
    },
  });
}
