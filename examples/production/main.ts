/**
 * The reference architecture for development, staging and production, from one program.
 *
 * Run from the repository root: `npx cdktf synth` (or `npm run synth`). Terraform JSON lands
 * in cdktf.out/stacks/shop-<env>-{aws,k8s}/cdk.tf.json, the Kubernetes manifests in
 * cdktf.out/manifests/<env>/, the kube-prometheus-stack values the monitoring needs in
 * cdktf.out/helm/<env>/. `SHOP_ENVIRONMENTS=production` limits the run to a list of
 * environments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import { Checks, GroundworkPack, MonitoringChart } from 'cdktf-groundwork';
import { buildShopEnvironment } from './architecture';
import { SHOP_ENVIRONMENTS } from './environments';

/**
 * Builds the chosen environments (default: all) into `app`; returns their manifest apps.
 *
 * Both trees are checked by the library's rule pack in strict mode: an unacknowledged error
 * finding fails synth. `checks: false` leaves the pack out (the benchmark measures its cost).
 */
export function buildExample(app: App, only: string[] = [], options: { checks?: boolean } = {}): ManifestApp[] {
  const manifestApps = SHOP_ENVIRONMENTS.filter((env) => only.length === 0 || only.includes(env.tier)).map((env) =>
    buildShopEnvironment(app, env),
  );
  if (options.checks ?? true) {
    const pack = new GroundworkPack({ strict: true });
    Checks.of(app).add(pack);
    manifestApps.forEach((manifests) => Checks.of(manifests).add(pack));
  }
  return manifestApps;
}

/**
 * Writes an environment's kube-prometheus-stack Helm values, which its cluster monitoring chart
 * generates, to `<outdir>/helm/<env>/kube-prometheus-stack-values.yaml`: the release installed with
 * them loads the chart's Alertmanager Secret, mounts the receivers' Secrets and selects our
 * rules and monitors. Returns the files written.
 */
export function writeHelmValues(manifests: ManifestApp): string[] {
  return manifests.node
    .findAll()
    .filter((c) => c instanceof MonitoringChart)
    .map((c) => c as MonitoringChart)
    .filter((chart) => chart.kubePrometheusStackValuesYaml !== undefined)
    .map((chart) => {
      // Not among the manifests: the pipeline applies that folder with kubectl.
      const dir = path.join(path.dirname(path.dirname(manifests.outdir)), 'helm', path.basename(manifests.outdir));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'kube-prometheus-stack-values.yaml');
      fs.writeFileSync(file, chart.kubePrometheusStackValuesYaml!);
      return file;
    });
}

if (require.main === module) {
  const app = new App();
  const only = (process.env.SHOP_ENVIRONMENTS ?? '').split(',').filter((e) => e.length > 0);
  for (const manifests of buildExample(app, only)) {
    manifests.synth();
    writeHelmValues(manifests);
  }
  app.synth();
}
