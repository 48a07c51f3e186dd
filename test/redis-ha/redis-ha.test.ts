import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey, EnvironmentTier, SecurityGroupPeer } from '../../lib/core';
import {
  CacheEngine,
  RedisAuth,
  RedisAuthMode,
  RedisAuthTokenUpdateStrategy,
  RedisHA,
  RedisHAProps,
  RedisMaxMemoryPolicy,
} from '../../lib/redis-ha';
import { VpcStack } from '../../lib/vpc-stack';
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
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/redis-auth-AbCdEf';
const RG = 'aws_elasticache_replication_group';

function setup(environment = EnvironmentTier.PRODUCTION) {
  const stack = testStack({ environment });
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, flowLogs: false });
  return { stack, vpc };
}

function build(props: Partial<RedisHAProps> = {}, environment = EnvironmentTier.PRODUCTION) {
  const { stack, vpc } = setup(environment);
  const redis = new RedisHA(stack, 'Cache', { vpc, ...props });
  return { stack, vpc, redis, synth: synthStack(stack) };
}

function replicationGroup(synth: SynthesizedStack): any {
  return resourceAt(synth, RG, 'Cache/Resource');
}

/** `type.logicalId`, as depends_on lists it. */
function addressOf(synth: SynthesizedStack, type: string, pathSuffix: string): string {
  return refTo(synth, type, pathSuffix, 'id').replace(/^\$\{(.*)\.id\}$/, '$1');
}

function parametersOf(synth: SynthesizedStack): Record<string, string> {
  const group = onlyResourceOf(synth, 'aws_elasticache_parameter_group');
  return Object.fromEntries(group.parameter.map((p: { name: string; value: string }) => [p.name, p.value]));
}

/** Every resource, output and variable the construct adds, keyed by construct path (the VPC left out). */
function cacheOnly(synth: SynthesizedStack): Record<string, unknown> {
  const resources: Record<string, Record<string, any>> = {};
  for (const type of Object.keys(synth.resource)) {
    for (const [path, config] of Object.entries(resourcesByPath(synth, type))) {
      if (path.startsWith('Cache/')) {
        resources[type] = { ...(resources[type] ?? {}), [path]: config };
      }
    }
  }
  return { resource: resources, output: synth.output, variable: (synth as any).variable };
}

