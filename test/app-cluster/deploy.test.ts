import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as ManifestApp, Testing as ManifestTesting } from 'cdk8s';
import { AppClusterProps } from '../../lib/app-cluster/app-cluster';
import { ClusterBootstrapStack } from '../../lib/app-cluster/bootstrap-stack';
import { DeployPlan, DeployPlanProps } from '../../lib/app-cluster/deploy-plan';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { AppWorkloadChart, AppWorkloadChartProps } from '../../lib/app-cluster/workload-chart';
import { EnvironmentTier } from '../../lib/core';
import { DatabaseJobsChart } from '../../lib/database-jobs';
import { PostgresWithBackups } from '../../lib/postgres-with-backups';
import { RedisHA } from '../../lib/redis-ha';
import { testPlatform } from '../support/platform';
import { policyOf, resourceAt, synthStack } from '../support/util';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:2.0.1';

/** A cluster with one service granted a database with a migration user, and its manifests. */
function platform(options: { migrationUser?: string | null; cluster?: Partial<AppClusterProps>; environment?: EnvironmentTier } = {}) {
  const { app, stack, vpc, cluster } = testPlatform(options.cluster, { environment: options.environment });
  const database = new PostgresWithBackups(stack, 'Database', { vpc, databaseName: 'orders' });
  const orders = cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.defaultRoute() });
  orders.connectTo(database, { user: 'orders_app', migrationUser: options.migrationUser === null ? undefined : (options.migrationUser ?? 'orders_migrate') });
  const bootstrap = new ClusterBootstrapStack(app, 'shop-production-k8s', { cluster });
  const manifests = new ManifestApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-plan-')) });
  return { app, stack, vpc, cluster, database, orders, bootstrap, manifests };
}

function workload(p: ReturnType<typeof platform>, props: Partial<AppWorkloadChartProps> = {}, id = 'orders-api') {
  return new AppWorkloadChart(p.manifests, id, {
    service: p.orders,
    environment: EnvironmentTier.PRODUCTION,
    image: IMAGE,
    migration: { command: ['/app/orders-api', 'migrate', 'up'] },
    ...props,
  });
}

const objects = (chart: AppWorkloadChart) => chart.toJson();
const find = (chart: AppWorkloadChart, kind: string, name?: string) => objects(chart).find((o: any) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('a service migration (AppWorkloadChart migration)', () => {
  test('is a Job with the Deployment hardening, identity, settings and Secrets, one attempt within its timeout', () => {
    const chart = workload(platform(), { migration: { command: ['/app/orders-api', 'migrate', 'up'], timeoutSeconds: 900 } });
    const job = find(chart, 'Job')!;
    const deployment = find(chart, 'Deployment')!;
    expect(job.metadata.name).toBe(chart.migrationJobName);
    expect(job.metadata.name).toMatch(/^orders-api-migrate-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 900, backoffLimit: 0 });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    const pod = job.spec.template.spec;
    const appPod = deployment.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    // The migrations' own identity (with a migration user), whose role alone may sign in as it.
    expect(appPod.serviceAccountName).toBe('orders-api');
    expect(pod.serviceAccountName).toBe('orders-api-migrate');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual(appPod.securityContext);
    const [container] = pod.containers;
    const [appContainer] = appPod.containers;
    expect(container.image).toBe(IMAGE);
    expect(container.command).toEqual(['/app/orders-api', 'migrate', 'up']);
    expect(container.securityContext).toEqual(appContainer.securityContext);
    // The app's settings and infrastructure ConfigMaps, and the migration identity's connection Secret.
    expect(container.envFrom).toEqual(
      appContainer.envFrom.map((e: any) => (e.secretRef?.name === 'orders-api-connection' ? { secretRef: { name: 'orders-api-migrate-connection' } } : e)),
    );
    expect(container.env).toBeUndefined();
    expect(container.resources).toEqual(appContainer.resources);
  });

  test('without a migration user it runs as the service itself', () => {
    const p = platform({ migrationUser: null });
    const chart = workload(p);
    const pod = find(chart, 'Job')!.spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders-api');
    expect(pod.containers[0].envFrom).toEqual(find(chart, 'Deployment')!.spec.template.spec.containers[0].envFrom);
  });

  test('its pods are never endpoints of the Service nor counted by the disruption budget, and get the egress of the app', () => {
    const chart = workload(platform());
    const job = find(chart, 'Job')!;
    const podLabels = job.spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(selects(find(chart, 'Service')!.spec.selector)).toBe(false);
    expect(selects(find(chart, 'PodDisruptionBudget')!.spec.selector.matchLabels)).toBe(false);
    const policy = find(chart, 'NetworkPolicy', 'orders-api-migration-egress')!;
    expect(selects(policy.spec.podSelector.matchLabels)).toBe(true);
    const appEgress = objects(chart)
      .filter((o: any) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'orders-api' && o.spec.egress)
      .flatMap((o: any) => o.spec.egress);
    expect(policy.spec.egress).toEqual(expect.arrayContaining(appEgress));
    expect(policy.spec.egress).toHaveLength(appEgress.length);
    // Step 5 applies the Job with what it needs (migration-of); step 6 applies all but the Job
    // and its policy (!migration): a Job's template cannot change once created.
    const kinds = (label: string, value?: string) =>
      objects(chart)
        .filter((o: any) => (value === undefined ? o.metadata.labels?.[label] !== undefined : o.metadata.labels?.[label] === value))
        .map((o: any) => o.kind)
        .sort();
    expect(kinds('groundwork.dev/migration-of', 'orders-api')).toEqual(['ConfigMap', 'Job', 'NetworkPolicy']);
    expect(kinds('groundwork.dev/migration')).toEqual(['Job', 'NetworkPolicy']);
    expect(find(chart, 'Job')!.spec.template.spec.containers[0].envFrom[0]).toEqual({ configMapRef: { name: find(chart, 'ConfigMap')!.metadata.name } });
  });

  test('its name changes exactly when the image or the command changes', () => {
    const name = (props: Partial<AppWorkloadChartProps>) => workload(platform(), props).migrationJobName;
    const base = name({});
    expect(name({ settings: { LOG_LEVEL: 'debug' }, maxReplicas: 12 })).toBe(base);
    expect(name({ migration: { command: ['/app/orders-api', 'migrate', 'up'], timeoutSeconds: 1200, retries: 1 } })).toBe(base);
    expect(name({ image: IMAGE.replace('2.0.1', '2.0.2') })).not.toBe(base);
    expect(name({ migration: { command: ['/app/orders-api', 'migrate', 'up'], image: IMAGE.replace('2.0.1', '2.0.2') } })).not.toBe(base);
    expect(name({ migration: { command: ['/app/orders-api', 'migrate'] } })).not.toBe(base);
    expect(name({ migration: { command: ['/app/orders-api', 'migrate'], args: ['up'] } })).not.toBe(base);
  });

  test('bad input is an error naming the chart and the property', () => {
    expect(() => workload(platform(), { migration: { command: [] } })).toThrow(/orders-api.*migration\.command must be a non-empty list/);
    expect(() => workload(platform(), { migration: { command: ['migrate'], timeoutSeconds: 7200 } })).toThrow(
      /migration\.timeoutSeconds must be a whole number of seconds from 30 to 3600.*got 7200/,
    );
    expect(() => workload(platform(), { migration: { command: ['migrate'], image: 'orders:latest' } })).toThrow(/migration\.image/);
    expect(() => workload(platform(), { migration: { command: ['migrate'], retries: -1 } })).toThrow(/migration\.retries/);
  });
});

