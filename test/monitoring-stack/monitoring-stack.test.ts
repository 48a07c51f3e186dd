import { Testing as ManifestTesting } from 'cdk8s';
import { TerraformVariable, Testing } from 'cdktf';
import { AppCluster } from '../../lib/app-cluster/app-cluster';
import { AppLoadBalancer } from '../../lib/app-cluster/load-balancer';
import { EnvironmentTier, GroundworkStack } from '../../lib/core';
import { AlertReceiver, MonitoringChart } from '../../lib/monitoring-stack/monitoring-chart';
import {
  CertificateWatchOptions,
  LoadBalancerAlarmThresholds,
  MonitoringStack,
  MonitoringStackProps,
  PostgresAlarmThresholds,
  RedisAlarmThresholds,
} from '../../lib/monitoring-stack/monitoring-stack';
import { PostgresWithBackups, PostgresWithBackupsProps } from '../../lib/postgres-with-backups';
import { RedisHA, RedisHAProps } from '../../lib/redis-ha';
import { VpcStack } from '../../lib/vpc-stack';
import { WafRules, WafRulesProps, WafScope } from '../../lib/waf-rules';
import {
  onlyResourceOf,
  policyOf,
  refTo,
  resolveIn,
  resourceAt,
  resourcesByPath,
  resourcesOf,
  synthStack,
  SynthesizedStack,
  testStack,
  warningsOf,
} from '../support/util';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const CERTIFICATE_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const RUNBOOKS = 'https://runbooks.example.com/shop';
const ALARM = 'aws_cloudwatch_metric_alarm';
const GIB = 1024 ** 3;

function network(stack: GroundworkStack): VpcStack {
  return new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, flowLogs: false });
}

function monitoringOnly(props: MonitoringStackProps = {}, environment = EnvironmentTier.PRODUCTION) {
  const stack = testStack({ environment });
  const monitoring = new MonitoringStack(stack, 'Monitoring', props);
  return { stack, monitoring, synth: synthStack(stack) };
}

function watchingPostgres(
  dbProps: Partial<PostgresWithBackupsProps> = {},
  options: { environment?: EnvironmentTier; props?: MonitoringStackProps; thresholds?: PostgresAlarmThresholds } = {},
) {
  const stack = testStack({ environment: options.environment ?? EnvironmentTier.PRODUCTION });
  const db = new PostgresWithBackups(stack, 'Database', { vpc: network(stack), awsBackup: false, ...dbProps });
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: RUNBOOKS, ...options.props });
  monitoring.watchPostgres(db, options.thresholds);
  return { stack, db, monitoring, synth: synthStack(stack) };
}

function watchingRedis(
  cacheProps: Partial<RedisHAProps> = {},
  options: { environment?: EnvironmentTier; props?: MonitoringStackProps; thresholds?: RedisAlarmThresholds } = {},
) {
  const stack = testStack({ environment: options.environment ?? EnvironmentTier.PRODUCTION });
  const cache = new RedisHA(stack, 'Cache', { vpc: network(stack), ...cacheProps });
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: RUNBOOKS, ...options.props });
  monitoring.watchRedis(cache, options.thresholds);
  return { stack, cache, monitoring, synth: synthStack(stack) };
}

function watchingLoadBalancer(thresholds?: LoadBalancerAlarmThresholds) {
  const stack = testStack();
  const lb = new AppLoadBalancer(stack, 'Web', {
    vpc: network(stack),
    certificateArn: CERTIFICATE_ARN,
    targetSecurityGroupId: 'sg-0123456789abcdef0',
  });
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: RUNBOOKS });
  monitoring.watchLoadBalancer(lb, thresholds);
  return { stack, lb, monitoring, synth: synthStack(stack) };
}

function watchingWaf(wafProps: WafRulesProps = {}, region = 'eu-west-1') {
  const stack = testStack({ region });
  const waf = new WafRules(stack, 'Waf', wafProps);
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: RUNBOOKS });
  monitoring.watchWaf(waf);
  return { stack, waf, monitoring, synth: synthStack(stack) };
}

function watchingCertificate(options?: CertificateWatchOptions, props: MonitoringStackProps = {}) {
  const stack = testStack();
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: RUNBOOKS, ...props });
  monitoring.watchCertificate(CERTIFICATE_ARN, options);
  return { stack, monitoring, synth: synthStack(stack) };
}

