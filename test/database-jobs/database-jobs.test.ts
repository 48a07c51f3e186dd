import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as ManifestApp, Testing as ManifestTesting } from 'cdk8s';
import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { AppCluster, AppClusterProps } from '../../lib/app-cluster/app-cluster';
import { ClusterBootstrapStack } from '../../lib/app-cluster/bootstrap-stack';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { EnvironmentTier } from '../../lib/core';
import { parseCronSchedule } from '../../lib/core/private/cron';
import { DatabaseJobs, DatabaseJobsChart, DatabaseJobsChartProps, DatabaseJobsProps, LogicalBackupSource } from '../../lib/database-jobs';
import { AlertReceiver, MonitoringChart } from '../../lib/monitoring-stack/monitoring-chart';
import { PostgresWithBackups, PostgresWithBackupsProps } from '../../lib/postgres-with-backups';
import { VpcStack } from '../../lib/vpc-stack';
import { policyOf, refTo, resourceAt, resourcesOf, synthStack, SynthesizedStack, testStack, warningsOf } from '../support/util';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function platform(options: { environment?: EnvironmentTier; cluster?: Partial<AppClusterProps>; database?: Partial<PostgresWithBackupsProps> } = {}) {
  const app = Testing.app();
  const stack = testStack({ environment: options.environment ?? EnvironmentTier.PRODUCTION }, app);
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, interfaceEndpoints: ['sts', 'secretsmanager'] });
  const cluster = new AppCluster(stack, 'App', {
    vpc,
    clusterName: 'shop-production',
    certificateArn: CERTIFICATE_ARN,
    adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
    nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'] }],
    securityGroupsForPods: true,
    ...options.cluster,
  });
  const database = new PostgresWithBackups(stack, 'OrdersDatabase', { vpc, databaseName: 'orders', ...options.database });
  return { app, stack, vpc, cluster, database };
}

function jobsOf(options: Parameters<typeof platform>[0] = {}, props: Partial<DatabaseJobsProps> = {}) {
  const p = platform(options);
  const orders = p.cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders'], priority: 100 }) });
  orders.connectTo(p.database, { user: 'orders_app' });
  const jobs = p.cluster.addDatabaseJobs('OrdersDatabaseJobs', { database: p.database, ...props });
  return { ...p, orders, jobs };
}

function chartOf(jobs: DatabaseJobs, props: Partial<DatabaseJobsChartProps> = {}) {
  const manifests = ManifestTesting.app();
  const chart = new DatabaseJobsChart(manifests, 'orders-database-jobs', { jobs, ...props });
  return { manifests, chart, objects: ManifestTesting.synth(chart) as any[] };
}

const roleRef = (synth: SynthesizedStack, service: string, attribute = 'arn') => refTo(synth, 'aws_iam_role', `App/${service}/Role`, attribute);
const statementsOf = (synth: SynthesizedStack, service: string) =>
  resourcesOf(synth, 'aws_iam_role_policy')
    .filter((p) => p.role === roleRef(synth, service, 'id'))
    .flatMap((p) => policyOf(p.policy).Statement);
const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
const containersOf = (pod: any) => [...(pod.initContainers ?? []), ...pod.containers];
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('cron schedules (lib/core)', () => {
  const scope = new Construct(undefined as any, 'Scope');
  const interval = (text: string) => parseCronSchedule(scope, 'schedule', text).maxIntervalMinutes;

  test('the longest interval follows the schedule', () => {
    expect(interval('0 1 * * *')).toBe(24 * 60);
    expect(interval('@daily')).toBe(24 * 60);
    expect(interval('0 5 * * 6')).toBe(7 * 24 * 60);
    expect(interval('0 5 * * sat')).toBe(7 * 24 * 60);
    expect(interval('0 1,13 * * *')).toBe(12 * 60);
    expect(interval('*/15 * * * *')).toBe(15);
    expect(interval('0 0 1 * *')).toBe(31 * 24 * 60);
    // Weekdays only: Friday's run to Monday's.
    expect(interval('30 2 * * mon-fri')).toBe(3 * 24 * 60);
    // Both day fields restricted: either matches (the 1st, or any Sunday).
    expect(interval('0 0 1 * 0')).toBeLessThanOrEqual(7 * 24 * 60);
  });

  test.each([
    ['0 1 * *', '4 fields'],
    ['61 1 * * *', 'minute 61 is outside 0-59'],
    ['0 1 * * 7', 'day of week 7 is outside 0-6'],
    ['0 0 30 2 *', 'it never runs'],
    ['TZ=UTC 0 1 * * *', 'no TZ= prefix'],
    ['@every 1h', 'unknown macro'],
    ['0 5-1 * * *', 'runs backwards'],
  ])('"%s" is refused: %s', (text, why) => {
    expect(() => parseCronSchedule(scope, 'backupSchedule', text)).toThrow(why);
    expect(() => parseCronSchedule(scope, 'backupSchedule', text)).toThrow(`backupSchedule`);
  });
});