describe('RedisHA production defaults', () => {
  const { stack, redis, synth } = build();
  const rg = replicationGroup(synth);

  test('creates a Redis replication group of a primary and 2 replicas spread over the VPC zones', () => {
    expect(rg).toMatchObject({
      replication_group_id: 'shop-production-cache',
      engine: 'redis',
      cluster_mode: 'disabled',
      num_cache_clusters: 3,
      preferred_cache_cluster_azs: ZONES,
    });
    expect(rg.num_node_groups).toBeUndefined();
    expect(rg.replicas_per_node_group).toBeUndefined();
  });

  test('turns on automatic failover and Multi-AZ', () => {
    expect(rg.automatic_failover_enabled).toBe(true);
    expect(rg.multi_az_enabled).toBe(true);
  });

  test('places the nodes in the VPC ElastiCache subnet group (isolated tier) behind its own security group', () => {
    expect(rg.subnet_group_name).toBe(refTo(synth, 'aws_elasticache_subnet_group', 'Network/CacheSubnetGroup', 'name'));
    expect(rg.security_group_ids).toEqual([refTo(synth, 'aws_security_group', 'Cache/SecurityGroup', 'id')]);
  });

  test('runs Redis 7.1 on cache.r7g.large on port 6379 with its own redis7 parameter group', () => {
    expect(rg).toMatchObject({ engine_version: '7.1', node_type: 'cache.r7g.large', port: 6379 });
    const group = onlyResourceOf(synth, 'aws_elasticache_parameter_group');
    expect(group).toMatchObject({ family: 'redis7', name: 'shop-production-cache-redis7' });
    expect(rg.parameter_group_name).toBe(refTo(synth, 'aws_elasticache_parameter_group', 'Cache/ParameterGroup', 'name'));
  });

  test('sets maxmemory-policy allkeys-lru, 25% reserved memory and cluster-enabled no, and replaces the group before destroying it', () => {
    expect(parametersOf(synth)).toEqual({
      'cluster-enabled': 'no',
      'maxmemory-policy': 'allkeys-lru',
      'reserved-memory-percent': '25',
    });
    expect(onlyResourceOf(synth, 'aws_elasticache_parameter_group').lifecycle).toEqual({ create_before_destroy: true });
  });

  test('encrypts at rest with its own rotating customer-managed key and requires TLS in transit', () => {
    expect(rg).toMatchObject({
      at_rest_encryption_enabled: 'true',
      kms_key_id: refTo(synth, 'aws_kms_key', 'Cache/Key/Resource', 'arn'),
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
    });
    expect(resourceAt(synth, 'aws_kms_key', 'Cache/Key/Resource')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
  });

  test('authenticates with an RBAC user group: a disabled default user and an IAM user "app"', () => {
    const users = resourcesByPath(synth, 'aws_elasticache_user');
    expect(users['Cache/DefaultUser']).toMatchObject({
      user_id: 'shop-production-cache-default',
      user_name: 'default',
      engine: 'redis',
      access_string: 'off -@all',
      no_password_required: true,
    });
    expect(users['Cache/User-app']).toMatchObject({
      user_id: 'shop-production-cache-app',
      user_name: 'shop-production-cache-app',
      engine: 'redis',
      access_string: 'on ~* &* +@all',
      authentication_mode: { type: 'iam' },
    });
    const group = onlyResourceOf(synth, 'aws_elasticache_user_group');
    expect(group).toMatchObject({
      user_group_id: 'shop-production-cache-users',
      engine: 'redis',
      user_ids: [
        refTo(synth, 'aws_elasticache_user', 'Cache/DefaultUser', 'user_id'),
        refTo(synth, 'aws_elasticache_user', 'Cache/User-app', 'user_id'),
      ],
    });
    expect(rg.user_group_ids).toEqual([refTo(synth, 'aws_elasticache_user_group', 'Cache/UserGroup', 'user_group_id')]);
    expect(rg.auth_token).toBeUndefined();
  });

  test('puts no secret anywhere in the synthesized JSON', () => {
    const json = JSON.stringify(synth);
    expect(json).not.toMatch(/auth_token|"passwords"/);
    expect((synth as any).variable).toBeUndefined();
  });

  test('keeps daily snapshots for the preset 30 days in windows that do not overlap, and a final snapshot on delete', () => {
    expect(rg).toMatchObject({
      snapshot_retention_limit: 30,
      snapshot_window: '03:00-04:00',
      maintenance_window: 'sun:05:00-sun:06:00',
      final_snapshot_identifier: 'shop-production-cache-final',
    });
  });

  test('delivers slow log and engine log as JSON to KMS-encrypted log groups kept 365 days', () => {
    const slow = resourceAt(synth, 'aws_cloudwatch_log_group', 'Cache/SlowLogGroup/Resource');
    const engine = resourceAt(synth, 'aws_cloudwatch_log_group', 'Cache/EngineLogGroup/Resource');
    expect(slow).toMatchObject({
      name: '/aws/vendedlogs/elasticache/shop-production-cache/slow-log',
      retention_in_days: 365,
      kms_key_id: refTo(synth, 'aws_kms_key', 'Cache/LogKey/Resource', 'arn'),
    });
    expect(engine).toMatchObject({
      name: '/aws/vendedlogs/elasticache/shop-production-cache/engine-log',
      retention_in_days: 365,
      kms_key_id: refTo(synth, 'aws_kms_key', 'Cache/LogKey/Resource', 'arn'),
    });
    expect(rg.log_delivery_configuration).toEqual([
      {
        log_type: 'slow-log',
        destination_type: 'cloudwatch-logs',
        destination: '/aws/vendedlogs/elasticache/shop-production-cache/slow-log',
        log_format: 'json',
      },
      {
        log_type: 'engine-log',
        destination_type: 'cloudwatch-logs',
        destination: '/aws/vendedlogs/elasticache/shop-production-cache/engine-log',
        log_format: 'json',
      },
    ]);
    expect(rg.depends_on).toEqual([
      addressOf(synth, 'aws_cloudwatch_log_group', 'Cache/SlowLogGroup/Resource'),
      addressOf(synth, 'aws_cloudwatch_log_group', 'Cache/EngineLogGroup/Resource'),
    ]);
  });

  test('gives the security group a description and no rules, not even egress', () => {
    const sg = resourceAt(synth, 'aws_security_group', 'Cache/SecurityGroup');
    expect(sg).toMatchObject({
      name: 'shop-production-cache-redis',
      description: 'ElastiCache Redis shop-production-cache: Redis port only from allowed peers, no egress',
      vpc_id: refTo(synth, 'aws_vpc', 'Network/Resource', 'id'),
    });
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resourcesOf(synth, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
    expect(resourcesOf(synth, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  test('protects the replication group and its key with prevent_destroy in production', () => {
    expect(rg.lifecycle).toEqual({ prevent_destroy: true });
    expect(resourceAt(synth, 'aws_kms_key', 'Cache/Key/Resource').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('applies changes in the maintenance window and minor upgrades automatically', () => {
    expect(rg.apply_immediately).toBe(false);
    expect(rg.auto_minor_version_upgrade).toBe('true');
    expect(rg.notification_topic_arn).toBeUndefined();
  });

  test('tags the replication group with its name and the common tags', () => {
    expect(rg.tags).toMatchObject({ Name: 'shop-production-cache', Project: 'shop', Environment: 'production' });
  });

  test('exposes typed attributes for wiring', () => {
    expect(resolveIn(stack, redis.primaryEndpoint)).toBe(refTo(synth, RG, 'Cache/Resource', 'primary_endpoint_address'));
    expect(resolveIn(stack, redis.readerEndpoint)).toBe(refTo(synth, RG, 'Cache/Resource', 'reader_endpoint_address'));
    expect(resolveIn(stack, redis.replicationGroupArn)).toBe(refTo(synth, RG, 'Cache/Resource', 'arn'));
    expect(resolveIn(stack, redis.securityGroupId)).toBe(refTo(synth, 'aws_security_group', 'Cache/SecurityGroup', 'id'));
    expect(resolveIn(stack, redis.userGroupId)).toBe(
      refTo(synth, 'aws_elasticache_user_group', 'Cache/UserGroup', 'user_group_id'),
    );
    // Literal, so the cluster bootstrap stack needs no cross-stack output for it.
    expect(redis.iamUserIds).toEqual({ app: 'shop-production-cache-app' });
    expect(resourceAt(synth, 'aws_elasticache_user', 'Cache/User-app').user_id).toBe('shop-production-cache-app');
    expect(redis).toMatchObject({
      replicationGroupId: 'shop-production-cache',
      port: 6379,
      engineVersion: '7.1',
      nodeType: 'cache.r7g.large',
      nodesPerShard: 3,
      shards: 1,
      clusterMode: false,
      automaticFailover: true,
      multiAz: true,
      snapshotRetentionDays: 30,
      authMode: RedisAuthMode.IAM_USER_GROUP,
      slowLogGroupName: '/aws/vendedlogs/elasticache/shop-production-cache/slow-log',
      engineLogGroupName: '/aws/vendedlogs/elasticache/shop-production-cache/engine-log',
    });
    expect(redis.authSecretArn).toBeUndefined();
    expect(redis.authTokenVariableName).toBeUndefined();
  });

  test('exposes the member cache cluster IDs ElastiCache gives the nodes (the CacheClusterId metric dimension)', () => {
    expect(redis.memberClusterIds).toEqual(['shop-production-cache-001', 'shop-production-cache-002', 'shop-production-cache-003']);
    expect(redis.memberClusterIds).toHaveLength(rg.num_cache_clusters);
  });

  test('outputs endpoints, port, security group and user group under stable names, none of them sensitive', () => {
    const outputs = synth.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual([
      'cache_port',
      'cache_primary_endpoint',
      'cache_reader_endpoint',
      'cache_security_group_id',
      'cache_user_group_id',
    ]);
    expect(outputs.cache_primary_endpoint).toMatchObject({
      value: refTo(synth, RG, 'Cache/Resource', 'primary_endpoint_address'),
      description: expect.stringMatching(/Primary \(read\/write\) endpoint/),
    });
    expect(outputs.cache_port.value).toBe(6379);
    for (const output of Object.values(outputs)) {
      expect(output.sensitive).toBeUndefined();
      expect(output.description).toEqual(expect.any(String));
    }
  });

  test('records no warnings', () => {
    expect(warningsOf(redis)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(cacheOnly(synth)).toMatchSnapshot();
  });
});

describe('RedisHA on Valkey', () => {
  test('the default stays Redis OSS 7.1', () => {
    const { synth, redis } = build();
    expect(replicationGroup(synth)).toMatchObject({ engine: 'redis', engine_version: '7.1' });
    expect(redis.engine).toBe(CacheEngine.REDIS);
  });

  test('Valkey 8.0 by default: its parameter family; the IAM users and user group stay Redis OSS ones, which Valkey accepts', () => {
    const { synth, redis } = build({ engine: CacheEngine.VALKEY });
    expect(replicationGroup(synth)).toMatchObject({ engine: 'valkey', engine_version: '8.0' });
    expect(redis.engineVersion).toBe('8.0');
    const group = onlyResourceOf(synth, 'aws_elasticache_parameter_group');
    expect(group).toMatchObject({ family: 'valkey8', name: expect.stringMatching(/-valkey8$/) });
    // The same parameters as on Redis OSS: Valkey reads the same names.
    expect(parametersOf(synth)).toEqual(parametersOf(build().synth));
    // A Valkey user group admits no passwordless user, and every group needs the disabled "default" one.
    for (const user of resourcesOf(synth, 'aws_elasticache_user')) expect(user.engine).toBe('redis');
    expect(onlyResourceOf(synth, 'aws_elasticache_user_group').engine).toBe('redis');
    expect(resourcesOf(synth, 'aws_elasticache_user').find((u) => u.user_name === 'default')).toMatchObject({ no_password_required: true });
    // Slow and engine logs go where they go on Redis OSS.
    expect(replicationGroup(synth).log_delivery_configuration.map((l: any) => l.log_type).sort()).toEqual(['engine-log', 'slow-log']);
  });

  test('Valkey 7.2 takes the valkey7 family; an AUTH token works as on Redis OSS', () => {
    const { synth } = build({ engine: CacheEngine.VALKEY, engineVersion: '7.2', auth: RedisAuth.authTokenFromSecret(SECRET_ARN) });
    expect(onlyResourceOf(synth, 'aws_elasticache_parameter_group').family).toBe('valkey7');
    expect(replicationGroup(synth)).toMatchObject({ engine: 'valkey', engine_version: '7.2', transit_encryption_enabled: true });
    expect(replicationGroup(synth).auth_token).toBeDefined();
  });
});

describe('RedisHA presets', () => {
  test('development gets a single cache.t4g.medium node without failover, 7-day snapshots and no prevent_destroy', () => {
    const { redis, synth } = build({}, EnvironmentTier.DEVELOPMENT);
    expect(replicationGroup(synth)).toMatchObject({
      num_cache_clusters: 1,
      preferred_cache_cluster_azs: ['eu-west-1a'],
      automatic_failover_enabled: false,
      multi_az_enabled: false,
      node_type: 'cache.t4g.medium',
      snapshot_retention_limit: 7,
      lifecycle: { prevent_destroy: false },
      replication_group_id: 'shop-development-cache',
    });
    expect(redis.multiAz).toBe(false);
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Cache/SlowLogGroup/Resource').retention_in_days).toBe(30);
    expect(warningsOf(redis)).toEqual([]);
  });

  test('staging gets 2 nodes with failover and Multi-AZ and 14-day snapshots', () => {
    const { synth } = build({}, EnvironmentTier.STAGING);
    expect(replicationGroup(synth)).toMatchObject({
      num_cache_clusters: 2,
      preferred_cache_cluster_azs: ['eu-west-1a', 'eu-west-1b'],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      snapshot_retention_limit: 14,
    });
  });
});

describe('RedisHA options', () => {
  test('nodesPerShard beyond the number of zones wraps around the zones', () => {
    const { synth } = build({ nodesPerShard: 5 });
    expect(replicationGroup(synth)).toMatchObject({
      num_cache_clusters: 5,
      preferred_cache_cluster_azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a', 'eu-west-1b'],
    });
  });

  test('cluster mode creates shards of a primary and replicas, with cluster-enabled yes and the configuration endpoint', () => {
    const { stack, redis, synth } = build({ clusterMode: true, shards: 3, nodesPerShard: 3 });
    const rg = replicationGroup(synth);
    expect(rg).toMatchObject({
      cluster_mode: 'enabled',
      num_node_groups: 3,
      replicas_per_node_group: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
    expect(rg.num_cache_clusters).toBeUndefined();
    expect(rg.preferred_cache_cluster_azs).toBeUndefined();
    expect(parametersOf(synth)['cluster-enabled']).toBe('yes');
    const configurationEndpoint = refTo(synth, RG, 'Cache/Resource', 'configuration_endpoint_address');
    expect(resolveIn(stack, redis.primaryEndpoint)).toBe(configurationEndpoint);
    expect(resolveIn(stack, redis.readerEndpoint)).toBe(configurationEndpoint);
    expect(synth.output?.cache_primary_endpoint.description).toMatch(/Configuration endpoint/);
    expect(redis.shards).toBe(3);
  });

  test('in cluster mode the member cluster IDs name the shard and the node: <group>-<shard>-<node>', () => {
    const { redis } = build({ clusterMode: true, shards: 2, nodesPerShard: 2, replicationGroupId: 'shop-sessions' });
    expect(redis.memberClusterIds).toEqual([
      'shop-sessions-0001-001',
      'shop-sessions-0001-002',
      'shop-sessions-0002-001',
      'shop-sessions-0002-002',
    ]);
  });

  test('cluster mode defaults to one shard, and to 2 nodes per shard in development', () => {
    const { synth } = build({ clusterMode: true }, EnvironmentTier.DEVELOPMENT);
    expect(replicationGroup(synth)).toMatchObject({ num_node_groups: 1, replicas_per_node_group: 1, automatic_failover_enabled: true });
  });

  test('automaticFailover: false in production turns off Multi-AZ too and warns', () => {
    const { redis, synth } = build({ automaticFailover: false });
    expect(replicationGroup(synth)).toMatchObject({ automatic_failover_enabled: false, multi_az_enabled: false });
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-NO-FAILOVER]')]);
  });

  test('a single node in production has no failover and warns', () => {
    const { redis, synth } = build({ nodesPerShard: 1 });
    expect(replicationGroup(synth)).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false });
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-NO-FAILOVER]')]);
  });

  test('multiAz: false keeps failover and warns that a zone outage can take the group down', () => {
    const { redis, synth } = build({ multiAz: false });
    expect(replicationGroup(synth)).toMatchObject({ automatic_failover_enabled: true, multi_az_enabled: false });
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-SINGLE-AZ]')]);
  });

  test('multiAz can be turned on in development together with failover', () => {
    const { synth } = build({ nodesPerShard: 2, multiAz: true }, EnvironmentTier.DEVELOPMENT);
    expect(replicationGroup(synth)).toMatchObject({ automatic_failover_enabled: true, multi_az_enabled: true });
  });

  test('an AUTH token from Secrets Manager comes in through a sensitive, validated variable, never as a value', () => {
    const { redis, synth } = build({ auth: RedisAuth.authTokenFromSecret(SECRET_ARN) });
    const rg = replicationGroup(synth);
    expect(rg.auth_token).toBe('${var.cache_auth_token}');
    expect(rg.auth_token_update_strategy).toBe('ROTATE');
    expect(rg.user_group_ids).toBeUndefined();
    expect(rg.transit_encryption_mode).toBe('required');
    expect(resourcesOf(synth, 'aws_elasticache_user')).toEqual([]);
    expect(resourcesOf(synth, 'aws_elasticache_user_group')).toEqual([]);
    const variable = (synth as any).variable.cache_auth_token;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(variable.default).toBeUndefined();
    expect(variable.description).toMatch(/TF_VAR_cache_auth_token=\$\(aws secretsmanager get-secret-value/);
    expect(variable.validation).toEqual([
      {
        condition: '${can(regex("^[A-Za-z0-9!&#$^<>-]{16,128}$", var.cache_auth_token))}',
        error_message: expect.stringMatching(/16-128 characters/),
      },
    ]);
    expect(synth.output?.cache_auth_secret_arn).toMatchObject({ value: SECRET_ARN });
    expect(synth.output?.cache_user_group_id).toBeUndefined();
    expect(redis).toMatchObject({
      authMode: RedisAuthMode.AUTH_TOKEN,
      authSecretArn: SECRET_ARN,
      authTokenVariableName: 'cache_auth_token',
    });
    expect(redis.userGroupId).toBeUndefined();
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-TOKEN-IN-STATE]')]);
  });

  test('the AUTH token update strategy SET finishes a rotation', () => {
    const { synth } = build({
      auth: RedisAuth.authTokenFromSecret(SECRET_ARN, { updateStrategy: RedisAuthTokenUpdateStrategy.SET }),
    });
    expect(replicationGroup(synth).auth_token_update_strategy).toBe('SET');
  });

  test('IAM users get IDs from the replication group ID and their own access strings', () => {
    const { redis, synth } = build({
      auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'reports', accessString: 'on ~reports:* -@all +@read' }]),
    });
    const users = resourcesByPath(synth, 'aws_elasticache_user');
    expect(Object.keys(users).sort()).toEqual(['Cache/DefaultUser', 'Cache/User-reports', 'Cache/User-web']);
    expect(users['Cache/User-reports']).toMatchObject({
      user_id: 'shop-production-cache-reports',
      user_name: 'shop-production-cache-reports',
      access_string: 'on ~reports:* -@all +@read',
    });
    expect(onlyResourceOf(synth, 'aws_elasticache_user_group').user_ids).toHaveLength(3);
    expect(Object.keys(redis.iamUserIds ?? {})).toEqual(['web', 'reports']);
  });

  test('connectPolicyJson allows elasticache:Connect on the replication group and that user only', () => {
    const { stack, redis, synth } = build({ auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'worker' }]) });
    const policy = policyOf(resolveIn(stack, redis.connectPolicyJson('worker')));
    expect(policy.Statement).toEqual([
      {
        Sid: 'ConnectToRedisWithIam',
        Effect: 'Allow',
        Action: 'elasticache:Connect',
        Resource: [refTo(synth, RG, 'Cache/Resource', 'arn'), refTo(synth, 'aws_elasticache_user', 'Cache/User-worker', 'arn')],
      },
    ]);
  });

  test('allowConnectionsFrom adds one described ingress rule from the peer on the Redis port', () => {
    const { stack, vpc } = setup();
    const redis = new RedisHA(stack, 'Cache', { vpc });
    redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion host'));
    const synth = synthStack(stack);
    expect(resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule')).toEqual({
      'Cache/IngressFrom-sg-0123456789abcdef0': expect.objectContaining({
        security_group_id: refTo(synth, 'aws_security_group', 'Cache/SecurityGroup', 'id'),
        referenced_security_group_id: 'sg-0123456789abcdef0',
        ip_protocol: 'tcp',
        from_port: 6379,
        to_port: 6379,
        description: 'Redis from bastion host',
      }),
    });
  });

  test('allowConnectionsFrom names a rule for a token peer after its description, and ignores a repeated peer', () => {
    const { stack, vpc } = setup();
    const apps = new SecurityGroup(stack, 'Apps', { name: 'apps', description: 'apps', vpcId: vpc.vpcId });
    const redis = new RedisHA(stack, 'Cache', { vpc, port: 6380 });
    const peer = SecurityGroupPeer.fromSecurityGroupId(apps.id, 'EKS nodes of shop-production');
    redis.allowConnectionsFrom(peer);
    redis.allowConnectionsFrom(peer);
    redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0aaaaaaaaaaaaaaaa', 'bastion'));
    const synth = synthStack(stack);
    const rules = resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule');
    expect(Object.keys(rules).sort()).toEqual(['Cache/IngressFrom-eks-nodes-of-shop-production', 'Cache/IngressFrom-sg-0aaaaaaaaaaaaaaaa']);
    expect(rules['Cache/IngressFrom-eks-nodes-of-shop-production']).toMatchObject({
      referenced_security_group_id: refTo(synth, 'aws_security_group', 'Apps', 'id'),
      from_port: 6380,
      to_port: 6380,
      description: 'Redis from EKS nodes of shop-production',
    });
    expect(replicationGroup(synth).port).toBe(6380);
  });

  test('encryptionKey replaces the key the construct would create', () => {
    const { stack, vpc } = setup();
    const key = new EncryptionKey(stack, 'SharedKey', { description: 'shared data key' });
    new RedisHA(stack, 'Cache', { vpc, encryptionKey: key });
    const synth = synthStack(stack);
    expect(Object.keys(resourcesByPath(synth, 'aws_kms_key')).filter((p) => p.startsWith('Cache/Key'))).toEqual([]);
    expect(replicationGroup(synth).kms_key_id).toBe(refTo(synth, 'aws_kms_key', 'SharedKey/Resource', 'arn'));
  });

  test('maxMemoryPolicy and extra parameters go into the parameter group', () => {
    const { synth } = build({
      maxMemoryPolicy: RedisMaxMemoryPolicy.VOLATILE_LRU,
      parameters: { 'notify-keyspace-events': 'Ex', 'reserved-memory-percent': '30' },
    });
    expect(parametersOf(synth)).toEqual({
      'cluster-enabled': 'no',
      'maxmemory-policy': 'volatile-lru',
      'notify-keyspace-events': 'Ex',
      'reserved-memory-percent': '30',
    });
  });

  test('snapshotRetentionDays 0 turns automatic snapshots off, drops the snapshot window and warns', () => {
    const { redis, synth } = build({ snapshotRetentionDays: 0, snapshotWindow: '05:00-06:00' });
    const rg = replicationGroup(synth);
    expect(rg.snapshot_retention_limit).toBe(0);
    expect(rg.snapshot_window).toBeUndefined();
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-NO-SNAPSHOTS]')]);
  });

  test('finalSnapshot: false drops the final snapshot and warns', () => {
    const { redis, synth } = build({ finalSnapshot: false });
    expect(replicationGroup(synth).final_snapshot_identifier).toBeUndefined();
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-NO-FINAL-SNAPSHOT]')]);
  });

  test('snapshot and maintenance windows, retention and log retention are applied; the maintenance window is lowercased', () => {
    const { synth } = build({
      snapshotRetentionDays: 35,
      snapshotWindow: '22:30-23:30',
      maintenanceWindow: 'Wed:01:00-Wed:02:30',
      logRetentionDays: 90,
    });
    expect(replicationGroup(synth)).toMatchObject({
      snapshot_retention_limit: 35,
      snapshot_window: '22:30-23:30',
      maintenance_window: 'wed:01:00-wed:02:30',
    });
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Cache/EngineLogGroup/Resource').retention_in_days).toBe(90);
  });

  test('replicationGroupId names the replication group and everything derived from it', () => {
    const { synth } = build({ replicationGroupId: 'shop-sessions' });
    expect(replicationGroup(synth)).toMatchObject({
      replication_group_id: 'shop-sessions',
      final_snapshot_identifier: 'shop-sessions-final',
    });
    expect(onlyResourceOf(synth, 'aws_elasticache_parameter_group').name).toBe('shop-sessions-redis7');
    expect(onlyResourceOf(synth, 'aws_elasticache_user_group').user_group_id).toBe('shop-sessions-users');
    expect(resourceAt(synth, 'aws_security_group', 'Cache/SecurityGroup').name).toBe('shop-sessions-redis');
  });

  test('a deep construct path gives a default ID shortened to 40 characters with a hash, and output names from the path', () => {
    const { stack, vpc } = setup();
    const scope = new Construct(new Construct(stack, 'CheckoutPlatform'), 'SessionStorage');
    const redis = new RedisHA(scope, 'PrimaryCache', { vpc });
    expect(redis.replicationGroupId).toHaveLength(40);
    expect(redis.replicationGroupId).toMatch(/^shop-production-checkoutplatfor[a-z-]*-[0-9a-f]{8}$/);
    const synth = synthStack(stack);
    expect(Object.keys(synth.output ?? {})).toContain('checkout_platform_session_storage_primary_cache_primary_endpoint');
  });

  test('engineVersion, nodeType, notificationTopicArn, applyImmediately and autoMinorVersionUpgrade are applied', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:shop-alerts';
    const { synth } = build({
      engineVersion: '7.0',
      nodeType: 'cache.m7g.xlarge',
      notificationTopicArn: topic,
      applyImmediately: true,
      autoMinorVersionUpgrade: false,
    });
    expect(replicationGroup(synth)).toMatchObject({
      engine_version: '7.0',
      node_type: 'cache.m7g.xlarge',
      notification_topic_arn: topic,
      apply_immediately: true,
      auto_minor_version_upgrade: 'false',
    });
    expect(onlyResourceOf(synth, 'aws_elasticache_parameter_group').family).toBe('redis7');
  });

  test('a burstable node type in production warns', () => {
    const { redis } = build({ nodeType: 'cache.t4g.medium' });
    expect(warningsOf(redis)).toEqual([expect.stringContaining('[GW-REDIS-BURSTABLE-NODE]')]);
  });

  test('preventDestroy: false overrides the preset on the replication group and its key', () => {
    const { synth } = build({ preventDestroy: false });
    expect(replicationGroup(synth).lifecycle).toEqual({ prevent_destroy: false });
    expect(resourceAt(synth, 'aws_kms_key', 'Cache/Key/Resource').lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('RedisHA validation', () => {
  const expectError = (props: Partial<RedisHAProps>, message: string | RegExp, environment?: EnvironmentTier) =>
    expect(() => build(props, environment)).toThrow(message);

  test('throws on a replicationGroupId that would name its security group "sg-..."', () => {
    expectError(
      { replicationGroupId: 'sg-sessions' },
      'RedisHA test/Cache: replicationGroupId must not start with "sg-": it names the security group "sg-sessions-redis", and EC2 reserves that prefix for security group IDs, got "sg-sessions"',
    );
  });

  test('throws when automatic failover is asked for with fewer than 2 nodes', () => {
    expectError(
      { nodesPerShard: 1, automaticFailover: true },
      'RedisHA test/Cache: automaticFailover needs at least 2 nodes per shard (a primary and a replica to promote), got nodesPerShard 1',
    );
  });

  test('throws when cluster mode has a single node per shard', () => {
    expectError(
      { clusterMode: true, nodesPerShard: 1 },
      /automaticFailover \(always on in cluster mode\) needs at least 2 nodes per shard .* got nodesPerShard 1/,
    );
  });

  test('throws when cluster mode is asked for without automatic failover', () => {
    expectError({ clusterMode: true, automaticFailover: false }, /clusterMode needs automaticFailover/);
  });

  test.each([7, 0, 2.5])('throws on nodesPerShard %p (1-6 nodes per shard)', (nodesPerShard) => {
    expectError(
      { nodesPerShard },
      `RedisHA test/Cache: nodesPerShard must be an integer from 1 to 6 (a primary and up to 5 replicas per shard), got ${nodesPerShard}`,
    );
  });

  test('throws on Multi-AZ without automatic failover', () => {
    expectError(
      { automaticFailover: false, multiAz: true },
      /RedisHA test\/Cache: multiAz needs automaticFailover: ElastiCache moves the primary to another zone only by failing over/,
    );
  });

  test('throws on shards without cluster mode', () => {
    expectError({ shards: 2 }, 'RedisHA test/Cache: shards 2 needs clusterMode: true; without cluster mode a replication group has exactly one shard');
  });

  test.each([0, 501])('throws on shards %p', (shards) => {
    expectError({ clusterMode: true, shards }, `shards must be an integer from 1 to 500, got ${shards}`);
  });

  test('throws when shards x nodes per shard exceeds 500 nodes', () => {
    expectError({ clusterMode: true, shards: 100, nodesPerShard: 6 }, /shards x nodesPerShard must be at most 500 nodes, got 100 x 6 = 600/);
  });

  test.each([
    ['a replication group id of 41 characters', 'a'.repeat(41)],
    ['not starting with a letter', '1cache'],
    ['with two hyphens in a row', 'shop--cache'],
    ['with a trailing hyphen', 'shop-cache-'],
    ['with upper case letters', 'Shop-Cache'],
    ['empty', ''],
  ])('throws on %s', (_, replicationGroupId) => {
    expectError(
      { replicationGroupId },
      `RedisHA test/Cache: replicationGroupId must be 1-40 lowercase letters, digits or hyphens, start with a letter, and contain no "--" or trailing "-", got ${JSON.stringify(replicationGroupId)}`,
    );
  });

  test('accepts a replication group id of exactly 40 characters', () => {
    expect(build({ replicationGroupId: `a${'b'.repeat(39)}` }).redis.replicationGroupId).toHaveLength(40);
  });

  test.each([-1, 36, 1.5])('throws on snapshotRetentionDays %p', (snapshotRetentionDays) => {
    expectError(
      { snapshotRetentionDays },
      `RedisHA test/Cache: snapshotRetentionDays must be an integer from 0 to 35 (ElastiCache keeps automatic snapshots at most 35 days; 0 turns them off), got ${snapshotRetentionDays}`,
    );
  });

  test('throws on a malformed snapshot or maintenance window', () => {
    expectError({ snapshotWindow: '3:00-04:00' }, /snapshotWindow must be a daily UTC window "hh24:mi-hh24:mi", e.g. "03:00-04:00", got "3:00-04:00"/);
    expectError({ maintenanceWindow: 'sun:05:00-06:00' }, /maintenanceWindow must be a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi"/);
  });

  test('throws on windows shorter than the 60 minutes ElastiCache requires', () => {
    expectError({ snapshotWindow: '03:00-03:45' }, 'RedisHA test/Cache: snapshotWindow must span at least 60 minutes, got "03:00-03:45"');
    expectError({ maintenanceWindow: 'sun:05:00-sun:05:30' }, /maintenanceWindow must span at least 60 minutes, got "sun:05:00-sun:05:30"/);
  });

  test('throws when the snapshot window overlaps the maintenance window', () => {
    expectError(
      { snapshotWindow: '04:30-05:30' },
      'RedisHA test/Cache: snapshotWindow "04:30-05:30" overlaps maintenanceWindow "sun:05:00-sun:06:00"; the service rejects overlapping windows, move one of them',
    );
    expectError({ snapshotWindow: '23:30-00:30', maintenanceWindow: 'mon:00:00-mon:01:00' }, /overlaps maintenanceWindow/);
  });

  test.each(['7.1.0', '7.x', '6.2', '8.0', 'latest'])('throws on engineVersion %p', (engineVersion) => {
    expectError(
      { engineVersion },
      `RedisHA test/Cache: engineVersion must be one of 7.0, 7.1 for engine redis (as <major>.<minor>, the form the AWS provider accepts), got "${engineVersion}"`,
    );
  });

  test.each(['7.1', '6.2', '9.0', '8'])('throws on Valkey engineVersion %p, a version Valkey does not have', (engineVersion) => {
    expectError({ engine: CacheEngine.VALKEY, engineVersion }, /engineVersion must be one of 7\.2, 8\.0, 8\.1 for engine valkey/);
  });

  test('throws on an engine ElastiCache replication groups do not run here', () => {
    expectError({ engine: 'memcached' as CacheEngine }, 'RedisHA test/Cache: engine must be one of redis, valkey, got "memcached"');
  });

  test('throws on a malformed node type', () => {
    expectError({ nodeType: 'r7g.large' }, 'RedisHA test/Cache: nodeType must be an ElastiCache node type such as cache.r7g.large, got "r7g.large"');
  });

  test('throws on a port outside 1-65535', () => {
    expectError({ port: 70000 }, 'RedisHA test/Cache: port must be an integer from 1 to 65535, got 70000');
  });

  test('throws on a log retention CloudWatch Logs does not accept', () => {
    expectError({ logRetentionDays: 42 }, /logRetentionDays must be one of 1, 3, 5, 7, 14, 30, .*, got 42/);
  });

  test('throws on a notification topic that is not an SNS topic ARN', () => {
    expectError({ notificationTopicArn: 'shop-alerts' }, /notificationTopicArn must be an SNS topic ARN .*, got "shop-alerts"/);
  });

  test('throws on parameters that are malformed or have their own props', () => {
    expectError({ parameters: { 'Maxmemory Policy': 'x' } }, /parameters must have ElastiCache parameter names such as "notify-keyspace-events", got "Maxmemory Policy"/);
    expectError({ parameters: { 'maxmemory-policy': 'noeviction' } }, /parameters must not set "maxmemory-policy"; use the maxMemoryPolicy prop/);
    expectError({ parameters: { 'cluster-enabled': 'yes' } }, /parameters must not set "cluster-enabled"; it follows the clusterMode prop/);
    expectError({ parameters: { timeout: '' } }, /parameters.timeout must be a non-empty string, got ""/);
  });

  test('throws on an AUTH token secret that is not a Secrets Manager ARN', () => {
    expectError(
      { auth: RedisAuth.authTokenFromSecret('shop/redis-auth') },
      'RedisHA test/Cache: auth.secretArn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "shop/redis-auth"',
    );
  });

  test('throws on IAM users that ElastiCache or IAM authentication would reject', () => {
    expectError({ auth: RedisAuth.iamUserGroup([]) }, /auth\.iamUsers must list at least one IAM user/);
    expectError({ auth: RedisAuth.iamUserGroup([{ name: 'Web' }]) }, /auth\.iamUsers\[0\].name must be lowercase letters, digits or hyphens.*, got "Web"/);
    expectError({ auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'default' }]) }, /auth\.iamUsers\[1\].name must .* not be "default", got "default"/);
    expectError({ auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'web' }]) }, /auth\.iamUsers must not repeat a name, got \["web","web"\]/);
  });

  test('throws on an IAM user access string with password rules', () => {
    expectError(
      { auth: RedisAuth.iamUserGroup([{ name: 'web', accessString: 'on >secret ~* +@all' }]) },
      /auth\.iamUsers\[0\].accessString must be Redis ACL rules without password rules .*, got "on >secret ~\* \+@all"/,
    );
    expectError({ auth: RedisAuth.iamUserGroup([{ name: 'web', accessString: ' ' }]) }, /accessString must be Redis ACL rules/);
  });

  test('throws when the VPC has no ElastiCache subnet group', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, isolatedSubnets: false });
    expect(() => new RedisHA(stack, 'Cache', { vpc })).toThrow(
      'RedisHA test/Cache: vpc must have an ElastiCache subnet group (isolated subnets): VpcStack test/Network: has no ElastiCache subnet group because isolatedSubnets is false',
    );
  });

  test('throws when an allowed peer has a description EC2 rejects', () => {
    const { redis } = build();
    expect(() => redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'Jörg’s laptop'))).toThrow(
      /allowConnectionsFrom\(peer\)\.connectionsDescription must use only letters, digits, spaces and .*, got "Jörg’s laptop"/,
    );
  });

  test('throws when two different peers would share a rule', () => {
    const { stack, vpc } = setup();
    const a = new SecurityGroup(stack, 'A', { vpcId: vpc.vpcId });
    const b = new SecurityGroup(stack, 'B', { vpcId: vpc.vpcId });
    const redis = new RedisHA(stack, 'Cache', { vpc });
    redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(a.id, 'workers'));
    expect(() => redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(b.id, 'workers'))).toThrow(
      /the rule IngressFrom-workers already admits another peer \("workers" would take it\); give this peer a distinct ruleId/,
    );
  });

  test('names rules as PostgresWithBackups does, whatever the call order, and moves the rules release 0.1 named otherwise', () => {
    const { stack, vpc } = setup();
    const a = new SecurityGroup(stack, 'A', { vpcId: vpc.vpcId });
    const b = new SecurityGroup(stack, 'B', { vpcId: vpc.vpcId });
    const ids = (order: Array<[SecurityGroup, string]>) => {
      const { stack: s, vpc: v } = setup();
      const redis = new RedisHA(s, 'Cache', { vpc: v });
      const groups = order.map(([g, id]) => [new SecurityGroup(s, g.node.id, { vpcId: v.vpcId }), id] as const);
      for (const [g] of groups) redis.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(g.id, `${g.node.id} tier`), `from-${g.node.id.toLowerCase()}`);
      return Object.keys(resourcesByPath(synthStack(s), 'aws_vpc_security_group_ingress_rule')).filter((p) => p.startsWith('Cache/')).sort();
    };
    // A peer whose ID and description are both tokens keeps its ID in any order with a ruleId...
    expect(ids([[a, 'a'], [b, 'b']])).toEqual(ids([[b, 'b'], [a, 'a']]));
    // ...and needs one: a counter would rename the rule when the calls change order.
    const redis = new RedisHA(stack, 'Cache', { vpc });
    const tokenPeer = SecurityGroupPeer.fromSecurityGroupId(a.id, Token.asString(a.name));
    expect(() => redis.allowConnectionsFrom(tokenPeer)).toThrow(/allowConnectionsFrom\(ruleId\) must be given for a peer whose security group ID and description are both unknown/);
    // A peer known by its literal description keeps the name 0.1 gave it: no moved block. (A
    // construct peer, the cluster, now takes its path; the example's address-stability test
    // proves its 0.1 rule moves there.)
    const { synth } = (() => {
      const built = setup();
      const cache = new RedisHA(built.stack, 'Cache', { vpc: built.vpc });
      const peer = new SecurityGroup(built.stack, 'Workers', { vpcId: built.vpc.vpcId });
      cache.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(peer.id, 'batch workers'));
      return { synth: synthStack(built.stack) };
    })();
    expect(Object.keys(resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule'))).toContain('Cache/IngressFrom-batch-workers');
    expect((synth as any).moved ?? []).toEqual([]);
  });

  test('connectPolicyJson throws for an unknown user and for an AUTH token group', () => {
    expect(() => build().redis.connectPolicyJson('web')).toThrow(
      'RedisHA test/Cache: connectPolicyJson(userName) must be one of the IAM users app, got "web"',
    );
    expect(() => build({ auth: RedisAuth.authTokenFromSecret(SECRET_ARN) }).redis.connectPolicyJson('app')).toThrow(
      /connectPolicyJson needs auth RedisAuth.iamUserGroup\(...\); this replication group uses an AUTH token/,
    );
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const { stack, vpc } = setup();
    expect(() => new RedisHA(stack, 'Bad', { vpc, nodesPerShard: 9 })).toThrow();
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});

// Offline terraform plan: this construct's configuration is planned with the others in one
// stack, in test/offline/constructs-plan.test.ts.
