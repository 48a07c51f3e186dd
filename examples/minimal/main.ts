/**
 * The smallest useful app: a development VPC with a PostgreSQL database in it.
 *
 * `node dist/examples/minimal/main.js` after `npm run build` writes
 * cdktf.out/stacks/minimal-dev/cdk.tf.json. The packaging test synthesizes this file from the
 * published tarball, installed into a fresh project, as a consumer would.
 */
import { App } from 'cdktf';
import { Checks, EnvironmentTier, GroundworkPack, GroundworkStack, PostgresWithBackups, VpcStack } from 'cdktf-groundwork';

const app = new App();
const stack = new GroundworkStack(app, 'minimal-dev', {
  project: 'minimal',
  environment: EnvironmentTier.DEVELOPMENT,
  accountId: '111111111111',
  region: 'eu-west-1',
});
const vpc = new VpcStack(stack, 'Network', {
  cidr: '10.50.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
});
new PostgresWithBackups(stack, 'Database', { vpc });
// The library's rule pack over every resource; an unacknowledged error finding fails synth.
Checks.of(app).add(new GroundworkPack({ strict: true }));
app.synth();