describe('DatabaseJobs on the AWS side', () => {
  const { stack, jobs } = jobsOf();
  const synth = synthStack(stack);

  test('three identities: users, backup and verification, each a service of the cluster in one namespace', () => {
    expect([jobs.usersService.name, jobs.backupService?.name, jobs.verifyService?.name]).toEqual(['orders-database-users', 'orders-database-backup', 'orders-database-verify']);
    expect(new Set([jobs.usersService, jobs.backupService!, jobs.verifyService!].map((s) => s.namespace))).toEqual(new Set(['database-jobs']));
    expect(jobs.serviceUsers).toEqual(['orders_app']);
  });

  test('the backup signs in with IAM as the backup user and may only write dumps under its prefix, with the bucket key', () => {
    const statements = statementsOf(synth, 'OrdersDatabaseJobsBackup');
    const connect = statements.find((s) => s.Action === 'rds-db:connect');
    expect(connect.Resource.every((arn: string) => arn.endsWith('/groundwork_backup'))).toBe(true);
    const bucketArn = refTo(synth, 'aws_s3_bucket', 'OrdersDatabase/BackupBucket/Resource', 'arn');
    const keyArn = refTo(synth, 'aws_kms_key', 'OrdersDatabase/BackupBucket/Key/Resource', 'arn');
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: `${bucketArn}/logical/orders/*` }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn }));
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('s3:GetObject');
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('secretsmanager:GetSecretValue');
  });

  test('the verification reads dumps only: no database sign-in, no writes', () => {
    const statements = statementsOf(synth, 'OrdersDatabaseJobsVerify');
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    expect(statements.find((s) => s.Action === 's3:ListBucket').Condition).toEqual({ StringLike: { 's3:prefix': ['logical/orders/*'] } });
  });

  test('only the users Job reads the master secret, and decrypts it through Secrets Manager only', () => {
    const statements = statementsOf(synth, 'OrdersDatabaseJobsUsers');
    const secretArn = refTo(synth, 'aws_db_instance', 'OrdersDatabase/Resource', 'master_user_secret[0].secret_arn');
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: secretArn }));
    expect(statements.find((s) => s.Action === 'kms:Decrypt').Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
    for (const other of ['OrdersDatabaseJobsBackup', 'OrdersDatabaseJobsVerify', 'Orders']) {
      expect(statementsOf(synth, other).some((s) => s.Action === 'secretsmanager:GetSecretValue')).toBe(false);
    }
  });

  test('with pod security groups, the jobs reach S3 through the gateway endpoint only, and never the internet', () => {
    const egress = resourcesOf(synth, 'aws_vpc_security_group_egress_rule');
    const s3PrefixList = refTo(synth, 'aws_vpc_endpoint', 'Network/S3Endpoint', 'prefix_list_id');
    const podSg = (service: string) => refTo(synth, 'aws_security_group', `App/${service}/PodSecurityGroup`, 'id');
    for (const service of ['OrdersDatabaseJobsBackup', 'OrdersDatabaseJobsVerify']) {
      expect(egress.filter((r) => r.security_group_id === podSg(service) && r.prefix_list_id === s3PrefixList).map((r) => [r.from_port, r.to_port])).toEqual([[443, 443]]);
    }
    expect(egress.filter((r) => r.security_group_id === podSg('OrdersDatabaseJobsUsers') && r.prefix_list_id !== undefined)).toEqual([]);
    expect(egress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0')).toEqual([]);
  });

  test('pod security groups need the private paths: the S3 gateway endpoint and a Secrets Manager interface endpoint', () => {
    const build = (vpcProps: object) => {
      const app = Testing.app();
      const stack = testStack({}, app);
      const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, ...vpcProps });
      const cluster = new AppCluster(stack, 'App', { vpc, clusterName: 'c', certificateArn: CERTIFICATE_ARN, adminPrincipalArns: ['arn:aws:iam::123456789012:role/a'], securityGroupsForPods: true, nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'] }] });
      const database = new PostgresWithBackups(stack, 'Db', { vpc });
      return () => cluster.addDatabaseJobs('DbJobs', { database });
    };
    expect(build({ gatewayEndpoints: false, interfaceEndpoints: ['secretsmanager'] })).toThrow(/S3 gateway endpoint.*set gatewayEndpoints on the VpcStack, or securityGroupsForPods: false/s);
    expect(build({ interfaceEndpoints: ['sts'] })).toThrow(/no "secretsmanager" endpoint/);
    expect(build({ interfaceEndpoints: ['secretsmanager'] })).not.toThrow();
  });

  test('pod security groups in a VPC the library did not build are refused (no endpoints known), and allowed off', () => {
    const app = Testing.app();
    const stack = testStack({}, app);
    const existing = {
      vpcId: 'vpc-0123456789abcdef0',
      cidr: '10.1.0.0/16',
      availabilityZones: ZONES,
      publicSubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
      privateSubnetIds: ['subnet-4', 'subnet-5', 'subnet-6'],
      isolatedSubnetIds: ['subnet-7', 'subnet-8', 'subnet-9'],
      dbSubnetGroupName: 'existing-db',
      cacheSubnetGroupName: 'existing-cache',
    };
    const cluster = new AppCluster(stack, 'App', { vpc: existing, clusterName: 'c', certificateArn: CERTIFICATE_ARN, adminPrincipalArns: ['arn:aws:iam::123456789012:role/a'], securityGroupsForPods: true, nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'] }] });
    const database = new PostgresWithBackups(stack, 'Db', { vpc: existing });
    expect(() => cluster.addDatabaseJobs('DbJobs', { database })).toThrow(/only a VpcStack describes.*set securityGroupsForPods: false here/s);
    expect(() => cluster.addDatabaseJobs('DbJobs2', { database, securityGroupsForPods: false })).not.toThrow();
  });

  test('the backup bucket refuses uploads under another key or SSE-S3', () => {
    const policy = policyOf(resourceAt(synth, 'aws_s3_bucket_policy', 'OrdersDatabase/BackupBucket/Policy').policy);
    const keyArn = refTo(synth, 'aws_kms_key', 'OrdersDatabase/BackupBucket/Key/Resource', 'arn');
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Sid: 'DenyOtherKmsKeys', Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } } }));
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Sid: 'DenyOtherEncryption', Effect: 'Deny', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }));
  });

  test('the bootstrap stack writes the jobs\' Secrets: endpoints, bucket, key and prefix, never a password', () => {
    const bootstrap = new ClusterBootstrapStack(Testing.app(), 'k8s', { cluster: jobs.cluster });
    const secrets = Object.values(JSON.parse(Testing.synth(bootstrap)).resource.kubernetes_secret_v1 as Record<string, any>);
    const backupSecret = secrets.find((s) => s.metadata.name === 'orders-database-backup-connection');
    expect(Object.keys(backupSecret.data).sort()).toEqual(
      ['BACKUP_BUCKET', 'BACKUP_KEY_PREFIX', 'BACKUP_KMS_KEY_ARN', 'DATABASE_HOST', 'DATABASE_IAM_AUTH', 'DATABASE_NAME', 'DATABASE_PORT', 'DATABASE_READER_HOSTS', 'DATABASE_USER'],
    );
    expect(backupSecret.data.DATABASE_USER).toBe('groundwork_backup');
    const usersSecret = secrets.find((s) => s.metadata.name === 'orders-database-users-connection');
    expect(Object.keys(usersSecret.data).sort()).toEqual(['DATABASE_HOST', 'DATABASE_MASTER_SECRET_ARN', 'DATABASE_NAME', 'DATABASE_PORT', 'MONITORING_SECRET_ARN']);
    const exporterSecret = secrets.find((s) => s.metadata.name === 'orders-database-exporter-connection');
    expect(Object.keys(exporterSecret.data).sort()).toEqual(['DATABASE_HOST', 'DATABASE_MONITORING_SECRET_ARN', 'DATABASE_NAME', 'DATABASE_PORT', 'DATABASE_READER_HOST_1', 'DATABASE_READER_HOST_2']);
  });
});