/** The alarms keyed by construct path below the MonitoringStack, e.g. `Postgres-Database/CpuHigh-primary`. */
function alarmsOf(synth: SynthesizedStack): Record<string, any> {
  return Object.fromEntries(
    Object.entries(resourcesByPath(synth, ALARM)).map(([path, alarm]) => [path.replace(/^Monitoring\//, ''), alarm]),
  );
}

function alarmAt(synth: SynthesizedStack, path: string): any {
  const alarm = alarmsOf(synth)[path];
  if (!alarm) throw new Error(`no alarm at Monitoring/${path}; there are ${Object.keys(alarmsOf(synth)).join(', ')}`);
  return alarm;
}

const topicRef = (synth: SynthesizedStack) => refTo(synth, 'aws_sns_topic', 'Monitoring/Resource', 'arn');

describe('MonitoringStack alarm topic (production)', () => {
  const { stack, monitoring, synth } = monitoringOnly({ alarmEmailAddresses: ['oncall@example.com'] });
  const topic = () => resourceAt(synth, 'aws_sns_topic', 'Monitoring/Resource');
  const key = () => resourceAt(synth, 'aws_kms_key', 'Monitoring/Key/Resource');

  test('encrypts the topic with its own rotating customer-managed key, kept by prevent_destroy in production', () => {
    expect(topic()).toMatchObject({
      name: 'shop-production-monitoring-alarms',
      display_name: 'shop-production-alarms',
      kms_master_key_id: refTo(synth, 'aws_kms_key', 'Monitoring/Key/Resource', 'arn'),
      signature_version: 2,
      tags: expect.objectContaining({ Name: 'shop-production-monitoring-alarms', Project: 'shop' }),
    });
    expect(key()).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  test('lets CloudWatch alarms of this account and region, and EventBridge, use the key, after the account administration statement', () => {
    const statements = policyOf(key().policy).Statement;
    expect(statements).toHaveLength(3);
    // As the SNS guide writes it for AWS service event sources: the topic policy decides which rules publish.
    expect(statements[2]).toEqual({
      Sid: 'EventBridgePublishesToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    expect(statements[0]).toMatchObject({ Sid: 'AccountAdministration', Principal: { AWS: 'arn:aws:iam::123456789012:root' } });
    expect(statements[1]).toEqual({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
      },
    });
  });

  test('lets only CloudWatch alarms and EventBridge rules of this account publish to the topic, and only over TLS', () => {
    const policy = resourceAt(synth, 'aws_sns_topic_policy', 'Monitoring/Policy');
    expect(policy.arn).toBe(topicRef(synth));
    expect(policyOf(policy.policy).Statement).toEqual([
      {
        Sid: 'CloudWatchAlarmsOfThisAccountPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef(synth),
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
        },
      },
      {
        Sid: 'EventBridgeRulesOfThisAccountPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef(synth),
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/*' } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicRef(synth),
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  test('subscribes each email address under an ID named after it', () => {
    expect(resourcesByPath(synth, 'aws_sns_topic_subscription')).toEqual({
      'Monitoring/Email-oncall@example.com': { topic_arn: topicRef(synth), protocol: 'email', endpoint: 'oncall@example.com' },
    });
  });

  test('outputs the topic ARN under a stable name with a description', () => {
    expect(synth.output).toEqual({
      monitoring_alarm_topic_arn: { value: topicRef(synth), description: expect.stringMatching(/SNS topic shop-production-monitoring-alarms/) },
    });
  });

  test('exposes the topic, its key and the alarms as typed attributes', () => {
    expect(monitoring.topicName).toBe('shop-production-monitoring-alarms');
    expect(resolveIn(stack, monitoring.topicArn)).toBe(topicRef(synth));
    expect(resolveIn(stack, monitoring.kmsKeyArn)).toBe(refTo(synth, 'aws_kms_key', 'Monitoring/Key/Resource', 'arn'));
    expect(monitoring.runbookBaseUrl).toBeUndefined();
    expect(monitoring.alarmNames).toEqual([]);
    expect(monitoring.alarmArns).toEqual([]);
  });

  test('creates no alarm before something is watched and records no warning with a subscriber', () => {
    expect(resourcesOf(synth, ALARM)).toEqual([]);
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('MonitoringStack subscriptions and options', () => {
  test('warns when the topic has no subscriber, since alarms would reach nobody', () => {
    const { stack, synth } = monitoringOnly();
    expect(resourcesOf(synth, 'aws_sns_topic_subscription')).toEqual([]);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-MON-NO-SUBSCRIPTIONS]')]);
  });

  test('subscribes an HTTPS endpoint', () => {
    const { stack, synth } = monitoringOnly({ alarmHttpsEndpoint: 'https://events.example.com/sns/alarms' });
    expect(resourceAt(synth, 'aws_sns_topic_subscription', 'Monitoring/Https')).toEqual({
      topic_arn: topicRef(synth),
      protocol: 'https',
      endpoint: 'https://events.example.com/sns/alarms',
    });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('takes an HTTPS endpoint from a sensitive variable, so its key stays out of the synthesized JSON', () => {
    const stack = testStack();
    const url = new TerraformVariable(stack, 'pagerduty_url', { type: 'string', sensitive: true });
    new MonitoringStack(stack, 'Monitoring', { alarmHttpsEndpoint: url.stringValue });
    const synth = synthStack(stack);
    expect(resourceAt(synth, 'aws_sns_topic_subscription', 'Monitoring/Https').endpoint).toBe('${var.pagerduty_url}');
  });

  test('warns when a literal HTTPS endpoint carries what looks like a key', () => {
    const { stack } = monitoringOnly({
      alarmHttpsEndpoint: 'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue',
    });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-MON-KEY-IN-ENDPOINT]')]);
  });

  test('topicName names the topic; development keys may be destroyed', () => {
    const { synth } = monitoringOnly({ topicName: 'shop_alarms', alarmEmailAddresses: ['a@example.com'] }, EnvironmentTier.DEVELOPMENT);
    expect(onlyResourceOf(synth, 'aws_sns_topic').name).toBe('shop_alarms');
    expect(onlyResourceOf(synth, 'aws_kms_key')).toMatchObject({ deletion_window_in_days: 7, lifecycle: { prevent_destroy: false } });
  });

  test('runbookBaseUrl loses its trailing slash and links every alarm to its runbook page', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: `${RUNBOOKS}/` });
    monitoring.watchWaf(waf);
    expect(monitoring.runbookBaseUrl).toBe(RUNBOOKS);
    expect(alarmAt(synthStack(stack), 'Waf-Waf/BlockedRequestsSpike').alarm_description).toMatch(
      / Runbook: https:\/\/runbooks\.example\.com\/shop\/waf-blocked-requests-spike$/,
    );
  });

  test('without runbookBaseUrl the descriptions still say what to do, with no link', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    new MonitoringStack(stack, 'Monitoring', {}).watchWaf(waf);
    const description = alarmAt(synthStack(stack), 'Waf-Waf/BlockedRequestsSpike').alarm_description;
    expect(description).toMatch(/set that rule to count/);
    expect(description).not.toMatch(/Runbook/);
  });
});

describe('MonitoringStack.watchPostgres (production db.r6g.large, 100 GiB, 2 replicas)', () => {
  const { stack, monitoring, synth } = watchingPostgres();
  const alarms = alarmsOf(synth);

  test('adds CPU, storage, memory and connection alarms per instance, and replica lag on the replicas', () => {
    const perInstance = (key: string) => [`CpuHigh-${key}`, `FreeStorageLow-${key}`, `FreeableMemoryLow-${key}`, `ConnectionsHigh-${key}`];
    expect(Object.keys(alarms).sort()).toEqual(
      [
        ...perInstance('primary'),
        ...perInstance('replica-1'),
        'ReplicaLagHigh-replica-1',
        ...perInstance('replica-2'),
        'ReplicaLagHigh-replica-2',
      ]
        .map((id) => `Postgres-Database/${id}`)
        .sort(),
    );
  });

  test('CpuHigh: average CPUUtilization of the instance above 80% in 3 of 3 five-minute periods', () => {
    expect(alarms['Postgres-Database/CpuHigh-primary']).toMatchObject({
      alarm_name: 'shop-production-database-cpu-high',
      namespace: 'AWS/RDS',
      metric_name: 'CPUUtilization',
      dimensions: { DBInstanceIdentifier: 'shop-production-database' },
      statistic: 'Average',
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 80,
      treat_missing_data: 'missing',
    });
    expect(alarms['Postgres-Database/CpuHigh-replica-2'].dimensions).toEqual({ DBInstanceIdentifier: 'shop-production-database-replica-2' });
  });

  test('FreeableMemoryLow: 10% of the 16 GiB of db.r6g.large', () => {
    expect(alarms['Postgres-Database/FreeableMemoryLow-primary']).toMatchObject({
      metric_name: 'FreeableMemory',
      statistic: 'Average',
      comparison_operator: 'LessThanThreshold',
      threshold: Math.floor(16 * GIB * 0.1),
      treat_missing_data: 'missing',
    });
    expect(Math.floor(16 * GIB * 0.1)).toBe(1717986918);
  });

  test('ConnectionsHigh: 80% of the RDS default max_connections of db.r6g.large, LEAST(16 GiB / 9531392, 5000) = 1802', () => {
    const alarm = alarms['Postgres-Database/ConnectionsHigh-primary'];
    expect(alarm).toMatchObject({
      metric_name: 'DatabaseConnections',
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1442,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
    });
    expect(alarm.alarm_description).toMatch(/1442 or more connections \(80% of max_connections 1802, the RDS default/);
    expect(alarms['Postgres-Database/ConnectionsHigh-replica-1'].threshold).toBe(1442);
  });

  test('FreeStorageLow: with storage autoscaling, 5% of the 100 GiB allocated at creation', () => {
    const alarm = alarms['Postgres-Database/FreeStorageLow-primary'];
    expect(alarm).toMatchObject({
      metric_name: 'FreeStorageSpace',
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 5 * GIB,
      treat_missing_data: 'missing',
    });
    expect(alarm.alarm_description).toMatch(/below 5 GiB \(5% of the 100 GiB allocated at creation\).*Storage autoscaling \(up to 1000 GiB\)/);
  });

  test('ReplicaLagHigh: ReplicaLag above 30 s every minute for 5 minutes, keeping its state without data', () => {
    expect(alarms['Postgres-Database/ReplicaLagHigh-replica-1']).toMatchObject({
      alarm_name: 'shop-production-database-replica-1-replica-lag-high',
      metric_name: 'ReplicaLag',
      dimensions: { DBInstanceIdentifier: 'shop-production-database-replica-1' },
      statistic: 'Average',
      period: 60,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
      threshold: 30,
      treat_missing_data: 'missing',
    });
  });

  test('every alarm notifies the topic when it fires and when it recovers, and says what to do', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([topicRef(synth)]);
      expect(alarm.ok_actions).toEqual([topicRef(synth)]);
      expect(alarm.actions_enabled).toBe(true);
      expect(alarm.alarm_description.length).toBeLessThanOrEqual(1024);
      expect(alarm.alarm_description).toMatch(/^PostgreSQL (primary|read replica) shop-production-database.*Runbook: https:\/\/runbooks\.example\.com\/shop\/rds-/);
      expect(alarm.tags.Name).toBe(alarm.alarm_name);
    }
  });

  test('lists the alarm names and ARNs', () => {
    expect(monitoring.alarmNames).toHaveLength(14);
    expect(monitoring.alarmNames[0]).toBe('shop-production-database-cpu-high');
    expect(monitoring.alarmArns).toHaveLength(14);
    expect(resolveIn(stack, monitoring.alarmArns[0])).toBe(refTo(synth, ALARM, 'Postgres-Database/CpuHigh-primary', 'arn'));
  });
});

describe('MonitoringStack.watchPostgres thresholds', () => {
  test('without storage autoscaling, FreeStorageLow is at 10% of the allocated storage', () => {
    const { synth } = watchingPostgres({ allocatedStorageGiB: 200, maxAllocatedStorageGiB: 200, readReplicas: 0 });
    const alarm = alarmAt(synth, 'Postgres-Database/FreeStorageLow-primary');
    expect(alarm.threshold).toBe(20 * GIB);
    expect(alarm.alarm_description).not.toMatch(/autoscaling/);
  });

  test('derives memory and connections from db.t4g.medium (4 GiB: max_connections 450)', () => {
    const { synth } = watchingPostgres({}, { environment: EnvironmentTier.DEVELOPMENT });
    expect(alarmAt(synth, 'Postgres-Database/FreeableMemoryLow-primary').threshold).toBe(Math.floor(4 * GIB * 0.1));
    expect(alarmAt(synth, 'Postgres-Database/ConnectionsHigh-primary').threshold).toBe(360);
    expect(Object.keys(alarmsOf(synth)).some((path) => path.includes('replica'))).toBe(false);
  });

  test('caps the derived max_connections at 5000 on large classes (db.r6g.4xlarge, 128 GiB)', () => {
    const { synth } = watchingPostgres({ instanceClass: 'db.r6g.4xlarge', readReplicas: 0 });
    expect(alarmAt(synth, 'Postgres-Database/ConnectionsHigh-primary').threshold).toBe(4000);
    expect(alarmAt(synth, 'Postgres-Database/FreeableMemoryLow-primary').threshold).toBe(Math.floor(128 * GIB * 0.1));
  });

  test('a numeric max_connections parameter wins over the derived default', () => {
    const { synth } = watchingPostgres({ parameters: { max_connections: '500' }, readReplicas: 0 });
    const alarm = alarmAt(synth, 'Postgres-Database/ConnectionsHigh-primary');
    expect(alarm.threshold).toBe(400);
    expect(alarm.alarm_description).toMatch(/max_connections 500, the max_connections parameter/);
  });

  test('a max_connections formula leaves out ConnectionsHigh and says why', () => {
    const { stack, synth } = watchingPostgres({ parameters: { max_connections: '{DBInstanceClassMemory/12000000}' }, readReplicas: 0 });
    expect(alarmsOf(synth)['Postgres-Database/ConnectionsHigh-primary']).toBeUndefined();
    expect(warningsOf(stack)).toContainEqual(
      expect.stringMatching(/^\[GW-MON-PG-MAX-CONNECTIONS-UNKNOWN\] PostgresWithBackups test\/Database: the max_connections parameter/),
    );
  });

  test('an instance class missing from the size table gets a 512 MiB memory floor, no ConnectionsHigh and a warning', () => {
    const { stack, synth } = watchingPostgres({ instanceClass: 'db.z1d.large', readReplicas: 0 });
    expect(alarmAt(synth, 'Postgres-Database/FreeableMemoryLow-primary').threshold).toBe(512 * 1024 ** 2);
    expect(alarmsOf(synth)['Postgres-Database/ConnectionsHigh-primary']).toBeUndefined();
    expect(warningsOf(stack)).toContainEqual(
      expect.stringMatching(/^\[GW-MON-PG-UNKNOWN-CLASS\] PostgresWithBackups test\/Database: instance class "db.z1d.large" .* 512 MiB floor/),
    );
  });

  test('the stack-wide postgres thresholds apply, and thresholds given to watchPostgres win over them', () => {
    const { synth } = watchingPostgres(
      { readReplicas: 1 },
      {
        props: { postgres: { cpuPercent: 70, replicaLagSeconds: 120, connectionsPercent: 90 } },
        thresholds: { cpuPercent: 85, freeableMemoryPercent: 20, freeStoragePercent: 15 },
      },
    );
    expect(alarmAt(synth, 'Postgres-Database/CpuHigh-primary').threshold).toBe(85);
    expect(alarmAt(synth, 'Postgres-Database/ReplicaLagHigh-replica-1').threshold).toBe(120);
    expect(alarmAt(synth, 'Postgres-Database/ConnectionsHigh-primary').threshold).toBe(1622);
    expect(alarmAt(synth, 'Postgres-Database/FreeableMemoryLow-primary').threshold).toBe(Math.floor(16 * GIB * 0.2));
    expect(alarmAt(synth, 'Postgres-Database/FreeStorageLow-primary').threshold).toBe(15 * GIB);
  });
});

describe('MonitoringStack.watchRedis (production cache.r7g.large, a primary and 2 replicas)', () => {
  const { stack, synth } = watchingRedis();
  const alarms = alarmsOf(synth);

  test('adds CPU, engine CPU, memory, eviction and replication lag alarms for every member node', () => {
    const perNode = (n: string) => ['CpuHigh', 'EngineCpuHigh', 'MemoryHigh', 'Evictions', 'ReplicationLagHigh'].map((a) => `Redis-Cache/${a}-${n}`);
    expect(Object.keys(alarms).sort()).toEqual([...perNode('001'), ...perNode('002'), ...perNode('003')].sort());
  });

  test('CpuHigh: host CPU above 45%, 90% of one of the 2 vCPUs of cache.r7g.large, for 15 minutes', () => {
    const alarm = alarms['Redis-Cache/CpuHigh-002'];
    expect(alarm).toMatchObject({
      alarm_name: 'shop-production-cache-002-cpu-high',
      namespace: 'AWS/ElastiCache',
      metric_name: 'CPUUtilization',
      dimensions: { CacheClusterId: 'shop-production-cache-002' },
      statistic: 'Average',
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 45,
      treat_missing_data: 'missing',
    });
    expect(alarm.alarm_description).toMatch(/cache\.r7g\.large, 2 vCPUs\): host CPU above 45% .*90% of one vCPU/);
  });

  test('EngineCpuHigh: the Redis thread above 90% for 15 minutes', () => {
    expect(alarms['Redis-Cache/EngineCpuHigh-001']).toMatchObject({
      metric_name: 'EngineCPUUtilization',
      dimensions: { CacheClusterId: 'shop-production-cache-001' },
      statistic: 'Average',
      threshold: 90,
      evaluation_periods: 3,
      treat_missing_data: 'missing',
    });
  });

  test('MemoryHigh: DatabaseMemoryUsagePercentage above 90% for 10 minutes', () => {
    expect(alarms['Redis-Cache/MemoryHigh-003']).toMatchObject({
      metric_name: 'DatabaseMemoryUsagePercentage',
      statistic: 'Maximum',
      period: 300,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      threshold: 90,
      treat_missing_data: 'missing',
    });
  });

  test('Evictions: any evicted key in two consecutive 5-minute periods, a period without data counting as none', () => {
    expect(alarms['Redis-Cache/Evictions-001']).toMatchObject({
      metric_name: 'Evictions',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
    });
  });

  test('ReplicationLagHigh: above 10 s for 5 minutes on every node, OK without data since only replicas report it', () => {
    expect(alarms['Redis-Cache/ReplicationLagHigh-001']).toMatchObject({
      metric_name: 'ReplicationLag',
      dimensions: { CacheClusterId: 'shop-production-cache-001' },
      period: 60,
      evaluation_periods: 5,
      threshold: 10,
      treat_missing_data: 'notBreaching',
    });
  });

  test('every alarm notifies the topic on alarm and on recovery', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({ alarm_actions: [topicRef(synth)], ok_actions: [topicRef(synth)] });
      expect(alarm.alarm_description).toMatch(/Runbook: https:\/\/runbooks\.example\.com\/shop\/elasticache-/);
    }
  });

  test('records no warning for a node type in the size table', () => {
    expect(warningsOf(stack).filter((w) => w.startsWith('[GW-MON-REDIS'))).toEqual([]);
  });
});

describe('MonitoringStack.watchRedis node types and modes', () => {
  test('a 4-vCPU node (cache.r7g.xlarge) alarms on the host CPU at the plain 90%', () => {
    const { synth } = watchingRedis({ nodeType: 'cache.r7g.xlarge' });
    expect(alarmAt(synth, 'Redis-Cache/CpuHigh-001').threshold).toBe(90);
  });

  test('a 1-vCPU node (cache.t2.small) is its own single core: 90%', () => {
    const { synth } = watchingRedis({ nodeType: 'cache.t2.small' }, { environment: EnvironmentTier.STAGING });
    expect(alarmAt(synth, 'Redis-Cache/CpuHigh-001').threshold).toBe(90);
  });

  test('cpuPercent scales the derived host threshold: 80% of one of 2 vCPUs is 40%', () => {
    const { synth } = watchingRedis({}, { props: { redis: { cpuPercent: 80, evictionsPerFiveMinutes: 500 } } });
    expect(alarmAt(synth, 'Redis-Cache/CpuHigh-001').threshold).toBe(40);
    expect(alarmAt(synth, 'Redis-Cache/Evictions-001').threshold).toBe(500);
  });

  test('a node type missing from the size table alarms at the plain percentage and warns', () => {
    const { stack, synth } = watchingRedis({ nodeType: 'cache.x9z.large' });
    expect(alarmAt(synth, 'Redis-Cache/CpuHigh-001').threshold).toBe(90);
    expect(warningsOf(stack)).toContainEqual(
      expect.stringMatching(/^\[GW-MON-REDIS-UNKNOWN-NODE-TYPE\] RedisHA test\/Cache: node type "cache.x9z.large"/),
    );
  });

  test('a single node has no replication lag alarm', () => {
    const { synth } = watchingRedis({}, { environment: EnvironmentTier.DEVELOPMENT });
    expect(Object.keys(alarmsOf(synth)).sort()).toEqual(
      ['CpuHigh-001', 'EngineCpuHigh-001', 'Evictions-001', 'MemoryHigh-001'].map((id) => `Redis-Cache/${id}`),
    );
  });

  test('in cluster mode, watches every node of every shard by its <group>-<shard>-<node> ID', () => {
    const { synth } = watchingRedis({ clusterMode: true, shards: 2, nodesPerShard: 2 });
    const cpu = Object.entries(alarmsOf(synth)).filter(([path]) => path.includes('/CpuHigh-'));
    expect(Object.fromEntries(cpu.map(([path, alarm]) => [path, alarm.dimensions.CacheClusterId]))).toEqual({
      'Redis-Cache/CpuHigh-0001-001': 'shop-production-cache-0001-001',
      'Redis-Cache/CpuHigh-0001-002': 'shop-production-cache-0001-002',
      'Redis-Cache/CpuHigh-0002-001': 'shop-production-cache-0002-001',
      'Redis-Cache/CpuHigh-0002-002': 'shop-production-cache-0002-002',
    });
    expect(alarmAt(synth, 'Redis-Cache/EngineCpuHigh-0002-001').alarm_description).toMatch(/add shards/);
  });
});

describe('MonitoringStack.watchLoadBalancer', () => {
  const { stack, lb, synth } = watchingLoadBalancer();
  const alarms = alarmsOf(synth);
  const lbSuffix = refTo(synth, 'aws_lb', 'Web/Resource', 'arn_suffix');
  const tgSuffix = refTo(synth, 'aws_lb_target_group', 'Web/TargetGroup', 'arn_suffix');
  const sum = (id: string, metricName: string, dimensions: Record<string, string> = { LoadBalancer: lbSuffix }) => ({
    id,
    metric: { namespace: 'AWS/ApplicationELB', metric_name: metricName, dimensions, period: 60, stat: 'Sum' },
    return_data: false,
  });
  const ofTargetGroup = { LoadBalancer: lbSuffix, TargetGroup: tgSuffix };

  test('adds the 5xx rate, response time and target health alarms under the load balancer\'s path', () => {
    expect(Object.keys(alarms).sort()).toEqual(
      ['Elb5xxRateHigh', 'NoHealthyTargets', 'Target5xxRateHigh', 'TargetResponseTimeHigh', 'UnhealthyTargets'].map((id) => `LoadBalancer-Web/${id}`),
    );
  });

  test('Elb5xxRateHigh: the load balancer\'s own 5xx as a share of all requests above 5%, with at least 10 requests a minute', () => {
    const alarm = alarms['LoadBalancer-Web/Elb5xxRateHigh'];
    expect(alarm).toMatchObject({
      alarm_name: 'shop-production-web-elb-5xx-rate-high',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
      treat_missing_data: 'notBreaching',
    });
    expect(alarm.metric_name).toBeUndefined();
    expect(alarm.metric_query).toEqual([
      sum('errors', 'HTTPCode_ELB_5XX_Count'),
      sum('requests', 'RequestCount'),
      {
        id: 'rate',
        expression: 'IF((FILL(requests, 0) + FILL(errors, 0)) >= 10, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)',
        label: 'Load balancer 5xx responses, % of requests',
        return_data: true,
      },
    ]);
  });

  test('Target5xxRateHigh: the application\'s 5xx as a share of requests above 5%, on the default target group', () => {
    const alarm = alarms['LoadBalancer-Web/Target5xxRateHigh'];
    expect(alarm).toMatchObject({ threshold: 5, evaluation_periods: 5, treat_missing_data: 'notBreaching' });
    // Scoped to the target group: other services' traffic on a shared load balancer stays out.
    expect(alarm.metric_query).toEqual([
      sum('errors', 'HTTPCode_Target_5XX_Count', ofTargetGroup),
      sum('requests', 'RequestCount', ofTargetGroup),
      expect.objectContaining({ id: 'rate', expression: 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)', return_data: true }),
    ]);
  });

  test('TargetResponseTimeHigh: p95 above 2 s every minute for 10 minutes, ignoring minutes with too few requests', () => {
    const alarm = alarms['LoadBalancer-Web/TargetResponseTimeHigh'];
    expect(alarm).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'TargetResponseTime',
      dimensions: ofTargetGroup,
      extended_statistic: 'p95',
      period: 60,
      evaluation_periods: 10,
      threshold: 2,
      evaluate_low_sample_count_percentiles: 'ignore',
      treat_missing_data: 'notBreaching',
    });
    expect(alarm.statistic).toBeUndefined();
  });

  test('UnhealthyTargets and NoHealthyTargets watch the target group; no data means no targets, which breaches', () => {
    const dimensions = { LoadBalancer: lbSuffix, TargetGroup: tgSuffix };
    expect(alarms['LoadBalancer-Web/UnhealthyTargets']).toMatchObject({
      metric_name: 'UnHealthyHostCount',
      dimensions,
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluation_periods: 5,
      treat_missing_data: 'notBreaching',
    });
    expect(alarms['LoadBalancer-Web/NoHealthyTargets']).toMatchObject({
      metric_name: 'HealthyHostCount',
      dimensions,
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      evaluation_periods: 3,
      treat_missing_data: 'breaching',
    });
  });

  test('every alarm notifies the topic and links its runbook', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({ alarm_actions: [topicRef(synth)], ok_actions: [topicRef(synth)] });
      expect(alarm.alarm_description).toMatch(/^Load balancer shop-production-web: .* Runbook: https:\/\/runbooks\.example\.com\/shop\/alb-/);
    }
  });

  test('uses the load balancer\'s typed metric attributes', () => {
    expect(resolveIn(stack, lb.loadBalancerArnSuffix)).toBe(lbSuffix);
    expect(resolveIn(stack, lb.targetGroupArnSuffix)).toBe(tgSuffix);
  });

  test('thresholds change the rates, the request floor, the latency and the unhealthy count', () => {
    const custom = alarmsOf(
      watchingLoadBalancer({ serverErrorRatePercent: 2, minimumRequestsPerMinute: 100, p95ResponseTimeSeconds: 0.5, unhealthyTargets: 2 }).synth,
    );
    expect(custom['LoadBalancer-Web/Elb5xxRateHigh'].threshold).toBe(2);
    expect(custom['LoadBalancer-Web/Target5xxRateHigh'].metric_query[2].expression).toMatch(/^IF\(FILL\(requests, 0\) >= 100,/);
    expect(custom['LoadBalancer-Web/TargetResponseTimeHigh'].threshold).toBe(0.5);
    expect(custom['LoadBalancer-Web/UnhealthyTargets'].threshold).toBe(2);
  });
});

describe('MonitoringStack.watchWaf', () => {
  test('BlockedRequestsSpike: more than 1000 blocked requests in 5 minutes over all rules of the regional web ACL', () => {
    const { waf, synth } = watchingWaf();
    expect(alarmAt(synth, 'Waf-Waf/BlockedRequestsSpike')).toMatchObject({
      alarm_name: 'shop-production-waf-blocked-requests-spike',
      namespace: 'AWS/WAFV2',
      metric_name: 'BlockedRequests',
      dimensions: { WebACL: 'shop-production-waf', Region: 'eu-west-1', Rule: 'ALL' },
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 1000,
      treat_missing_data: 'notBreaching',
      alarm_actions: [topicRef(synth)],
      ok_actions: [topicRef(synth)],
      alarm_description: expect.stringMatching(/WAF logs \(log group aws-waf-logs-shop-production-waf\)/),
    });
    expect(waf.webAclMetricName).toBe(onlyResourceOf(synth, 'aws_wafv2_web_acl').visibility_config.metric_name);
  });

  test('a CloudFront web ACL has no Region dimension', () => {
    const { synth } = watchingWaf({ scope: WafScope.CLOUDFRONT }, 'us-east-1');
    expect(alarmAt(synth, 'Waf-Waf/BlockedRequestsSpike').dimensions).toEqual({ WebACL: 'shop-production-waf', Rule: 'ALL' });
  });

  test('warns that a count-only web ACL never blocks, so the alarm cannot fire', () => {
    const { stack } = watchingWaf({ countOnly: true });
    expect(warningsOf(stack)).toContainEqual(expect.stringMatching(/^\[GW-MON-WAF-COUNT-ONLY\] WafRules test\/Waf only counts/));
  });

  test('blockedRequestsPerFiveMinutes sets the threshold', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    new MonitoringStack(stack, 'Monitoring', { waf: { blockedRequestsPerFiveMinutes: 50 } }).watchWaf(waf, { blockedRequestsPerFiveMinutes: 200 });
    expect(alarmAt(synthStack(stack), 'Waf-Waf/BlockedRequestsSpike').threshold).toBe(200);
  });
});

describe('MonitoringStack.watchCertificate', () => {
  const { monitoring, synth } = watchingCertificate();
  const scope = `Certificate-${CERTIFICATE_ID}`;

  test('adds a warning and a critical expiry alarm under Certificate-<certificate id>', () => {
    expect(Object.keys(alarmsOf(synth)).sort()).toEqual([`${scope}/Expiring`, `${scope}/ExpiringCritical`]);
    expect(monitoring.alarmNames).toEqual([
      `shop-production-certificate-${CERTIFICATE_ID}-expiring`,
      `shop-production-certificate-${CERTIFICATE_ID}-expiring-critical`,
    ]);
  });

  test("Expiring: the daily minimum of the certificate's DaysToExpiry below 21 days, no data breaching", () => {
    expect(alarmAt(synth, `${scope}/Expiring`)).toMatchObject({
      alarm_name: `shop-production-certificate-${CERTIFICATE_ID}-expiring`,
      namespace: 'AWS/CertificateManager',
      metric_name: 'DaysToExpiry',
      dimensions: { CertificateArn: CERTIFICATE_ARN },
      statistic: 'Minimum',
      period: 86400,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      comparison_operator: 'LessThanThreshold',
      threshold: 21,
      // ACM stops publishing the metric once the certificate has expired.
      treat_missing_data: 'breaching',
      alarm_actions: [topicRef(synth)],
      ok_actions: [topicRef(synth)],
    });
  });

  test('ExpiringCritical: the same metric below 7 days', () => {
    expect(alarmAt(synth, `${scope}/ExpiringCritical`)).toMatchObject({
      alarm_name: `shop-production-certificate-${CERTIFICATE_ID}-expiring-critical`,
      metric_name: 'DaysToExpiry',
      dimensions: { CertificateArn: CERTIFICATE_ARN },
      statistic: 'Minimum',
      period: 86400,
      comparison_operator: 'LessThanThreshold',
      threshold: 7,
      treat_missing_data: 'breaching',
    });
  });

  test('says what expires, what missing data means and how to renew, with the runbook link', () => {
    for (const id of ['Expiring', 'ExpiringCritical']) {
      const description = alarmAt(synth, `${scope}/${id}`).alarm_description;
      expect(description).toContain(`ACM certificate ${CERTIFICATE_ARN}: expires in less than ${id === 'Expiring' ? 21 : 7} days`);
      expect(description).toMatch(/no DaysToExpiry for it for a day \(expired, deleted, or not this ARN\)/);
      expect(description).toMatch(/reimport its successor under the same ARN/);
      expect(description).toMatch(/Runbook: https:\/\/runbooks\.example\.com\/shop\/acm-certificate-expiring$/);
    }
  });

  test("defaults to the days of the chart's cert-manager CertificateExpiring alerts", () => {
    const chart = new MonitoringChart(ManifestTesting.app(), 'monitoring', {
      appName: 'shop-web',
      team: 'shop',
      environment: EnvironmentTier.PRODUCTION,
      runbookBaseUrl: RUNBOOKS,
      alertmanager: { receivers: [AlertReceiver.slack('shop-slack', { channel: '#shop-alerts', webhookUrlSecretName: 'slack' })] },
    });
    const rules = chart.rulesYaml;
    expect(rules).toMatch(/86400 < 21 and .* >= 7/);
    expect(rules).toMatch(/86400 < 7\n/);
    expect(alarmAt(synth, `${scope}/Expiring`).threshold).toBe(21);
    expect(alarmAt(synth, `${scope}/ExpiringCritical`).threshold).toBe(7);
  });

  test('the stack-wide certificate thresholds apply, and days given to watchCertificate win over them', () => {
    const stackWide = watchingCertificate(undefined, { certificate: { expiryWarningDays: 30, expiryCriticalDays: 10 } });
    expect(alarmAt(stackWide.synth, `${scope}/Expiring`).threshold).toBe(30);
    expect(alarmAt(stackWide.synth, `${scope}/ExpiringCritical`).threshold).toBe(10);
    const overridden = watchingCertificate({ expiryWarningDays: 45 }, { certificate: { expiryWarningDays: 30, expiryCriticalDays: 10 } });
    expect(alarmAt(overridden.synth, `${scope}/Expiring`).threshold).toBe(45);
    expect(alarmAt(overridden.synth, `${scope}/ExpiringCritical`).threshold).toBe(10);
  });

  test('name names the alarms and their scope', () => {
    const { synth: named, monitoring: m } = watchingCertificate({ name: 'shop-public' });
    expect(Object.keys(alarmsOf(named)).sort()).toEqual(['Certificate-shop-public/Expiring', 'Certificate-shop-public/ExpiringCritical']);
    expect(m.alarmNames).toEqual(['shop-production-certificate-shop-public-expiring', 'shop-production-certificate-shop-public-expiring-critical']);
    expect(alarmAt(named, 'Certificate-shop-public/Expiring').dimensions).toEqual({ CertificateArn: CERTIFICATE_ARN });
  });

  test('takes an ARN known only at apply time when it is given a name', () => {
    const stack = testStack();
    const arn = new TerraformVariable(stack, 'certificate_arn', { type: 'string' }).stringValue;
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchCertificate(arn, { name: 'public' });
    expect(alarmAt(synthStack(stack), 'Certificate-public/Expiring')).toMatchObject({
      alarm_name: 'shop-production-certificate-public-expiring',
      dimensions: { CertificateArn: '${var.certificate_arn}' },
    });
  });

  test('watching two certificates adds the alarms of each under its own scope', () => {
    const stack = testStack();
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchCertificate(CERTIFICATE_ARN);
    monitoring.watchCertificate('arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(Object.keys(alarmsOf(synthStack(stack))).sort()).toEqual([
      `Certificate-${CERTIFICATE_ID}/Expiring`,
      `Certificate-${CERTIFICATE_ID}/ExpiringCritical`,
      'Certificate-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/Expiring',
      'Certificate-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/ExpiringCritical',
    ]);
  });

  test('watching the same certificate again with the same options adds nothing; with others it throws', () => {
    const stack = testStack();
    const m = new MonitoringStack(stack, 'Monitoring');
    m.watchCertificate(CERTIFICATE_ARN, { expiryWarningDays: 30 });
    m.watchCertificate(CERTIFICATE_ARN, { expiryWarningDays: 30 });
    expect(m.alarmNames).toHaveLength(2);
    expect(() => m.watchCertificate(CERTIFICATE_ARN, { name: 'public' })).toThrow(
      `MonitoringStack test/Monitoring: watchCertificate: certificate ${CERTIFICATE_ARN} is already watched with options {"expiryWarningDays":30}, ` +
        'got {"name":"public"}; call it once per certificate with the options you want',
    );
    expect(m.alarmNames).toHaveLength(2);
  });

  test('a certificate watched by another MonitoringStack cannot be watched again', () => {
    const stack = testStack();
    new MonitoringStack(stack, 'Monitoring').watchCertificate(CERTIFICATE_ARN);
    expect(() => new MonitoringStack(stack, 'Other').watchCertificate(CERTIFICATE_ARN)).toThrow(
      `MonitoringStack test/Other: watchCertificate: certificate ${CERTIFICATE_ARN} is already watched by MonitoringStack test/Monitoring; ` +
        'watch each certificate from one MonitoringStack (the alarm names would collide)',
    );
  });

  test('two certificates cannot share a name', () => {
    const stack = testStack();
    const m = new MonitoringStack(stack, 'Monitoring');
    m.watchCertificate(CERTIFICATE_ARN, { name: 'public' });
    expect(() => m.watchCertificate('arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', { name: 'public' })).toThrow(
      `MonitoringStack test/Monitoring: watchCertificate: the name "public" already names the alarms of certificate ${CERTIFICATE_ARN}; give each certificate its own name`,
    );
  });
});

describe('MonitoringStack.watchCertificate validation', () => {
  const expectError = (arn: string, options: CertificateWatchOptions | undefined, message: string | RegExp, props: MonitoringStackProps = {}) => {
    const stack = testStack();
    const monitoring = new MonitoringStack(stack, 'Monitoring', props);
    expect(() => monitoring.watchCertificate(arn, options)).toThrow(message);
    // Nothing of the failed watch exists.
    expect(monitoring.node.children.filter((c) => c.node.id.startsWith('Certificate-'))).toEqual([]);
    expect(monitoring.alarmNames).toEqual([]);
  };

  test('throws on an ARN that is not an ACM certificate', () => {
    expectError(
      'arn:aws:iam::123456789012:server-certificate/shop',
      undefined,
      'MonitoringStack test/Monitoring: watchCertificate(certificateArn) must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); ' +
        'IAM server certificates have no DaysToExpiry metric, got "arn:aws:iam::123456789012:server-certificate/shop"',
    );
    expectError('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', undefined, /watchCertificate\(certificateArn\) must be an ACM certificate ARN/);
  });

  test("throws on a certificate of another region or account, whose metric this stack's alarms cannot see", () => {
    const otherRegion = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    expectError(
      otherRegion,
      undefined,
      "MonitoringStack test/Monitoring: watchCertificate(certificateArn) must be an ACM certificate of this stack's account 123456789012 and region eu-west-1: " +
        "ACM publishes DaysToExpiry in the certificate's own account and region, and CloudWatch alarms only see metrics of their own, " +
        `got "${otherRegion}"`,
    );
    expectError('arn:aws:acm:eu-west-1:210987654321:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', undefined, /must be an ACM certificate of this stack's account 123456789012/);
    expectError('arn:aws-cn:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', undefined, /must be an ACM certificate of this stack's account/);
  });

  test('throws on an ARN known only at apply time without a name, and on a name AWS or the construct tree would reject', () => {
    const stack = testStack();
    const arn = new TerraformVariable(stack, 'certificate_arn', { type: 'string' }).stringValue;
    expect(() => new MonitoringStack(stack, 'Monitoring').watchCertificate(arn)).toThrow(
      'MonitoringStack test/Monitoring: watchCertificate(options.name) must be given when certificateArn is a token: it names the alarms, ' +
        'since the certificate ID is unknown at synth time, got nothing',
    );
    expectError(CERTIFICATE_ARN, { name: 'Shop Public' }, /watchCertificate\(options\.name\) must be 1-64 lowercase letters, digits or hyphens, .*, got "Shop Public"/);
    expectError(CERTIFICATE_ARN, { name: 'public-' }, /watchCertificate\(options\.name\) must be 1-64 lowercase letters/);
  });

  test('throws on days outside their range or not whole', () => {
    expectError(CERTIFICATE_ARN, { expiryWarningDays: 1 }, 'MonitoringStack test/Monitoring: watchCertificate options.expiryWarningDays must be an integer from 2 to 365, got 1');
    expectError(CERTIFICATE_ARN, { expiryCriticalDays: 0 }, /watchCertificate options.expiryCriticalDays must be an integer from 1 to 364, got 0/);
    expectError(CERTIFICATE_ARN, { expiryWarningDays: 14.5 }, /watchCertificate options.expiryWarningDays must be an integer from 2 to 365, got 14.5/);
  });

  test('throws when the critical level does not come before the warning level, also against the stack-wide days', () => {
    expectError(
      CERTIFICATE_ARN,
      { expiryWarningDays: 14, expiryCriticalDays: 14 },
      'MonitoringStack test/Monitoring: watchCertificate options.expiryCriticalDays (14) must be fewer than watchCertificate options.expiryWarningDays (14)',
    );
    expectError(CERTIFICATE_ARN, { expiryWarningDays: 5 }, /watchCertificate options.expiryCriticalDays \(7\) must be fewer than watchCertificate options.expiryWarningDays \(5\)/);
    expectError(
      CERTIFICATE_ARN,
      { expiryCriticalDays: 20 },
      /watchCertificate options.expiryCriticalDays \(20\) must be fewer than watchCertificate options.expiryWarningDays \(15\)/,
      { certificate: { expiryWarningDays: 15 } },
    );
  });
});

describe('MonitoringStack wiring', () => {
  test('adding a second database adds its alarms under its own scope', () => {
    const stack = testStack();
    const vpc = network(stack);
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchPostgres(new PostgresWithBackups(stack, 'Orders', { vpc, readReplicas: 0, awsBackup: false }));
    monitoring.watchPostgres(new PostgresWithBackups(stack, 'Reporting', { vpc, readReplicas: 0, awsBackup: false }));
    const names = Object.values(alarmsOf(synthStack(stack))).map((a) => a.alarm_name);
    expect(names).toContain('shop-production-orders-cpu-high');
    expect(names).toContain('shop-production-reporting-cpu-high');
    expect(monitoring.node.tryFindChild('Postgres-Orders')).toBeDefined();
    expect(monitoring.node.tryFindChild('Postgres-Reporting')).toBeDefined();
  });

  test('names the scope after the watched construct\'s path, e.g. an AppCluster\'s load balancer', () => {
    const stack = testStack();
    const cluster = new AppCluster(stack, 'App', {
      vpc: network(stack),
      appName: 'shop',
      certificateArn: CERTIFICATE_ARN,
      adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
    });
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    expect(Object.keys(alarmsOf(synthStack(stack)))).toContain('LoadBalancer-App-LoadBalancer/Target5xxRateHigh');
  });

  test('watching the same construct again with the same thresholds adds nothing', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchWaf(waf, { blockedRequestsPerFiveMinutes: 10 });
    monitoring.watchWaf(waf, { blockedRequestsPerFiveMinutes: 10 });
    expect(resourcesOf(synthStack(stack), ALARM)).toHaveLength(1);
    expect(monitoring.alarmNames).toEqual(['shop-production-waf-blocked-requests-spike']);
  });

  test('watching the same construct again with other thresholds throws', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    monitoring.watchWaf(waf);
    expect(() => monitoring.watchWaf(waf, { blockedRequestsPerFiveMinutes: 10 })).toThrow(
      'MonitoringStack test/Monitoring: watchWaf: WafRules test/Waf is already watched with thresholds {}, got {"blockedRequestsPerFiveMinutes":10}; ' +
        'call it once per construct with the thresholds you want',
    );
  });

  test('a construct watched by another MonitoringStack cannot be watched again', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    new MonitoringStack(stack, 'Monitoring').watchWaf(waf);
    expect(() => new MonitoringStack(stack, 'Other').watchWaf(waf)).toThrow(
      /MonitoringStack test\/Other: watchWaf: WafRules test\/Waf is already watched by MonitoringStack test\/Monitoring; watch each construct from one MonitoringStack/,
    );
  });

  test('throws when the watched construct is in another region', () => {
    const app = Testing.app();
    const here = testStack({}, app);
    const there = new GroundworkStack(app, 'dr', { project: 'shop', environment: EnvironmentTier.PRODUCTION, accountId: '123456789012', region: 'eu-central-1' });
    const waf = new WafRules(there, 'Waf');
    expect(() => new MonitoringStack(here, 'Monitoring').watchWaf(waf)).toThrow(
      /watchWaf: WafRules dr\/Waf is in account 123456789012 region eu-central-1, this MonitoringStack in account 123456789012 region eu-west-1; CloudWatch alarms only see metrics of their own account and region/,
    );
  });

  test('invalid watch thresholds throw before any alarm of that watch exists', () => {
    const stack = testStack();
    const cache = new RedisHA(stack, 'Cache', { vpc: network(stack) });
    const monitoring = new MonitoringStack(stack, 'Monitoring');
    expect(() => monitoring.watchRedis(cache, { memoryPercent: 0 })).toThrow(
      'MonitoringStack test/Monitoring: watchRedis thresholds.memoryPercent must be a percentage from 1 to 100, got 0',
    );
    expect(monitoring.node.tryFindChild('Redis-Cache')).toBeUndefined();
    expect(monitoring.alarmNames).toEqual([]);
    monitoring.watchRedis(cache);
    expect(monitoring.alarmNames).toHaveLength(15);
  });
});

describe('MonitoringStack validation', () => {
  const expectError = (props: MonitoringStackProps, message: string | RegExp) =>
    expect(() => new MonitoringStack(testStack(), 'Monitoring', props)).toThrow(message);

  test('throws on a topic name SNS rejects', () => {
    expectError({ topicName: 'shop alarms' }, 'MonitoringStack test/Monitoring: topicName must be 1-256 letters, digits, hyphens or underscores, got "shop alarms"');
  });

  test('throws on a malformed, repeated or unresolved email address', () => {
    expectError({ alarmEmailAddresses: ['oncall'] }, 'MonitoringStack test/Monitoring: alarmEmailAddresses[0] must be an email address such as "oncall@example.com", got "oncall"');
    const stack = testStack();
    const address = new TerraformVariable(stack, 'oncall_email', { type: 'string' }).stringValue;
    expect(() => new MonitoringStack(stack, 'Monitoring', { alarmEmailAddresses: [address] })).toThrow(
      /alarmEmailAddresses\[0\] must be a literal address \(it names its subscription construct\)/,
    );
    expectError({ alarmEmailAddresses: ['a@example.com', 'A@Example.com'] }, /alarmEmailAddresses must not repeat an address, got \["a@example.com","A@Example.com"\]/);
  });

  test('throws on an HTTPS endpoint that is not https or carries credentials', () => {
    expectError({ alarmHttpsEndpoint: 'http://events.example.com/sns' }, /alarmHttpsEndpoint must be an https:\/\/ URL without user credentials or fragment, .* got "http:\/\/events.example.com\/sns"/);
    expectError({ alarmHttpsEndpoint: 'https://user:secret@events.example.com/sns' }, /alarmHttpsEndpoint must be an https:\/\/ URL without user credentials/);
  });

  test('throws on a runbook URL that is not plain https', () => {
    expectError({ runbookBaseUrl: 'https://runbooks.example.com/shop?page=1' }, /runbookBaseUrl must be a literal https:\/\/ URL without query or fragment, .* got "https:\/\/runbooks.example.com\/shop\?page=1"/);
    expectError({ runbookBaseUrl: 'runbooks.example.com' }, /runbookBaseUrl must be a literal https:\/\/ URL/);
  });

  test('throws on percentages outside 1-100', () => {
    expectError({ postgres: { cpuPercent: 0 } }, 'MonitoringStack test/Monitoring: postgres.cpuPercent must be a percentage from 1 to 100, got 0');
    expectError({ postgres: { freeStoragePercent: 101 } }, /postgres.freeStoragePercent must be a percentage from 1 to 100, got 101/);
    expectError({ postgres: { freeableMemoryPercent: -5 } }, /postgres.freeableMemoryPercent must be a percentage/);
    expectError({ postgres: { connectionsPercent: 150 } }, /postgres.connectionsPercent must be a percentage/);
    expectError({ redis: { cpuPercent: 0.5 } }, /redis.cpuPercent must be a percentage from 1 to 100, got 0.5/);
    expectError({ redis: { engineCpuPercent: 200 } }, /redis.engineCpuPercent must be a percentage/);
    expectError({ loadBalancer: { serverErrorRatePercent: 0 } }, /loadBalancer.serverErrorRatePercent must be a percentage/);
  });

  test('throws on durations that are not positive', () => {
    expectError({ postgres: { replicaLagSeconds: 0 } }, 'MonitoringStack test/Monitoring: postgres.replicaLagSeconds must be a number above 0 and at most 86400, got 0');
    expectError({ redis: { replicationLagSeconds: -1 } }, /redis.replicationLagSeconds must be a number above 0/);
    expectError({ loadBalancer: { p95ResponseTimeSeconds: 0 } }, /loadBalancer.p95ResponseTimeSeconds must be a number above 0 and at most 3600, got 0/);
  });

  test('throws on counts that are not whole numbers of at least their minimum', () => {
    expectError({ redis: { evictionsPerFiveMinutes: -1 } }, 'MonitoringStack test/Monitoring: redis.evictionsPerFiveMinutes must be a whole number of at least 0, got -1');
    expectError({ redis: { evictionsPerFiveMinutes: 2.5 } }, /redis.evictionsPerFiveMinutes must be a whole number/);
    expectError({ loadBalancer: { minimumRequestsPerMinute: 0 } }, /loadBalancer.minimumRequestsPerMinute must be a whole number of at least 1, got 0/);
    expectError({ loadBalancer: { unhealthyTargets: 0 } }, /loadBalancer.unhealthyTargets must be a whole number of at least 1, got 0/);
    expectError({ waf: { blockedRequestsPerFiveMinutes: 0 } }, /waf.blockedRequestsPerFiveMinutes must be a whole number of at least 1, got 0/);
  });

  test('throws on stack-wide certificate days out of range, or a critical level not before the warning level', () => {
    expectError({ certificate: { expiryWarningDays: 400 } }, 'MonitoringStack test/Monitoring: certificate.expiryWarningDays must be an integer from 2 to 365, got 400');
    expectError({ certificate: { expiryWarningDays: 7 } }, 'MonitoringStack test/Monitoring: certificate.expiryCriticalDays (7) must be fewer than certificate.expiryWarningDays (7)');
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const stack = testStack();
    expect(() => new MonitoringStack(stack, 'Bad', { postgres: { cpuPercent: 0 } })).toThrow();
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});

describe('MonitoringStack snapshot', () => {
  test('matches the snapshot of a production stack watching a database, a cache, a load balancer, a web ACL and a certificate', () => {
    const stack = testStack();
    const vpc = network(stack);
    const db = new PostgresWithBackups(stack, 'Database', { vpc, awsBackup: false });
    const cache = new RedisHA(stack, 'Cache', { vpc });
    const lb = new AppLoadBalancer(stack, 'Web', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-0123456789abcdef0' });
    const waf = new WafRules(stack, 'Waf');
    const monitoring = new MonitoringStack(stack, 'Monitoring', {
      alarmEmailAddresses: ['oncall@example.com'],
      runbookBaseUrl: RUNBOOKS,
    });
    monitoring.watchPostgres(db);
    monitoring.watchRedis(cache);
    monitoring.watchLoadBalancer(lb);
    monitoring.watchWaf(waf);
    monitoring.watchCertificate(CERTIFICATE_ARN);
    const synth = synthStack(stack);
    // Keyed by construct path and limited to this construct, so the snapshot guards the frozen
    // child IDs and the watched constructs' own changes do not show up here.
    const own = Object.fromEntries(
      Object.keys(synth.resource)
        .map((type) => [type, Object.fromEntries(Object.entries(resourcesByPath(synth, type)).filter(([path]) => path.startsWith('Monitoring/')))])
        .filter(([, byPath]) => Object.keys(byPath).length > 0),
    );
    expect({ resource: own, output: { monitoring_alarm_topic_arn: synth.output?.monitoring_alarm_topic_arn } }).toMatchSnapshot();
  });
});

describe('MonitoringStack over a whole stack', () => {
  // Planned offline with the other constructs in test/offline/constructs-plan.test.ts.
  test('watches the database, cache, load balancer, WAF and certificate of a production stack with 37 alarms', () => {
    const app = Testing.app();
    const aws = new GroundworkStack(app, 'shop-production-aws', {
      project: 'shop',
      environment: EnvironmentTier.PRODUCTION,
      accountId: '123456789012',
      region: 'eu-west-1',
    });
    const vpc = new VpcStack(aws, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, eksClusterName: 'shop-production' });
    const cluster = new AppCluster(aws, 'App', {
      vpc,
      clusterName: 'shop-production',
      appName: 'shop',
      certificateArn: CERTIFICATE_ARN,
      adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
      nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], minSize: 3, maxSize: 9 }],
    });
    const database = new PostgresWithBackups(aws, 'Database', { vpc, disasterRecoveryRegion: 'eu-central-1' });
    database.allowConnectionsFrom(cluster);
    const cache = new RedisHA(aws, 'Cache', { vpc });
    cache.allowConnectionsFrom(cluster);
    const waf = new WafRules(aws, 'Waf', { pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }] });
    waf.protect(cluster.loadBalancerArn);
    const monitoring = new MonitoringStack(aws, 'Monitoring', {
      alarmEmailAddresses: ['oncall@example.com'],
      alarmHttpsEndpoint: 'https://events.example.com/sns/alarms',
      runbookBaseUrl: RUNBOOKS,
    });
    monitoring.watchPostgres(database);
    monitoring.watchRedis(cache);
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    monitoring.watchWaf(waf);
    monitoring.watchCertificate(CERTIFICATE_ARN);
    expect(monitoring.alarmNames).toHaveLength(37);
  });
});

describe('MonitoringStack.watchPostgres with AWS Backup: failed jobs reach the alarm topic', () => {
  const { stack, synth } = watchingPostgres({ awsBackup: true });
  const rules = resourcesByPath(synth, 'aws_cloudwatch_event_rule');
  const targets = resourcesByPath(synth, 'aws_cloudwatch_event_target');

  test("the database's failed, aborted or expired backup and copy jobs, by its ARN", () => {
    const rule = rules['Monitoring/Postgres-Database/BackupJobsFailed'];
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
      detail: { resourceArn: [refTo(synth, 'aws_db_instance', 'Database/Resource', 'arn')], state: ['FAILED', 'ABORTED', 'EXPIRED'] },
    });
    expect(targets['Monitoring/Postgres-Database/BackupJobsFailedTarget']).toMatchObject({
      rule: refTo(synth, 'aws_cloudwatch_event_rule', 'Monitoring/Postgres-Database/BackupJobsFailed', 'name'),
      arn: topicRef(synth),
    });
  });

  test('failed RDS restore jobs, restore tests included, once per stack ("status", not "state")', () => {
    const stack2 = testStack();
    const vpc = network(stack2);
    const monitoring = new MonitoringStack(stack2, 'Monitoring', { runbookBaseUrl: RUNBOOKS });
    monitoring.watchPostgres(new PostgresWithBackups(stack2, 'A', { vpc }));
    monitoring.watchPostgres(new PostgresWithBackups(stack2, 'B', { vpc }));
    const byPath = resourcesByPath(synthStack(stack2), 'aws_cloudwatch_event_rule');
    expect(Object.keys(byPath).sort()).toEqual(['Monitoring/Postgres-A/BackupJobsFailed', 'Monitoring/Postgres-B/BackupJobsFailed', 'Monitoring/RestoreJobsFailed']);
    expect(JSON.parse(byPath['Monitoring/RestoreJobsFailed'].event_pattern).detail).toEqual({ resourceType: ['RDS'], status: ['FAILED', 'ABORTED'] });
    expect(rules['Monitoring/RestoreJobsFailed']).toBeDefined();
  });

  test('a database without AWS Backup gets no rule', () => {
    const { synth: without } = watchingPostgres({ awsBackup: false });
    expect(resourcesOf(without, 'aws_cloudwatch_event_rule')).toEqual([]);
    expect(stack).toBeDefined();
  });
});
