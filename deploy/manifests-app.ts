import { App, YamlOutputType } from 'cdk8s';
import { PaymentsChart } from './chart/payments-chart.ts';
import { ENVIRONMENTS } from './environments.ts';

export interface ManifestsAppOptions {
  /** Gets one <environment>.k8s.yaml per environment. */
  readonly outdir: string;
  readonly image: string;
}

/** The cdk8s app: one chart per environment (https://cdk8s.io/docs/latest/basics/app/). */
export function createManifestsApp({ outdir, image }: ManifestsAppOptions): App {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const environment of ENVIRONMENTS) new PaymentsChart(app, { environment, image });
  return app;
}