describe('DatabaseJobsChart', () => {
  test('production: users Job, daily backup, weekly verification, from the preset and the declaration', () => {
    const { jobs } = jobsOf();
    const { objects } = chartOf(jobs);
    const [backup, verify] = byKind(objects, 'CronJob');
    expect([backup.metadata.name, backup.spec.schedule, backup.spec.timeZone]).toEqual(['orders-database-backup', '0 1 * * *', 'Etc/UTC']);
    expect([verify.metadata.name, verify.spec.schedule]).toEqual(['orders-database-verify', '0 5 * * 6']);
    // The throwaway server's shared memory is not the pod's 64 MiB default.
    const verifyPod = verify.spec.jobTemplate.spec.template.spec;
    expect(verifyPod.containers[0].volumeMounts).toContainEqual({ name: 'shared-memory', mountPath: '/dev/shm' });
    expect(verifyPod.volumes.find((v: any) => v.name === 'shared-memory').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '512Mi' });
    expect(backup.spec.concurrencyPolicy).toBe('Forbid');
    const backupPod = backup.spec.jobTemplate.spec.template.spec;
    expect(backupPod.initContainers.map((c: any) => [c.name, c.command[1]])).toEqual([['credentials', '/scripts/iam-token.sh'], ['dump', '/scripts/backup.sh']]);
    expect(backupPod.containers.map((c: any) => [c.name, c.command[1]])).toEqual([['upload', '/scripts/upload.sh']]);
    expect(backupPod.serviceAccountName).toBe('orders-database-backup');
    expect(envOf(backupPod.initContainers[1]).PGUSER).toEqual({ secretKeyRef: { name: 'orders-database-backup-connection', key: 'DATABASE_USER' } });
    expect(envOf(backupPod.initContainers[1])).toMatchObject({ LARGE_OBJECTS: 'include', PGCONNECT_TIMEOUT: '30' });
    expect(envOf(byKind(chartOf(jobsOf({}, { largeObjects: false }).jobs).objects, 'CronJob')[0].spec.jobTemplate.spec.template.spec.initContainers[1]).LARGE_OBJECTS).toBe('exclude');
    expect(backupPod.containers[0].image).toBe('public.ecr.aws/aws-cli/aws-cli:2.27.0');
    expect(backupPod.initContainers[1].image).toBe('public.ecr.aws/docker/library/postgres:17');

    const users = byKind(objects, 'Job')[0];
    expect(users.metadata.name).toMatch(/^orders-database-users-[0-9a-f]{8}$/);
    const usersContainer = users.spec.template.spec.containers[0];
    expect(envOf(usersContainer)).toMatchObject({ BACKUP_USER: 'groundwork_backup', SERVICE_USERS: 'orders_app' });
  });

  test('the ConfigMap ships the very scripts CI runs', () => {
    const { objects } = chartOf(jobsOf().jobs);
    const scripts = byKind(objects, 'ConfigMap')[0];
    const dir = path.resolve(__dirname, '../../lib/database-jobs/scripts');
    for (const file of fs.readdirSync(dir)) expect(scripts.data[file]).toBe(fs.readFileSync(path.join(dir, file), 'utf8'));
  });

  test('pods run hardened, with credentials in memory and no Terraform value in the YAML', () => {
    const { objects } = chartOf(jobsOf().jobs);
    const pods = [...byKind(objects, 'CronJob').map((c) => c.spec.jobTemplate.spec.template.spec), byKind(objects, 'Job')[0].spec.template.spec];
    for (const pod of pods) {
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
      expect(pod.volumes.find((v: any) => v.name === 'credentials').emptyDir.medium).toBe('Memory');
      for (const container of containersOf(pod)) {
        expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(container.resources.limits.memory).toBeDefined();
      }
    }
    // No Terraform reference anywhere; no "${" outside the scripts (bash's own ${var}).
    expect(JSON.stringify(objects)).not.toMatch(/\$\{(TfToken\[|(aws|kubernetes|data|var|local)[._])/);
    expect(JSON.stringify(objects.filter((o) => o.kind !== 'ConfigMap'))).not.toMatch(/\$\{|TOKEN\[/);
  });

  test('NetworkPolicies: no ingress but Prometheus to the exporter; the database only for jobs that sign in', () => {
    const { objects } = chartOf(jobsOf().jobs);
    const policies: Record<string, any> = Object.fromEntries(byKind(objects, 'NetworkPolicy').map((p) => [p.metadata.name, p.spec]));
    expect(Object.keys(policies).sort()).toEqual(['orders-database-backup', 'orders-database-exporter', 'orders-database-users', 'orders-database-verify']);
    const toPort = (spec: any, port: number) => spec.egress.some((rule: any) => rule.ports.some((p: any) => p.port === port));
    for (const spec of Object.values(policies)) expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    for (const name of ['orders-database-backup', 'orders-database-users', 'orders-database-verify']) expect(policies[name].ingress).toBeUndefined();
    expect(policies['orders-database-exporter'].ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9187 }] },
    ]);
    expect(toPort(policies['orders-database-exporter'], 5432)).toBe(true);
    expect(toPort(policies['orders-database-backup'], 5432)).toBe(true);
    expect(toPort(policies['orders-database-users'], 5432)).toBe(true);
    expect(toPort(policies['orders-database-verify'], 5432)).toBe(false);
  });

  test('TLS: verify-full against the RDS bundle when given, in a ConfigMap; otherwise require, with a warning', () => {
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const verified = chartOf(jobsOf().jobs, { rdsCertificateBundle: bundle }).objects;
    const pod = byKind(verified, 'CronJob')[0].spec.jobTemplate.spec.template.spec;
    expect(envOf(pod.initContainers[1])).toMatchObject({ PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/rds-ca/bundle.pem' });
    expect(byKind(verified, 'ConfigMap').find((c) => c.metadata.name === 'orders-database-rds-ca').data['bundle.pem']).toBe(bundle);
    expect(pod.volumes.find((v: any) => v.name === 'rds-ca').configMap.name).toBe('orders-database-rds-ca');

    const { chart, objects } = chartOf(jobsOf().jobs);
    const plain = byKind(objects, 'CronJob')[0].spec.jobTemplate.spec.template.spec;
    expect(envOf(plain.initContainers[1]).PGSSLMODE).toBe('require');
    expect(warningsOf(chart).join('\n')).toContain('[GW-DB-JOBS-TLS-UNVERIFIED] no rdsCertificateBundle');
    expect(() => chartOf(jobsOf().jobs, { rdsCertificateBundle: 'https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem' })).toThrow(
      /rdsCertificateBundle.*be PEM certificates.*"https:\/\/truststore.pki.rds.am/s,
    );
  });

  test('development: backups, no verification (the preset)', () => {
    const { jobs } = jobsOf({ environment: EnvironmentTier.DEVELOPMENT, cluster: { clusterName: 'shop-development' } });
    expect(jobs.verifyService).toBeUndefined();
    const { objects } = chartOf(jobs);
    expect(byKind(objects, 'CronJob').map((c) => c.metadata.name)).toEqual(['orders-database-backup']);
  });

  test('a backup from the replica reads the reader endpoints (the scripts take the first)', () => {
    const { jobs } = jobsOf({}, { backupSource: LogicalBackupSource.REPLICA });
    const backup = byKind(chartOf(jobs).objects, 'CronJob')[0].spec.jobTemplate.spec.template.spec;
    expect(envOf(backup.initContainers[1]).PGHOST).toEqual({ secretKeyRef: { name: 'orders-database-backup-connection', key: 'DATABASE_READER_HOSTS' } });
  });

  test('the users Job is renamed when anything in it changes (a user, the certificate bundle), so it runs again', () => {
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(chartOf(jobsOf().jobs, { rdsCertificateBundle: bundle }).chart.usersJobName).not.toBe(chartOf(jobsOf().jobs).chart.usersJobName);
    expect(chartOf(jobsOf().jobs).chart.usersJobName).toBe(chartOf(jobsOf().jobs).chart.usersJobName);
    const first = jobsOf();
    const before = chartOf(first.jobs).chart.usersJobName;
    const second = jobsOf();
    second.cluster.addService('Reports', { name: 'reports' }).connectTo(second.database, { user: 'reports_app' });
    const { chart, objects } = chartOf(second.jobs);
    expect(chart.usersJobName).not.toBe(before);
    expect(envOf(byKind(objects, 'Job')[0].spec.template.spec.containers[0]).SERVICE_USERS).toBe('orders_app,reports_app');
  });
});

describe('the metrics exporter: postgres_exporter per instance, as a monitoring user whose password Terraform never holds', () => {
  const { stack, jobs } = jobsOf();
  const synth = synthStack(stack);

  test('a secret without a value: the users Job keeps the password, the exporter reads it, nobody else', () => {
    const secret = resourceAt(synth, 'aws_secretsmanager_secret', 'App/OrdersDatabaseJobs/MonitoringSecret');
    expect(secret).toMatchObject({ name: 'shop-production-ordersdatabase/monitoring-user', kms_key_id: refTo(synth, 'aws_kms_key', 'OrdersDatabase/Key/Resource', 'arn') });
    expect(resourcesOf(synth, 'aws_secretsmanager_secret_version')).toEqual([]);
    const secretArn = refTo(synth, 'aws_secretsmanager_secret', 'App/OrdersDatabaseJobs/MonitoringSecret', 'arn');
    const writers = (service: string) => statementsOf(synth, service).filter((s) => [s.Resource].flat().includes(secretArn)).flatMap((s) => [s.Action].flat()).sort();
    expect(writers('OrdersDatabaseJobsUsers')).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    expect(writers('OrdersDatabaseJobsExporter')).toEqual(['secretsmanager:GetSecretValue']);
    for (const other of ['OrdersDatabaseJobsBackup', 'OrdersDatabaseJobsVerify', 'Orders']) expect(writers(other)).toEqual([]);
    // No rds-db:connect: the exporter signs in with the password.
    expect(statementsOf(synth, 'OrdersDatabaseJobsExporter').some((s) => s.Action === 'rds-db:connect')).toBe(false);
  });

  test('one Deployment per instance, each pointed at its host, with the password from a file and no credential in the spec', () => {
    const { objects, chart } = chartOf(jobs);
    const deployments = byKind(objects, 'Deployment');
    expect(deployments.map((d) => [d.metadata.name, d.spec.replicas])).toEqual([
      ['orders-database-exporter-primary', 1],
      ['orders-database-exporter-replica-1', 1],
      ['orders-database-exporter-replica-2', 1],
    ]);
    const exporterEnv = (d: any) => envOf(d.spec.template.spec.containers[0]);
    expect(exporterEnv(deployments[0]).DB_HOST).toEqual({ secretKeyRef: { name: 'orders-database-exporter-connection', key: 'DATABASE_HOST' } });
    expect(exporterEnv(deployments[2]).DB_HOST).toEqual({ secretKeyRef: { name: 'orders-database-exporter-connection', key: 'DATABASE_READER_HOST_2' } });
    expect(exporterEnv(deployments[0])).toMatchObject({
      DATA_SOURCE_URI: '$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=require',
      DATA_SOURCE_USER: 'groundwork_monitor',
      DATA_SOURCE_PASS_FILE: '/credentials/monitor-password',
    });
    expect(deployments[0].spec.template.spec.initContainers[0].command).toEqual(['/bin/bash', '/scripts/exporter-credentials.sh']);
    // The users Job creates the user and keeps its password.
    const users = envOf(byKind(objects, 'Job')[0].spec.template.spec.containers[0]);
    expect(users).toMatchObject({ MONITOR_USER: 'groundwork_monitor', MONITOR_PASSWORD_FILE: '/credentials/monitor-password' });
    expect(chart.exporterScrapeTarget).toEqual({
      namespace: 'database-jobs',
      serviceLabels: { 'app.kubernetes.io/name': 'orders-database-exporter' },
      portName: 'metrics',
      admittedNamespaces: ['monitoring'],
    });
    expect(byKind(objects, 'Service')[0].spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'orders-database-exporter' }, ports: [{ name: 'metrics', port: 9187 }] });
  });

  test("a MonitoringChart whose Prometheus namespace the exporter's NetworkPolicy does not admit fails synth, naming the target and the fix", () => {
    const monitoring = (metricsNamespaces: string[] | undefined, namespace?: string) => () => {
      const { manifests, chart } = chartOf(jobsOf().jobs, { metricsNamespaces });
      return new MonitoringChart(manifests, 'monitoring', {
        appName: 'orders-api',
        team: 'shop',
        environment: EnvironmentTier.PRODUCTION,
        runbookBaseUrl: 'https://runbooks.example.com/shop',
        alertmanager: { receivers: [AlertReceiver.slack('shop-slack', { channel: '#shop', webhookUrlSecretName: 'slack' })] },
        postgresExporter: chart.exporterScrapeTarget,
        namespace,
      });
    };
    expect(monitoring(['observability'])).toThrow(
      'MonitoringChart monitoring: postgresExporter.admittedNamespaces must include Prometheus\'s namespace "monitoring" (this chart\'s namespace): ' +
        'the target\'s NetworkPolicies admit only these namespaces to its metrics port "metrics", so Prometheus could not scrape database-jobs/orders-api-postgres-exporter. ' +
        'A DatabaseJobsChart admits it with metricsNamespaces, got ["observability"]',
    );
    expect(monitoring(['observability'], 'observability')).not.toThrow();
    expect(monitoring(undefined)).not.toThrow();
    // The policy itself admits what the scrape target says.
    const { objects } = chartOf(jobsOf().jobs, { metricsNamespaces: ['observability'] });
    const exporterPolicy = byKind(objects, 'NetworkPolicy').find((p) => p.metadata.name === 'orders-database-exporter');
    expect(exporterPolicy.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('off with metricsExporter: false; a monitoring user taken by someone else is refused', () => {
    const { jobs: without } = jobsOf({}, { metricsExporter: false });
    expect(without.exporterService).toBeUndefined();
    expect(byKind(chartOf(without).objects, 'Deployment')).toEqual([]);
    expect(() => jobsOf({}, { monitorUser: 'orders_app' })).toThrow(/monitorUser must be a user of its own.*got "orders_app"/s);
    expect(() => jobsOf({}, { monitorUser: 'Monitor' })).toThrow(/monitorUser must be a PostgreSQL role name/);
  });
});

describe('bad input, refused at synth', () => {
  test('a schedule that does not parse names the construct, the property and the value', () => {
    expect(() => jobsOf({}, { backupSchedule: '0 25 * * *' })).toThrow(/OrdersDatabaseJobs.*backupSchedule.*hour 25 is outside 0-23.*"0 25 \* \* \*"/s);
  });

  test('dump retention shorter than the verification interval', () => {
    expect(() => jobsOf({ database: { dumpRetentionDays: 30 } }, { verificationSchedule: '0 5 1 1,7 *' })).toThrow(
      /verificationSchedule "0 5 1 1,7 \*" leaves up to 184 days between verifications, longer than the database's dumpRetentionDays \(30\)/,
    );
  });

  test('verification without dumps', () => {
    expect(() => jobsOf({}, { logicalBackups: false, restoreVerification: true })).toThrow(/restoreVerification is true, but logicalBackups is false/);
  });

  test('a backup user equal to the master user', () => {
    expect(() => jobsOf({}, { backupUser: 'dbadmin' })).toThrow(/backupUser.*not be the master user "dbadmin"/s);
  });

  test('a backup user equal to a service\'s user, declared before or after', () => {
    expect(() => jobsOf({}, { backupUser: 'orders_app' })).toThrow(/backupUser.*Orders.*signs in to .*OrdersDatabase.* as "orders_app"/s);
    const later = jobsOf();
    later.cluster.addService('Reports', { name: 'reports' }).connectTo(later.database, { user: 'groundwork_backup' });
    expect(() => later.app.synth()).toThrow(/signs in to .*OrdersDatabase.* as "groundwork_backup"/s);
  });

  test('a replica backup of a database without replicas', () => {
    expect(() => jobsOf({ database: { readReplicas: 0 } }, { backupSource: LogicalBackupSource.REPLICA })).toThrow(/backupSource.*has no read replica/s);
  });

  test('a grant made after the chart fails the synth instead of leaving a user out', () => {
    const { cluster, database, jobs } = jobsOf();
    const { manifests } = chartOf(jobs);
    cluster.addService('Reports', { name: 'reports' }).connectTo(database, { user: 'reports_app' });
    expect(() => (manifests as ManifestApp).synth()).toThrow(/changed after this chart was created \(users orders_app then, orders_app, reports_app now\)/);
  });
});

describe('the jobs\' alerts, with promtool', () => {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('promtool is not installed. Install it with: apt-get install -y prometheus  (CI does this in .ci/run)');
  }
  const { jobs } = jobsOf();
  const { chart } = chartOf(jobs, { runbookBaseUrl: 'https://runbooks.example.com/shop' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-job-rules-'));
  fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify({ groups: chart.ruleGroups }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ns = 'database-jobs';
  const hour = 3600;
  // Backup: daily + 4 h deadline = 28 h allowed. Series at 1 m steps for 2 h from t=0; `time()` starts at 0,
  // so timestamps are given relative to the evaluation, shifted by `offset` seconds into the past.
  const job = (name: string, owner: string, started: number, failed: boolean) => [
    { series: `kube_job_owner{namespace="${ns}", job_name="${name}", owner_kind="CronJob", owner_name="${owner}"}`, values: '1x120' },
    { series: `kube_job_status_start_time{namespace="${ns}", job_name="${name}"}`, values: `${started}x120` },
    { series: `kube_job_failed{namespace="${ns}", job_name="${name}", condition="true"}`, values: `${failed ? 1 : 0}x120` },
  ];
  const cronJob = (name: string, created: number, lastSuccess?: number) => [
    { series: `kube_cronjob_created{namespace="${ns}", cronjob="${name}"}`, values: `${created}x120` },
    ...(lastSuccess !== undefined ? [{ series: `kube_cronjob_status_last_successful_time{namespace="${ns}", cronjob="${name}"}`, values: `${lastSuccess}x120` }] : []),
  ];
  const usersJob = (hash: string, started: number, failed: boolean) => [
    { series: `kube_job_status_start_time{namespace="${ns}", job_name="orders-database-users-${hash}"}`, values: `${started}x120` },
    { series: `kube_job_failed{namespace="${ns}", job_name="orders-database-users-${hash}", condition="true"}`, values: `${failed ? 1 : 0}x120` },
  ];
  // Time runs from 0 to 2 h; a "day ago" is negative.
  const alertsAt = (inputSeries: any[], alertname: string, expected: any[]) => ({
    interval: '1m',
    input_series: inputSeries,
    alert_rule_test: [{ eval_time: '60m', alertname, exp_alerts: expected }],
  });
  const rules = chart.ruleGroups.flatMap((g: any) => g.rules);
  // The expected annotations are the rule's, with the job name filled in as Prometheus would.
  const labels = (alertname: string, service: string, severity: string, extra: { [key: string]: string } = {}) => ({
    exp_labels: { alertname, severity, team: 'platform', service, environment: 'production', namespace: ns, database: jobs.database.identifier, ...extra },
    exp_annotations: Object.fromEntries(
      Object.entries(rules.find((r: any) => r.alert === alertname).annotations).map(([k, v]) => [k, String(v).replace(/\{\{ \$labels\.job_name \}\}/g, extra.job_name ?? '')]),
    ),
  });

  test('fire when they should and stay silent when they should not', () => {
    const tests = [
      // A failed run after the last success fires; a failure before a later success does not.
      alertsAt([...cronJob('orders-database-backup', -30 * hour, -2 * hour), ...job('orders-database-backup-100', 'orders-database-backup', 10, true)], 'DatabaseLogicalBackupFailed', [
        labels('DatabaseLogicalBackupFailed', 'orders-database-backup', 'warning', { job_name: 'orders-database-backup-100', owner_name: 'orders-database-backup' }),
      ]),
      alertsAt([...cronJob('orders-database-backup', -30 * hour, -2 * hour), ...job('orders-database-backup-99', 'orders-database-backup', -3 * hour, true)], 'DatabaseLogicalBackupFailed', []),
      // Failed with no success ever.
      alertsAt([...cronJob('orders-database-backup', -30 * hour), ...job('orders-database-backup-100', 'orders-database-backup', -hour, true)], 'DatabaseLogicalBackupFailed', [
        labels('DatabaseLogicalBackupFailed', 'orders-database-backup', 'warning', { job_name: 'orders-database-backup-100', owner_name: 'orders-database-backup' }),
      ]),
      // Too old: last success 29 h ago (> 28 h); silent at 27 h.
      alertsAt(cronJob('orders-database-backup', -40 * hour, -29 * hour), 'DatabaseLogicalBackupTooOld', [labels('DatabaseLogicalBackupTooOld', 'orders-database-backup', 'critical', { cronjob: 'orders-database-backup' })]),
      alertsAt(cronJob('orders-database-backup', -40 * hour, -27 * hour), 'DatabaseLogicalBackupTooOld', []),
      // Never succeeded since it was created 30 h ago; created 1 h ago is fine.
      alertsAt(cronJob('orders-database-backup', -30 * hour), 'DatabaseLogicalBackupTooOld', [labels('DatabaseLogicalBackupTooOld', 'orders-database-backup', 'critical', { cronjob: 'orders-database-backup' })]),
      alertsAt(cronJob('orders-database-backup', -hour), 'DatabaseLogicalBackupTooOld', []),
      // Not observed at all (no CronJob, or kube-state-metrics not scraped).
      alertsAt([{ series: 'up{job="kube-state-metrics"}', values: '1x120' }], 'DatabaseLogicalBackupTooOld', [labels('DatabaseLogicalBackupTooOld', 'orders-database-backup', 'critical', { cronjob: 'orders-database-backup' })]),
      // Verification: failed after its last success; weekly + 4 h allowed.
      alertsAt([...cronJob('orders-database-verify', -30 * 24 * hour, -7 * 24 * hour), ...job('orders-database-verify-7', 'orders-database-verify', -hour, true)], 'DatabaseRestoreVerificationFailed', [
        labels('DatabaseRestoreVerificationFailed', 'orders-database-verify', 'critical', { job_name: 'orders-database-verify-7', owner_name: 'orders-database-verify' }),
      ]),
      alertsAt(cronJob('orders-database-verify', -30 * 24 * hour, -7 * 24 * hour - 5 * hour), 'DatabaseRestoreVerificationNotRun', [labels('DatabaseRestoreVerificationNotRun', 'orders-database-verify', 'warning', { cronjob: 'orders-database-verify' })]),
      alertsAt(cronJob('orders-database-verify', -30 * 24 * hour, -6 * 24 * hour), 'DatabaseRestoreVerificationNotRun', []),
      // The users Job: its newest run failed; an older failure once a newer Job ran is history.
      alertsAt([...usersJob('0a1b2c3d', -hour, true)], 'DatabaseUsersJobFailed', [
        labels('DatabaseUsersJobFailed', 'orders-database-users', 'warning', { job_name: 'orders-database-users-0a1b2c3d' }),
      ]),
      alertsAt([...usersJob('0a1b2c3d', -2 * hour, true), ...usersJob('99aa88bb', -hour, false)], 'DatabaseUsersJobFailed', []),
      // Two kube-state-metrics replicas scraped: every series twice, still one alert.
      alertsAt(
        [...job('orders-database-backup-100', 'orders-database-backup', 10, true), ...cronJob('orders-database-backup', -30 * hour, -2 * hour)].flatMap((s) => [s, { ...s, series: s.series.replace('{', '{instance="ksm-2", ') }]),
        'DatabaseLogicalBackupFailed',
        [labels('DatabaseLogicalBackupFailed', 'orders-database-backup', 'warning', { job_name: 'orders-database-backup-100', owner_name: 'orders-database-backup' })],
      ),
    ];
    const file = path.join(dir, 'tests.yaml');
    fs.writeFileSync(file, YAML.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
    const check = spawnSync('promtool', ['check', 'rules', 'rules.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('SUCCESS');
    const result = spawnSync('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('recovery objectives, derived from the settings', () => {
  const byScenario = (objectives: any[]) => Object.fromEntries(objectives.map((o) => [o.scenario.split(' ')[0], o]));

  test('production: failover loses nothing, PITR 5 minutes, dumps the schedule plus the deadline, a region the DR copy', () => {
    const { database, jobs } = jobsOf({ database: { disasterRecoveryRegion: 'eu-central-1' } });
    const o = byScenario(database.recoveryObjectives(jobs));
    expect(o.Availability).toMatchObject({ recoveryPointMinutes: 0, recoveryTime: '1-2 minutes (RDS failover)' });
    expect(o.Data).toMatchObject({ recoveryPointMinutes: 5, reachDays: 30 });
    expect(o.A).toMatchObject({ recoveryPointMinutes: 24 * 60 + 240, reachDays: 365 });
    expect(o.A.mechanism).toContain('restore verified on schedule');
    expect(o.Region).toMatchObject({ recoveryPointMinutes: 24 * 60, reachDays: 30 });
    expect(o.Region.mechanism).toContain('eu-central-1');
  });

  test('a shorter schedule and deadline shrink the logical RPO; no DR region, no PITR: not covered', () => {
    const { database, jobs } = jobsOf(
      { environment: EnvironmentTier.DEVELOPMENT, cluster: { clusterName: 'dev' }, database: { backupRetentionDays: 0, readReplicas: 0 } },
      { backupSchedule: '0 */6 * * *', jobDeadlineMinutes: 60 },
    );
    const o = byScenario(database.recoveryObjectives(jobs));
    expect(o.A.recoveryPointMinutes).toBe(6 * 60 + 60);
    expect(o.Data).toMatchObject({ recoveryTime: 'not covered', reachDays: 0 });
    expect(o.Data.recoveryPointMinutes).toBeUndefined();
    expect(o.Region).toMatchObject({ recoveryTime: 'not covered' });
    // Without the jobs there is no logical row.
    expect(database.recoveryObjectives().map((r) => r.scenario)).not.toContain(o.A.scenario);
  });

  test("another database's jobs are refused", () => {
    const { stack, vpc, jobs } = jobsOf();
    const other = new PostgresWithBackups(stack, 'Other', { vpc });
    expect(() => other.recoveryObjectives(jobs)).toThrow(/recoveryObjectives\(jobs\).*be the jobs of this database/s);
  });
});
