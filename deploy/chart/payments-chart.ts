import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { containerEnvironment } from '../container-environment.ts';
import type { EnvironmentValues } from '../environments.ts';
import { addAutoscaler } from './autoscaler.ts';
import { addDisruptionBudget } from './disruption-budget.ts';
import { COMMON_LABELS } from './labels.ts';
import { addAlertRules, addDashboard } from './monitoring.ts';
import { NAMESPACE } from './names.ts';
import { addNetworkPolicy } from './network-policy.ts';
import { addService } from './service.ts';
import { addSettingsConfigMap } from './settings-config-map.ts';
import { addWebhookIngress } from './webhook-ingress.ts';
import { addWorkload } from './workload.ts';

export interface PaymentsChartProps {
  readonly environment: EnvironmentValues;
  /** The image reference both containers run. */
  readonly image: string;
}

/** Everything the payments subgraph needs in one environment's cluster, but its Secrets and namespace. */
export class PaymentsChart extends Chart {
  constructor(scope: Construct, props: PaymentsChartProps) {
    super(scope, props.environment.name, { namespace: NAMESPACE, labels: COMMON_LABELS });
    const { environment, image } = props;
    const variables = containerEnvironment(environment);
    const settings = addSettingsConfigMap(this, variables);
    addWorkload(this, { environment, image, variables, settings });
    addService(this);
    addAutoscaler(this, environment.autoscaling);
    addDisruptionBudget(this);
    addNetworkPolicy(this, environment.peers);
    addWebhookIngress(this, environment.webhookIngress);
    addAlertRules(this);
    addDashboard(this);
  }
}
