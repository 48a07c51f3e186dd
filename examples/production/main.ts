/**
 * The reference production architecture, as a consumer writes it.
 *
 * Run from the repository root: `npx cdktf synth` (or `npm run synth`). Terraform JSON
 * lands in cdktf.out/stacks/<stack>/cdk.tf.json.
 */
import { App } from 'cdktf';
import { EnvironmentTier, GroundworkStack, VpcStack } from 'cdktf-groundwork';

/** Builds the example architecture into `app`; tests and the benchmark call this too. */
export function buildProductionExample(app: App): void {
  const aws = new GroundworkStack(app, 'shop-production-aws', {
    project: 'shop',
    environment: EnvironmentTier.PRODUCTION,
    accountId: '123456789012',
    region: 'eu-west-1',
    tags: { CostCenter: 'web-shop', Owner: 'platform-team' },
  });

  new VpcStack(aws, 'Network', {
    cidr: '10.0.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts', 'logs'],
    eksClusterName: 'shop-production',
  });
}

if (require.main === module) {
  const app = new App();
  buildProductionExample(app);
  app.synth();
}