describe('a migration user (connectTo migrationUser)', () => {
  test("only the migrations' own identity may sign in as the migration user; the service's role signs in as its user only", () => {
    const p = platform();
    const synth = synthStack(p.stack);
    const signIns = (path: string) => policyOf(resourceAt(synth, 'aws_iam_role_policy', path).policy).Statement[0].Resource as string[];
    const service = signIns('App/Orders/Connect-Database');
    const migration = signIns('App/OrdersMigration/Connect-Database');
    expect(service.length).toBeGreaterThan(0);
    expect(service.every((arn) => arn.endsWith('/orders_app'))).toBe(true);
    expect(migration).toHaveLength(service.length);
    expect(migration.every((arn) => arn.endsWith('/orders_migrate'))).toBe(true);
    const migrationService = p.orders.migrationService!;
    expect(migrationService).toMatchObject({ name: 'orders-api-migrate', namespace: 'orders-api', serviceAccountName: 'orders-api-migrate' });
    expect(migrationService.connections[0].values).toMatchObject({ DATABASE_USER: 'orders_migrate' });
    expect(migrationService.connections[0].values.DATABASE_MIGRATION_USER).toBeUndefined();
    // The service's Secret names the migration user (the users Job pairs them), not as its own.
    expect(p.orders.connections[0].values).toMatchObject({ DATABASE_USER: 'orders_app', DATABASE_MIGRATION_USER: 'orders_migrate' });
  });

  test('the users Job creates it and gives it the schema: MIGRATION_GRANTS', () => {
    const p = platform();
    const jobs = p.cluster.addDatabaseJobs('DatabaseJobs', { database: p.database });
    expect(jobs.serviceUsers).toEqual(['orders_app', 'orders_migrate']);
    expect(jobs.migrationGrants).toEqual(['orders_migrate:orders_app']);
    const chart = new DatabaseJobsChart(p.manifests, 'database-jobs', { jobs });
    const usersJob = chart.toJson().find((o: any) => o.kind === 'Job');
    const env = usersJob.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'MIGRATION_GRANTS', value: 'orders_migrate:orders_app' }]));
  });

  test('must be a user of its own: not the master user, not the service user, not on Redis', () => {
    expect(() => platform({ migrationUser: 'dbadmin' })).toThrow(/connectTo\(options\.migrationUser\) must not be the master user/);
    expect(() => platform({ migrationUser: 'orders_app' })).toThrow(/connectTo\(options\.migrationUser\) must differ from user "orders_app"/);
    expect(() => platform({ migrationUser: 'Orders-Migrate' })).toThrow(/migrationUser\) must be a PostgreSQL role name/);
    const p = platform();
    const cache = new RedisHA(p.stack, 'Cache', { vpc: p.vpc });
    expect(() => p.orders.connectTo(cache, { migrationUser: 'orders_migrate' })).toThrow(/connectTo\(options\.migrationUser\) must be left out/);
    const long = platform();
    const service = long.cluster.addService('Long', { name: 'a-service-with-a-name-of-33-chars' });
    expect(() => service.connectTo(long.database, { user: 'long_app', migrationUser: 'long_migrate' })).toThrow(
      /connectTo\(options\.migrationUser\) must be set only on a service whose name has at most 32 characters/,
    );
  });
});

