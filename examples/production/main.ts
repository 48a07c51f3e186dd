/**
 * The reference architecture for development, staging and production, from one program.
 *
 * Run from the repository root: `npx cdktf synth` (or `npm run synth`). Terraform JSON lands
 * in cdktf.out/stacks/shop-<env>-{aws,k8s}/cdk.tf.json, the Kubernetes manifests in
 * cdktf.out/manifests/<env>/, the deploy plan (deploy.json, read by scripts/deploy.mjs) and the
 * add-ons' Helm values in cdktf.out/deploy/<env>/. `SHOP_ENVIRONMENTS=production` limits the run to a list of
 * environments.
 */
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import { Checks, DeployPlan, GroundworkPack } from 'cdktf-groundwork';
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
 * Writes every environment's deploy plan (`cdktf.out/deploy/<env>/deploy.json` and the add-ons'
 * Helm values), once the manifests it names are synthesized. Returns the files written.
 */
export function writeDeployPlans(app: App): string[] {
  return app.node
    .findAll()
    .filter((c): c is DeployPlan => c instanceof DeployPlan)
    .flatMap((plan) => plan.write());
}

if (require.main === module) {
  const app = new App();
  const only = (process.env.SHOP_ENVIRONMENTS ?? '').split(',').filter((e) => e.length > 0);
  for (const manifests of buildExample(app, only)) manifests.synth();
  writeDeployPlans(app);
  app.synth();
}
