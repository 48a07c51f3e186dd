/**
 * The benchmark's scaling scenario: one cluster running N services, each declared once with a
 * route on the shared load balancer, a database grant, a workload chart and its bootstrap
 * objects. `node dist/bench/services.js <N>` synthesizes it and prints, as JSON, the seconds
 * spent declaring the constructs and synthesizing both trees (module loading excluded).
 */
import * as path from 'path';
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import {
  AppCluster,
  AppWorkloadChart,
  ClusterBootstrapStack,
  EnvironmentTier,
  GroundworkStack,
  PostgresWithBackups,
  ServiceRoute,
  VpcStack,
} from 'cdktf-groundwork';

const started = process.hrtime.bigint();
const count = Number(process.argv[2] ?? '10');
if (!Number.isInteger(count) || count < 1) throw new Error(`usage: services.js <number of services>, got ${process.argv[2]}`);

const app = new App();
const aws = new GroundworkStack(app, 'bench-aws', {
  project: 'bench',
  environment: EnvironmentTier.PRODUCTION,
  accountId: '123456789012',
  region: 'eu-west-1',
});
const vpc = new VpcStack(aws, 'Network', {
  cidr: '10.0.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  eksClusterName: 'bench',
});
const cluster = new AppCluster(aws, 'App', {
  vpc,
  clusterName: 'bench',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
});
// The largest class: max_connections 5000 holds 100 services of 5 pods with pools of 5.
const database = new PostgresWithBackups(aws, 'Database', { vpc, instanceClass: 'db.r6g.16xlarge' });
new ClusterBootstrapStack(app, 'bench-k8s', { cluster });
const manifests = new ManifestApp({ outdir: path.join(app.outdir, 'manifests') });

for (let i = 0; i < count; i++) {
  const name = `service-${i}`;
  const service = cluster.addService(`Service${i}`, {
    name,
    route: i === 0 ? ServiceRoute.defaultRoute() : ServiceRoute.sharedLoadBalancer({ paths: [`/${name}/*`], priority: 100 + i }),
  });
  service.connectTo(database, { user: `service_${i}` });
  new AppWorkloadChart(manifests, name, {
    service,
    environment: EnvironmentTier.PRODUCTION,
    image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.0`,
    maxReplicas: 5,
    databaseConnectionsPerPod: 5,
  });
}
const declared = process.hrtime.bigint();
manifests.synth();
app.synth();
const finished = process.hrtime.bigint();
console.log(
  JSON.stringify({
    services: count,
    declareSeconds: Number(declared - started) / 1e9,
    synthSeconds: Number(finished - declared) / 1e9,
    totalSeconds: Number(finished - started) / 1e9,
  }),
);