describe('DeployPlan', () => {
  const plan = (p: ReturnType<typeof platform>, props: Partial<DeployPlanProps> = {}) =>
    new DeployPlan(p.stack, 'DeployPlan', { cluster: p.cluster, bootstrap: p.bootstrap, manifests: p.manifests, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), ...props });

  test('writes the plan the deploy script reads, with the migration and the workload', () => {
    const p = platform();
    const chart = workload(p);
    const deployPlan = plan(p);
    p.manifests.synth();
    const files = deployPlan.write();
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['aws-load-balancer-controller-values.yaml', 'deploy.json']);
    const written = JSON.parse(fs.readFileSync(path.join(deployPlan.outdir, 'deploy.json'), 'utf8'));
    expect(written.migrations).toEqual([
      expect.objectContaining({ service: 'orders-api', namespace: 'orders-api', job: chart.migrationJobName, timeoutSeconds: 600 }),
    ]);
    expect(fs.existsSync(path.join(deployPlan.outdir, written.migrations[0].manifestFile))).toBe(true);
    expect(written.workloads[0]).toMatchObject({ deployment: 'orders-api', healthPath: '/health', configObjects: ['configmap/orders-api-infrastructure', 'secret/orders-api-connection'] });
    expect(written.autoScalingServiceLinkedRole).toBe('ensure');
    expect(written.manifestSelector).toBe('!groundwork.dev/migration');
    expect(written.migrations[0].selector).toBe('groundwork.dev/migration-of=orders-api');
    expect(written.apiAccessHint).toContain('privateEndpointAccessCidrs (10.100.0.0/24)');
  });

  test('the Auto Scaling service-linked role is left to Terraform when the cluster creates it', () => {
    const p = platform({ cluster: { createAutoScalingServiceLinkedRole: true } });
    workload(p);
    const deployPlan = plan(p);
    p.manifests.synth();
    deployPlan.write();
    expect(JSON.parse(fs.readFileSync(path.join(deployPlan.outdir, 'deploy.json'), 'utf8')).autoScalingServiceLinkedRole).toBe('terraform');
  });

  test('development takes no backup before deploying; staging and production do', () => {
    expect(plan(platform({ environment: EnvironmentTier.DEVELOPMENT })).backupBeforeDeploy).toBe(false);
    expect(plan(platform({ environment: EnvironmentTier.STAGING })).backupBeforeDeploy).toBe(true);
    expect(plan(platform()).backupBeforeDeploy).toBe(true);
  });

  test('a migration timeout beyond the deploy deadline fails, naming the chart and the property', () => {
    const p = platform();
    workload(p, { migration: { command: ['migrate'], timeoutSeconds: 3600 } });
    const deployPlan = plan(p, { deadlineMinutes: 60 });
    p.manifests.synth();
    expect(() => deployPlan.write()).toThrow(/orders-api.*migration\.timeoutSeconds must leave time within the deploy's deadline of 60 minutes.*at most 1800 s.*got 3600/s);
  });

  test('an add-on version pin that does not parse fails', () => {
    expect(() => plan(platform(), { loadBalancerControllerChartVersion: '^1.14' })).toThrow(
      /DeployPlan.*loadBalancerControllerChartVersion must be one exact chart version.*got "\^1\.14"/,
    );
    expect(() => plan(platform(), { kubePrometheusStackChartVersion: 'latest' })).toThrow(/kubePrometheusStackChartVersion must be one exact chart version/);
    expect(plan(platform(), { kubePrometheusStackChartVersion: '75.15.1' }).kubePrometheusStackChartVersion).toBe('75.15.1');
  });

  test('write() before the manifests are synthesized says so', () => {
    const p = platform();
    workload(p);
    const manifests = ManifestTesting.app();
    const deployPlan = new DeployPlan(p.stack, 'DeployPlan', { cluster: p.cluster, bootstrap: p.bootstrap, manifests: Object.assign(manifests, {}) });
    new AppWorkloadChart(manifests, 'orders-api', { service: p.orders, environment: EnvironmentTier.PRODUCTION, image: IMAGE });
    fs.rmSync(manifests.outdir, { recursive: true, force: true });
    expect(() => deployPlan.write()).toThrow(/synthesized first|synthesize the manifests first/);
  });
});
