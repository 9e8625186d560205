import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { ALERT_RULES } from '../monitoring/alert-rules.ts';
import { paymentsDashboard } from '../monitoring/dashboard.ts';
import { ALERT_RULES_NAME, DASHBOARD_CONFIG_MAP_NAME } from './names.ts';

/**
 * The label Grafana's dashboard sidecar looks for (kube-prometheus-stack's default,
 * `grafana.sidecar.dashboards.label`): a ConfigMap carrying it is loaded as dashboards.
 */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/**
 * The alerting rules, as the Prometheus Operator's PrometheusRule
 * (https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule):
 * the cluster's Prometheus must select it (its ruleSelector and ruleNamespaceSelector, deploy/README.md).
 */
export function addAlertRules(scope: Construct): ApiObject {
  return new ApiObject(scope, 'alert-rules', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: ALERT_RULES_NAME },
    spec: { groups: [{ name: 'payments-subgraph', rules: ALERT_RULES }] },
  });
}

/** The Grafana dashboard, in a ConfigMap for Grafana's dashboard sidecar. */
export function addDashboard(scope: Construct): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(scope, 'dashboard', {
    metadata: { name: DASHBOARD_CONFIG_MAP_NAME, labels: GRAFANA_DASHBOARD_LABEL },
    data: { 'payments-subgraph.json': `${JSON.stringify(paymentsDashboard(), null, 2)}\n` },
  });
}
