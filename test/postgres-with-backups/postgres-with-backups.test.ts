import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentTier, GroundworkStack, IConnectable, SecurityGroupPeer } from '../../lib/core';
import { PostgresWithBackups, PostgresWithBackupsProps, RdsCaCertificate } from '../../lib/postgres-with-backups';
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

function networkIn(stack: GroundworkStack): VpcStack {
  return new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
}

function build(props: Partial<PostgresWithBackupsProps> = {}, environment = EnvironmentTier.PRODUCTION) {
  const stack = testStack({ environment });
  const vpc = networkIn(stack);
  const db = new PostgresWithBackups(stack, 'Database', { vpc, ...props });
  return { stack, vpc, db, synth: synthStack(stack) };
}

const primaryOf = (synth: SynthesizedStack) => resourceAt(synth, 'aws_db_instance', 'Database/Resource');
const keyArn = (synth: SynthesizedStack) => refTo(synth, 'aws_kms_key', 'Database/Key/Resource', 'arn');

/** A construct of ours that other constructs can allow connections from, like an EKS cluster. */
class FakeCluster extends Construct implements IConnectable {
  public readonly connectionsSecurityGroupId = 'sg-0aaaaaaaaaaaaaaaa';
  public readonly connectionsDescription = 'EKS nodes of shop-production';
}

describe('PostgresWithBackups defaults (production)', () => {
  const { stack, db, synth } = build();
  const primary = primaryOf(synth);

  test('places the primary in the isolated subnets of the VPC, never publicly accessible', () => {
    expect(primary).toMatchObject({
      identifier: 'shop-production-database',
      engine: 'postgres',
      db_subnet_group_name: refTo(synth, 'aws_db_subnet_group', 'Network/DbSubnetGroup', 'name'),
      vpc_security_group_ids: [refTo(synth, 'aws_security_group', 'Database/SecurityGroup', 'id')],
      publicly_accessible: false,
    });
  });

  test('encrypts gp3 storage with the construct\'s rotating customer-managed key', () => {
    expect(primary).toMatchObject({ storage_type: 'gp3', storage_encrypted: true, kms_key_id: keyArn(synth) });
    expect(resourceAt(synth, 'aws_kms_key', 'Database/Key/Resource')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('allocates 100 GiB that autoscale up to 1000 GiB', () => {
    expect(primary).toMatchObject({ allocated_storage: 100, max_allocated_storage: 1000 });
  });

  test('runs PostgreSQL 17 (newest minor) with automatic minor upgrades and no major upgrades', () => {
    expect(primary).toMatchObject({
      engine_version: '17',
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
      apply_immediately: false,
    });
    expect(db.engineMajorVersion).toBe(17);
  });

  test('uses a memory-optimized instance class in production', () => {
    expect(primary.instance_class).toBe('db.r6g.large');
  });

  test('is Multi-AZ with deletion protection and prevent_destroy in production', () => {
    expect(primary).toMatchObject({ multi_az: true, deletion_protection: true, lifecycle: { prevent_destroy: true } });
  });

  test('takes a final snapshot with a stable, non time-based identifier', () => {
    expect(primary).toMatchObject({
      skip_final_snapshot: false,
      final_snapshot_identifier: 'shop-production-database-final',
    });
  });

  test('keeps 30 days of automated backups with point-in-time recovery that outlive the instance', () => {
    expect(primary).toMatchObject({
      backup_retention_period: 30,
      backup_window: '03:00-04:00',
      maintenance_window: 'sun:04:00-sun:05:00',
      delete_automated_backups: false,
    });
  });

  test('has RDS manage the master password in Secrets Manager under the key, with no password in the configuration', () => {
    expect(primary).toMatchObject({
      username: 'dbadmin',
      manage_master_user_password: true,
      master_user_secret_kms_key_id: keyArn(synth),
    });
    for (const instance of resourcesOf(synth, 'aws_db_instance')) {
      expect(instance.password).toBeUndefined();
      expect(instance.password_wo).toBeUndefined();
    }
    expect(JSON.stringify(synth)).not.toMatch(/"password(_wo)?"\s*:/);
    expect(resourcesOf(synth, 'aws_secretsmanager_secret_version')).toHaveLength(0);
  });

  test('names the database after the project', () => {
    expect(primary.db_name).toBe('shop');
  });

  test('turns on Performance Insights encrypted with the key, 7 days', () => {
    expect(primary).toMatchObject({
      performance_insights_enabled: true,
      performance_insights_kms_key_id: keyArn(synth),
      performance_insights_retention_period: 7,
    });
  });

  test('turns on Enhanced Monitoring every 60 s with a role only RDS monitoring of this account can assume', () => {
    const roleRef = refTo(synth, 'aws_iam_role', 'Database/MonitoringRole', 'arn');
    expect(primary).toMatchObject({ monitoring_interval: 60, monitoring_role_arn: roleRef });
    const role = resourceAt(synth, 'aws_iam_role', 'Database/MonitoringRole');
    const trust = policyOf(role.assume_role_policy).Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'monitoring.rds.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Database/MonitoringRolePolicy')).toEqual({
      role: refTo(synth, 'aws_iam_role', 'Database/MonitoringRole', 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
  });

  test('exports postgresql and upgrade logs into pre-created, KMS-encrypted log groups with retention', () => {
    expect(primary.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    for (const type of ['postgresql', 'upgrade']) {
      const logGroup = resourceAt(synth, 'aws_cloudwatch_log_group', `Database/LogGroup-${type}/Resource`);
      expect(logGroup).toMatchObject({
        name: `/aws/rds/instance/shop-production-database/${type}`,
        retention_in_days: 365,
        kms_key_id: refTo(synth, 'aws_kms_key', 'Database/LogKey/Resource', 'arn'),
      });
      const logGroupAddress = refTo(synth, 'aws_cloudwatch_log_group', `Database/LogGroup-${type}/Resource`, 'id').slice(2, -4);
      expect(primary.depends_on).toContain(logGroupAddress);
    }
  });

  test('encrypts every exported log group, replicas included, with one log key that is not the database key', () => {
    const logKey = resourceAt(synth, 'aws_kms_key', 'Database/LogKey/Resource');
    const arns = JSON.parse(logKey.policy).Statement[1].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'];
    expect(arns).toHaveLength(6);
    expect(arns).toContain('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/instance/shop-production-database-replica-2/upgrade');
    expect(refTo(synth, 'aws_kms_key', 'Database/LogKey/Resource', 'arn')).not.toBe(refTo(synth, 'aws_kms_key', 'Database/Key/Resource', 'arn'));
    expect(logKey.enable_key_rotation).toBe(true);
  });

  test('copies tags to snapshots, uses IAM authentication and the current RSA 2048 CA', () => {
    expect(primary).toMatchObject({
      copy_tags_to_snapshot: true,
      iam_database_authentication_enabled: true,
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
    });
  });

  test('attaches a parameter group with the guides\' defaults; static parameters apply at reboot', () => {
    const group = onlyResourceOf(synth, 'aws_db_parameter_group');
    expect(primary.parameter_group_name).toBe(refTo(synth, 'aws_db_parameter_group', 'Database/ParameterGroup', 'name'));
    expect(group).toMatchObject({
      name: 'shop-production-database-postgres17',
      family: 'postgres17',
      lifecycle: { create_before_destroy: true },
    });
    const byName = Object.fromEntries(group.parameter.map((p: any) => [p.name, p]));
    expect(byName['rds.force_ssl']).toEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'immediate' });
    expect(byName.shared_preload_libraries).toEqual({
      name: 'shared_preload_libraries',
      value: 'pg_stat_statements',
      apply_method: 'pending-reboot',
    });
    expect(byName.log_min_duration_statement.value).toBe('1000');
    expect(byName.log_connections.value).toBe('1');
    expect(byName.log_disconnections.value).toBe('1');
    expect(byName.log_lock_waits.value).toBe('1');
    expect(byName.checkpoint_timeout.value).toBe('900');
    expect(byName.checkpoint_completion_target.value).toBe('0.9');
  });

  test('creates a described security group with nothing open: no ingress and no egress', () => {
    const sg = resourceAt(synth, 'aws_security_group', 'Database/SecurityGroup');
    expect(sg).toMatchObject({
      name: 'shop-production-database',
      vpc_id: refTo(synth, 'aws_vpc', 'Network/Resource', 'id'),
      description: expect.stringMatching(/port 5432 from allowed peers only, no egress/),
    });
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resourcesOf(synth, 'aws_vpc_security_group_ingress_rule')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_vpc_security_group_egress_rule')).toHaveLength(0);
  });

  test('creates two read replicas of the primary that match its security settings', () => {
    const replicas = Object.entries(resourcesByPath(synth, 'aws_db_instance')).filter(([path]) => path.includes('Replica'));
    expect(replicas.map(([path]) => path)).toEqual(['Database/Replica-1', 'Database/Replica-2']);
    for (const [path, replica] of replicas) {
      const n = path.slice(-1);
      expect(replica).toMatchObject({
        identifier: `shop-production-database-replica-${n}`,
        replicate_source_db: refTo(synth, 'aws_db_instance', 'Database/Resource', 'arn'),
        instance_class: 'db.r6g.large',
        publicly_accessible: false,
        storage_encrypted: true,
        vpc_security_group_ids: primary.vpc_security_group_ids,
        db_subnet_group_name: primary.db_subnet_group_name,
        parameter_group_name: primary.parameter_group_name,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: keyArn(synth),
        monitoring_interval: 60,
        monitoring_role_arn: primary.monitoring_role_arn,
        iam_database_authentication_enabled: true,
        ca_cert_identifier: 'rds-ca-rsa2048-g1',
        enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
        skip_final_snapshot: true,
      });
      // Same-region replicas inherit the source's key; RDS asks not to pass one.
      expect(replica.kms_key_id).toBeUndefined();
      expect(replica.engine).toBeUndefined();
      expect(replica.username).toBeUndefined();
      expect(resourceAt(synth, 'aws_cloudwatch_log_group', `Database/Replica-${n}-LogGroup-postgresql/Resource`).name).toBe(
        `/aws/rds/instance/shop-production-database-replica-${n}/postgresql`,
      );
    }
  });

  test('locks the AWS Backup vault in governance mode for the retention period', () => {
    expect(onlyResourceOf(synth, 'aws_backup_vault_lock_configuration')).toEqual({
      backup_vault_name: refTo(synth, 'aws_backup_vault', 'Database/BackupVault', 'name'),
      min_retention_days: 30,
    });
  });

  test('spreads the replicas over the other zones and staggers their maintenance windows after the primary\'s', () => {
    const replica = (n: number) => resourceAt(synth, 'aws_db_instance', `Database/Replica-${n}`);
    // The Multi-AZ primary is placed by RDS; pinning it is an error for Multi-AZ instances.
    expect(primary.availability_zone).toBeUndefined();
    expect([replica(1).availability_zone, replica(2).availability_zone]).toEqual(['eu-west-1b', 'eu-west-1c']);
    expect([primary.maintenance_window, replica(1).maintenance_window, replica(2).maintenance_window]).toEqual([
      'sun:04:00-sun:05:00',
      'sun:05:00-sun:06:00',
      'sun:06:00-sun:07:00',
    ]);
  });

  test('connectPolicyJson lets a role sign in as one database user on the primary and every replica', () => {
    const statement = policyOf(resolveIn(stack, db.connectPolicyJson('shop_app'))).Statement;
    const resourceIds = ['Resource', 'Replica-1', 'Replica-2'].map((path) => refTo(synth, 'aws_db_instance', `Database/${path}`, 'resource_id'));
    expect(statement).toEqual([
      {
        Sid: 'ConnectToPostgresWithIam',
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: resourceIds.map((id) => `arn:aws:rds-db:eu-west-1:123456789012:dbuser:${id}/shop_app`),
      },
    ]);
  });

  test('connectPolicyJson refuses the master user, RDS roles and names PostgreSQL would fold', () => {
    expect(() => db.connectPolicyJson('dbadmin')).toThrow(
      'PostgresWithBackups test/Database: connectPolicyJson(databaseUser) must not be the master user "dbadmin" or a role RDS reserves: give the workload a user of its own with only the privileges it needs, got "dbadmin"',
    );
    expect(() => db.connectPolicyJson('rds_superuser')).toThrow(/must not be the master user .* or a role RDS reserves/);
    expect(() => db.connectPolicyJson('ShopApp')).toThrow(/connectPolicyJson\(databaseUser\) must be a PostgreSQL role name: 1-63 lowercase letters.*, got "ShopApp"/);
  });

  test('backs the primary up daily with AWS Backup into a vault encrypted with the key', () => {
    expect(resourceAt(synth, 'aws_backup_vault', 'Database/BackupVault')).toMatchObject({
      name: 'shop-production-database',
      kms_key_arn: keyArn(synth),
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    const plan = onlyResourceOf(synth, 'aws_backup_plan');
    expect(plan.rule).toEqual([
      {
        rule_name: 'daily',
        target_vault_name: refTo(synth, 'aws_backup_vault', 'Database/BackupVault', 'name'),
        schedule: 'cron(0 6 ? * * *)',
        start_window: 60,
        completion_window: 780,
        lifecycle: { delete_after: 30 },
      },
    ]);
    expect(onlyResourceOf(synth, 'aws_backup_selection')).toMatchObject({
      plan_id: refTo(synth, 'aws_backup_plan', 'Database/BackupPlan', 'id'),
      iam_role_arn: refTo(synth, 'aws_iam_role', 'Database/BackupRole', 'arn'),
      resources: [refTo(synth, 'aws_db_instance', 'Database/Resource', 'arn')],
    });
  });

  test('gives AWS Backup a role, trusted as AWS Backup documents it, with the AWS managed backup and restore policies', () => {
    const role = resourceAt(synth, 'aws_iam_role', 'Database/BackupRole');
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ]);
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Database/BackupRolePolicy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    );
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Database/BackupRoleRestoresPolicy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    );
  });

  test('creates a versioned, KMS-encrypted, private, TLS-only bucket for dumps: STANDARD_IA after 30 days, expiry after 365', () => {
    const bucketRef = refTo(synth, 'aws_s3_bucket', 'Database/BackupBucket/Resource', 'id');
    expect(resourceAt(synth, 'aws_s3_bucket', 'Database/BackupBucket/Resource').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResourceOf(synth, 'aws_s3_bucket_versioning')).toMatchObject({
      bucket: bucketRef,
      versioning_configuration: { status: 'Enabled' },
    });
    expect(onlyResourceOf(synth, 'aws_s3_bucket_server_side_encryption_configuration').rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: {
        sse_algorithm: 'aws:kms',
        kms_master_key_id: refTo(synth, 'aws_kms_key', 'Database/BackupBucket/Key/Resource', 'arn'),
      },
    });
    expect(onlyResourceOf(synth, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const rule = onlyResourceOf(synth, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.transition).toEqual([{ days: 30, storage_class: 'STANDARD_IA' }]);
    expect(rule.expiration).toEqual([{ days: 365 }]);
  });

  test('exposes typed attributes for wiring', () => {
    expect(db.identifier).toBe('shop-production-database');
    expect(db.replicaIdentifiers).toEqual(['shop-production-database-replica-1', 'shop-production-database-replica-2']);
    expect(db.readReplicaCount).toBe(2);
    expect(db.port).toBe(5432);
    expect(db.databaseName).toBe('shop');
    expect(db.masterUsername).toBe('dbadmin');
    expect(resolveIn(stack, db.endpoint)).toBe(refTo(synth, 'aws_db_instance', 'Database/Resource', 'address'));
    expect(resolveIn(stack, db.readerEndpoints)).toEqual([
      refTo(synth, 'aws_db_instance', 'Database/Replica-1', 'address'),
      refTo(synth, 'aws_db_instance', 'Database/Replica-2', 'address'),
    ]);
    expect(resolveIn(stack, db.masterSecretArn)).toBe(
      refTo(synth, 'aws_db_instance', 'Database/Resource', 'master_user_secret[0].secret_arn'),
    );
    expect(resolveIn(stack, db.securityGroupId)).toBe(refTo(synth, 'aws_security_group', 'Database/SecurityGroup', 'id'));
    expect(resolveIn(stack, db.kmsKeyArn)).toBe(keyArn(synth));
    expect(resolveIn(stack, db.resourceId)).toBe(refTo(synth, 'aws_db_instance', 'Database/Resource', 'resource_id'));
    expect(resolveIn(stack, db.instanceArn)).toBe(refTo(synth, 'aws_db_instance', 'Database/Resource', 'arn'));
    expect(resolveIn(stack, db.backupBucketName)).toBe(refTo(synth, 'aws_s3_bucket', 'Database/BackupBucket/Resource', 'bucket'));
    expect(resolveIn(stack, db.backupVaultArn)).toBe(refTo(synth, 'aws_backup_vault', 'Database/BackupVault', 'arn'));
    expect(db.disasterRecoveryVaultArn).toBeUndefined();
    expect(resolveIn(stack, db.parameterGroupName)).toBe(refTo(synth, 'aws_db_parameter_group', 'ParameterGroup', 'name'));
  });

  test('exposes the instance class, storage and parameters that monitoring thresholds derive from', () => {
    expect(db.instanceClass).toBe(primary.instance_class);
    expect(db.instanceClass).toBe('db.r6g.large');
    expect(db.allocatedStorageGiB).toBe(100);
    expect(db.maxAllocatedStorageGiB).toBe(1000);
    const groupParameters = onlyResourceOf(synth, 'aws_db_parameter_group').parameter;
    expect(db.parameters).toEqual(Object.fromEntries(groupParameters.map((p: { name: string; value: string }) => [p.name, p.value])));
    expect(db.parameters['rds.force_ssl']).toBe('1');
  });

  test('publishes what a pipeline needs as outputs with stable names, none of them secret values', () => {
    expect(Object.keys(synth.output ?? {}).sort()).toEqual([
      'database_backup_bucket_name',
      'database_database_name',
      'database_endpoint',
      'database_kms_key_arn',
      'database_master_secret_arn',
      'database_port',
      'database_reader_endpoints',
      'database_security_group_id',
    ]);
    expect(synth.output!.database_endpoint.value).toBe(refTo(synth, 'aws_db_instance', 'Database/Resource', 'address'));
    expect(synth.output!.database_master_secret_arn.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(synth.output!.database_port.value).toBe(5432);
    for (const output of Object.values(synth.output ?? {})) {
      expect(output.description).toEqual(expect.any(String));
      expect(output.sensitive).toBeUndefined();
    }
  });

  test('warns only that production backups stay in one region', () => {
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-PG-NO-DR-COPY]')]);
  });

  test('matches the snapshot (its own resources by construct path, outputs and providers)', () => {
    // Keyed by construct path, so the snapshot guards the frozen child IDs, and limited to
    // this construct, so changes to VpcStack do not show up here.
    const own = Object.fromEntries(
      Object.keys(synth.resource)
        .map((type) => [type, Object.fromEntries(Object.entries(resourcesByPath(synth, type)).filter(([path]) => path.startsWith('Database/')))])
        .filter(([, byPath]) => Object.keys(byPath).length > 0),
    );
    expect({ resource: own, output: synth.output, provider: synth.provider }).toMatchSnapshot();
  });
});

describe('PostgresWithBackups presets', () => {
  test('development: single-AZ, no replicas, no protection, 7-day backups, a burstable class, 30-day dumps without IA', () => {
    const { stack, synth, db } = build({}, EnvironmentTier.DEVELOPMENT);
    expect(resourcesOf(synth, 'aws_db_instance')).toHaveLength(1);
    expect(primaryOf(synth)).toMatchObject({
      multi_az: false,
      deletion_protection: false,
      lifecycle: { prevent_destroy: false },
      backup_retention_period: 7,
      instance_class: 'db.t4g.medium',
      identifier: 'shop-development-database',
      performance_insights_enabled: true,
    });
    expect(db.readerEndpoints).toEqual([]);
    const rule = onlyResourceOf(synth, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.transition).toBeUndefined();
    expect(rule.expiration).toEqual([{ days: 30 }]);
    expect(onlyResourceOf(synth, 'aws_backup_plan').rule[0].lifecycle).toEqual({ delete_after: 7 });
    // Development vaults stay unlocked, so a throwaway environment can be torn down.
    expect(resourcesOf(synth, 'aws_backup_vault_lock_configuration')).toHaveLength(0);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('staging: Multi-AZ with deletion protection, one replica, 14-day backups, no prevent_destroy', () => {
    const { synth } = build({}, EnvironmentTier.STAGING);
    expect(primaryOf(synth)).toMatchObject({
      multi_az: true,
      deletion_protection: true,
      lifecycle: { prevent_destroy: false },
      backup_retention_period: 14,
    });
    expect(Object.keys(resourcesByPath(synth, 'aws_db_instance'))).toEqual(['Database/Resource', 'Database/Replica-1']);
    expect(onlyResourceOf(synth, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration).toEqual([{ days: 90 }]);
    expect(onlyResourceOf(synth, 'aws_backup_vault_lock_configuration').min_retention_days).toBe(14);
  });

  test('awsBackupVaultLock overrides the preset both ways', () => {
    expect(resourcesOf(build({ awsBackupVaultLock: false }).synth, 'aws_backup_vault_lock_configuration')).toHaveLength(0);
    const dev = build({ awsBackupVaultLock: true, awsBackupRetentionDays: 10 }, EnvironmentTier.DEVELOPMENT).synth;
    expect(onlyResourceOf(dev, 'aws_backup_vault_lock_configuration').min_retention_days).toBe(10);
  });
});

describe('PostgresWithBackups options', () => {
  test('identifier names the instance, replicas, final snapshot, log groups and parameter group', () => {
    const { synth } = build({ identifier: 'orders-db', readReplicas: 1 });
    expect(primaryOf(synth)).toMatchObject({ identifier: 'orders-db', final_snapshot_identifier: 'orders-db-final' });
    expect(resourceAt(synth, 'aws_db_instance', 'Database/Replica-1').identifier).toBe('orders-db-replica-1');
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Database/LogGroup-upgrade/Resource').name).toBe(
      '/aws/rds/instance/orders-db/upgrade',
    );
    expect(onlyResourceOf(synth, 'aws_db_parameter_group').name).toBe('orders-db-postgres17');
  });

  test('the instance class, storage and parameter attributes follow the props', () => {
    const { db } = build({
      instanceClass: 'db.m6g.xlarge',
      allocatedStorageGiB: 200,
      maxAllocatedStorageGiB: 200,
      parameters: { max_connections: '500' },
    });
    expect(db.instanceClass).toBe('db.m6g.xlarge');
    expect(db.allocatedStorageGiB).toBe(200);
    expect(db.maxAllocatedStorageGiB).toBe(200);
    expect(db.parameters.max_connections).toBe('500');
    expect(db.parameters.log_connections).toBe('1');
  });

  test('a long construct path gives a default identifier that still leaves room for replica suffixes', () => {
    const stack = testStack();
    const vpc = networkIn(stack);
    const db = new PostgresWithBackups(stack, 'OrdersDatabaseForTheCheckoutServiceOfTheShop', { vpc, readReplicas: 15 });
    expect(db.identifier.length).toBeLessThanOrEqual(52);
    expect(db.replicaIdentifiers[14].length).toBeLessThanOrEqual(63);
  });

  test('engineVersion 16 selects the postgres16 parameter group family', () => {
    const { synth, db } = build({ engineVersion: '16' });
    expect(primaryOf(synth).engine_version).toBe('16');
    expect(onlyResourceOf(synth, 'aws_db_parameter_group')).toMatchObject({
      family: 'postgres16',
      name: 'shop-production-database-postgres16',
    });
    expect(db.engineMajorVersion).toBe(16);
  });

  test('a pinned minor version with automatic minor upgrades is used, with a warning', () => {
    const { synth, stack } = build({ engineVersion: '17.4' });
    expect(primaryOf(synth).engine_version).toBe('17.4');
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-PINNED-MINOR-VERSION]'));
    const pinnedWithoutAutoUpgrade = build({ engineVersion: '17.4', autoMinorVersionUpgrade: false });
    expect(primaryOf(pinnedWithoutAutoUpgrade.synth).auto_minor_version_upgrade).toBe(false);
    expect(warningsOf(pinnedWithoutAutoUpgrade.stack).join()).not.toContain('[GW-PG-PINNED-MINOR-VERSION]');
  });

  test('instanceClass applies to the primary and the replicas', () => {
    const { synth } = build({ instanceClass: 'db.m7g.xlarge' });
    for (const instance of resourcesOf(synth, 'aws_db_instance')) {
      expect(instance.instance_class).toBe('db.m7g.xlarge');
    }
  });

  test('a burstable class in production is allowed with a warning', () => {
    expect(warningsOf(build({ instanceClass: 'db.t4g.large' }).stack)).toContainEqual(
      expect.stringContaining('[GW-PG-BURSTABLE-INSTANCE]'),
    );
  });

  test('databaseName and masterUsername are used', () => {
    const { synth } = build({ databaseName: 'orders', masterUsername: 'owner' });
    expect(primaryOf(synth)).toMatchObject({ db_name: 'orders', username: 'owner' });
  });

  test('a project name with dashes gives a database name with underscores', () => {
    const stack = testStack({ project: 'web-shop' });
    const db = new PostgresWithBackups(stack, 'Database', { vpc: networkIn(stack) });
    expect(db.databaseName).toBe('web_shop');
  });

  test('port is used by the instance, the replicas and the ingress rules', () => {
    const { stack, db } = build({ port: 6432 });
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion'));
    const synth = synthStack(stack);
    for (const instance of resourcesOf(synth, 'aws_db_instance')) {
      expect(instance.port).toBe(6432);
    }
    expect(onlyResourceOf(synth, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ from_port: 6432, to_port: 6432 });
  });

  test('storage sizes are used; the autoscaling limit defaults to ten times the allocation, at most 65536', () => {
    expect(primaryOf(build({ allocatedStorageGiB: 200, maxAllocatedStorageGiB: 300 }).synth)).toMatchObject({
      allocated_storage: 200,
      max_allocated_storage: 300,
    });
    expect(primaryOf(build({ allocatedStorageGiB: 50 }).synth).max_allocated_storage).toBe(500);
    expect(primaryOf(build({ allocatedStorageGiB: 10000 }).synth).max_allocated_storage).toBe(65536);
  });

  test('readReplicas sets the number of replicas', () => {
    const { synth, db } = build({ readReplicas: 3 });
    expect(resourcesOf(synth, 'aws_db_instance')).toHaveLength(4);
    expect(db.readerEndpoints).toHaveLength(3);
    const none = build({ readReplicas: 0 });
    expect(resourcesOf(none.synth, 'aws_db_instance')).toHaveLength(1);
    expect(none.synth.output!.database_reader_endpoints.value).toEqual([]);
  });

  test('multiAz false in production is used, with a warning', () => {
    const { synth, stack } = build({ multiAz: false });
    expect(primaryOf(synth).multi_az).toBe(false);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-SINGLE-AZ]'));
  });

  test('deletionProtection false in production is used, with a warning', () => {
    const { synth, stack } = build({ deletionProtection: false });
    expect(primaryOf(synth).deletion_protection).toBe(false);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-DELETION-PROTECTION]'));
  });

  test('preventDestroy false removes prevent_destroy from the instance, key, vault and bucket', () => {
    const { synth } = build({ preventDestroy: false });
    expect(primaryOf(synth).lifecycle).toEqual({ prevent_destroy: false });
    expect(resourceAt(synth, 'aws_kms_key', 'Database/Key/Resource').lifecycle).toEqual({ prevent_destroy: false });
    expect(resourceAt(synth, 'aws_backup_vault', 'Database/BackupVault').lifecycle).toEqual({ prevent_destroy: false });
    expect(resourceAt(synth, 'aws_s3_bucket', 'Database/BackupBucket/Resource').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('finalSnapshot false skips the final snapshot, with a warning', () => {
    const { synth, stack } = build({ finalSnapshot: false });
    expect(primaryOf(synth).skip_final_snapshot).toBe(true);
    expect(primaryOf(synth).final_snapshot_identifier).toBeUndefined();
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-FINAL-SNAPSHOT]'));
  });

  test('backupRetentionDays and the windows are used', () => {
    const { synth } = build({ backupRetentionDays: 35, backupWindow: '01:00-01:30', maintenanceWindow: 'mon:02:00-mon:03:00' });
    expect(primaryOf(synth)).toMatchObject({
      backup_retention_period: 35,
      backup_window: '01:00-01:30',
      maintenance_window: 'mon:02:00-mon:03:00',
    });
    // Replicas follow in the windows after the primary's, wrapping past midnight and the week's end.
    expect(resourceAt(synth, 'aws_db_instance', 'Replica-1').maintenance_window).toBe('mon:03:00-mon:04:00');
    expect(resourceAt(build({ maintenanceWindow: 'sat:23:00-sat:23:30' }).synth, 'aws_db_instance', 'Replica-2').maintenance_window).toBe(
      'sun:00:00-sun:00:30',
    );
  });

  test('backupRetentionDays 0 is allowed in development without replicas, with a warning', () => {
    const { synth, stack } = build({ backupRetentionDays: 0 }, EnvironmentTier.DEVELOPMENT);
    expect(primaryOf(synth).backup_retention_period).toBe(0);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-BACKUPS]'));
  });

  test('monitoringIntervalSeconds sets the interval; 0 removes the role, with a warning', () => {
    expect(primaryOf(build({ monitoringIntervalSeconds: 15 }).synth).monitoring_interval).toBe(15);
    const { synth, stack } = build({ monitoringIntervalSeconds: 0 });
    expect(primaryOf(synth).monitoring_interval).toBe(0);
    expect(primaryOf(synth).monitoring_role_arn).toBeUndefined();
    expect(Object.keys(resourcesByPath(synth, 'aws_iam_role'))).not.toContain('Database/MonitoringRole');
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-ENHANCED-MONITORING]'));
  });

  test('performanceInsights false turns it off on every instance, with a warning', () => {
    const { synth, stack } = build({ performanceInsights: false });
    for (const instance of resourcesOf(synth, 'aws_db_instance')) {
      expect(instance.performance_insights_enabled).toBe(false);
      expect(instance.performance_insights_kms_key_id).toBeUndefined();
    }
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-PERFORMANCE-INSIGHTS]'));
  });

  test('performanceInsightsRetentionDays is used', () => {
    expect(primaryOf(build({ performanceInsightsRetentionDays: 731 }).synth).performance_insights_retention_period).toBe(731);
    expect(primaryOf(build({ performanceInsightsRetentionDays: 93 }).synth).performance_insights_retention_period).toBe(93);
  });

  test('logRetentionDays sets the retention of every exported log group', () => {
    for (const logGroup of resourcesOf(build({ logRetentionDays: 90 }).synth, 'aws_cloudwatch_log_group')) {
      if (logGroup.name.startsWith('/aws/rds/')) expect(logGroup.retention_in_days).toBe(90);
    }
  });

  test('caCertificate selects the CA', () => {
    expect(primaryOf(build({ caCertificate: RdsCaCertificate.ECC384_G1 }).synth).ca_cert_identifier).toBe('rds-ca-ecc384-g1');
  });

  test('allowMajorVersionUpgrade and applyImmediately are passed through', () => {
    expect(primaryOf(build({ allowMajorVersionUpgrade: true, applyImmediately: true }).synth)).toMatchObject({
      allow_major_version_upgrade: true,
      apply_immediately: true,
    });
  });

  test('parameters merge over the defaults; static ones apply at reboot', () => {
    const { synth, stack } = build({
      parameters: { log_min_duration_statement: '250', max_connections: '500', work_mem: '65536' },
    });
    const byName = Object.fromEntries(onlyResourceOf(synth, 'aws_db_parameter_group').parameter.map((p: any) => [p.name, p]));
    expect(byName.log_min_duration_statement).toEqual({ name: 'log_min_duration_statement', value: '250', apply_method: 'immediate' });
    expect(byName.max_connections).toEqual({ name: 'max_connections', value: '500', apply_method: 'pending-reboot' });
    expect(byName.work_mem.apply_method).toBe('immediate');
    expect(byName['rds.force_ssl'].value).toBe('1');
    expect(warningsOf(stack).join()).not.toMatch(/TLS-NOT-FORCED|PG-STAT-STATEMENTS/);
  });

  test('turning off forced TLS or pg_stat_statements through parameters warns', () => {
    const { stack } = build({ parameters: { 'rds.force_ssl': '0', 'shared_preload_libraries': 'auto_explain' } });
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-TLS-NOT-FORCED]'));
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-PG-STAT-STATEMENTS]'));
    const withBoth = build({ parameters: { shared_preload_libraries: 'auto_explain, pg_stat_statements' } });
    expect(warningsOf(withBoth.stack).join()).not.toContain('[GW-PG-NO-PG-STAT-STATEMENTS]');
  });

  test('awsBackup false removes the vault, plan, selection and role, with a warning', () => {
    const { synth, stack, db } = build({ awsBackup: false });
    expect(resourcesOf(synth, 'aws_backup_vault')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_backup_plan')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_backup_selection')).toHaveLength(0);
    expect(Object.keys(resourcesByPath(synth, 'aws_iam_role'))).not.toContain('Database/BackupRole');
    expect(db.backupVaultArn).toBeUndefined();
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-PG-NO-AWS-BACKUP]'));
  });

  test('awsBackupRetentionDays and awsBackupWindow shape the AWS Backup rule', () => {
    const rule = onlyResourceOf(build({ awsBackupRetentionDays: 90, awsBackupWindow: '07:30-09:00' }).synth, 'aws_backup_plan').rule[0];
    expect(rule).toMatchObject({
      schedule: 'cron(30 7 ? * * *)',
      start_window: 90,
      completion_window: 810,
      lifecycle: { delete_after: 90 },
    });
  });

  test('disasterRecoveryRegion copies recovery points to a vault with its own rotating key in that region', () => {
    const { synth, db, stack } = build({ disasterRecoveryRegion: 'eu-central-1' });
    expect(synth.provider!.aws).toContainEqual({
      alias: 'dr-database',
      region: 'eu-central-1',
      allowed_account_ids: ['123456789012'],
    });
    const drKey = resourceAt(synth, 'aws_kms_key', 'Database/DisasterRecoveryKey/Resource');
    expect(drKey).toMatchObject({ provider: 'aws.dr-database', enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(resourceAt(synth, 'aws_kms_alias', 'Database/DisasterRecoveryKey/Alias').provider).toBe('aws.dr-database');
    const drVaultArn = refTo(synth, 'aws_backup_vault', 'Database/DisasterRecoveryVault', 'arn');
    expect(resourceAt(synth, 'aws_backup_vault', 'Database/DisasterRecoveryVault')).toMatchObject({
      provider: 'aws.dr-database',
      kms_key_arn: refTo(synth, 'aws_kms_key', 'Database/DisasterRecoveryKey/Resource', 'arn'),
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResourceOf(synth, 'aws_backup_plan').rule[0].copy_action).toEqual([
      { destination_vault_arn: drVaultArn, lifecycle: { delete_after: 30 } },
    ]);
    expect(resolveIn(stack, db.disasterRecoveryVaultArn)).toBe(drVaultArn);
    // The copies are locked too, in their own region.
    expect(resourceAt(synth, 'aws_backup_vault_lock_configuration', 'Database/DisasterRecoveryVaultLock')).toEqual({
      provider: 'aws.dr-database',
      backup_vault_name: refTo(synth, 'aws_backup_vault', 'Database/DisasterRecoveryVault', 'name'),
      min_retention_days: 30,
    });
    expect(resourceAt(synth, 'aws_backup_vault', 'Database/BackupVault').provider).toBeUndefined();
    expect(warningsOf(stack)).toEqual([]);
  });

  test('dumpRetentionDays sets the expiry; STANDARD_IA only when objects stay there 30 days or more', () => {
    const short = onlyResourceOf(build({ dumpRetentionDays: 60 }).synth, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(short.transition).toBeUndefined();
    expect(short.expiration).toEqual([{ days: 60 }]);
    const long = onlyResourceOf(build({ dumpRetentionDays: 61 }).synth, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(long.transition).toEqual([{ days: 30, storage_class: 'STANDARD_IA' }]);
    expect(long.expiration).toEqual([{ days: 61 }]);
  });
});

describe('PostgresWithBackups.allowConnectionsFrom', () => {
  test('adds one described ingress rule on the DB port from the peer security group', () => {
    const { stack, db } = build();
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion host'));
    const synth = synthStack(stack);
    expect(resourceAt(synth, 'aws_vpc_security_group_ingress_rule', 'Database/IngressFrom-sg-0123456789abcdef0')).toEqual({
      security_group_id: refTo(synth, 'aws_security_group', 'Database/SecurityGroup', 'id'),
      referenced_security_group_id: 'sg-0123456789abcdef0',
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
      description: 'PostgreSQL from bastion host',
      tags: expect.any(Object),
    });
  });

  test('names the rule after the construct path of a peer that is one of our constructs', () => {
    const { stack, db } = build();
    db.allowConnectionsFrom(new FakeCluster(stack, 'Cluster'));
    const synth = synthStack(stack);
    expect(resourceAt(synth, 'aws_vpc_security_group_ingress_rule', 'Database/IngressFrom-Cluster')).toMatchObject({
      referenced_security_group_id: 'sg-0aaaaaaaaaaaaaaaa',
      description: 'PostgreSQL from EKS nodes of shop-production',
    });
  });

  test('a peer whose security group ID is a token is named by its description, or by ruleId', () => {
    const { stack, vpc, db } = build();
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(vpc.vpcId, 'Batch workers'));
    const reportingGroup = new TerraformVariable(stack, 'ReportingSecurityGroup', { type: 'string' }).stringValue;
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(reportingGroup), 'reporting');
    const paths = Object.keys(resourcesByPath(synthStack(stack), 'aws_vpc_security_group_ingress_rule'));
    expect(paths).toEqual(['Database/IngressFrom-batch-workers', 'Database/IngressFrom-reporting']);
  });

  test('a second peer with the same security group adds no rule, whatever its ID (EC2 refuses duplicate rules)', () => {
    const { stack, vpc, db } = build();
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(vpc.vpcId, 'Batch workers'));
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(vpc.vpcId, 'Batch workers again'), 'reporting');
    expect(Object.keys(resourcesByPath(synthStack(stack), 'aws_vpc_security_group_ingress_rule'))).toEqual(['Database/IngressFrom-batch-workers']);
  });

  test('allowing the same peer twice adds one rule', () => {
    const { stack, db } = build();
    const peer = SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion');
    db.allowConnectionsFrom(peer);
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'the bastion'));
    expect(resourcesOf(synthStack(stack), 'aws_vpc_security_group_ingress_rule')).toHaveLength(1);
  });

  test('throws when two different peers would share a rule ID', () => {
    const { db } = build();
    db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'a'), 'app');
    expect(() => db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0fedcba9876543210', 'b'), 'app')).toThrow(
      'PostgresWithBackups test/Database: allowConnectionsFrom: the rule IngressFrom-app already admits another peer ("b" would take it); give this peer a distinct ruleId',
    );
  });

  test('throws on a ruleId that cannot be a construct ID', () => {
    const { db } = build();
    expect(() => db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0'), 'a/b')).toThrow(
      /ruleId\) must be 1-100 letters, digits, "\.", "_" or "-", starting with a letter or digit, got "a\/b"/,
    );
  });
});

describe('PostgresWithBackups validation', () => {
  const expectError = (props: Partial<PostgresWithBackupsProps>, message: string | RegExp, environment?: EnvironmentTier) =>
    expect(() => build(props, environment)).toThrow(message);

  test('throws on an identifier that would name its security group "sg-..."', () => {
    expectError(
      { identifier: 'sg-orders' },
      'PostgresWithBackups test/Database: identifier must not start with "sg-": it names the security group "sg-orders", and EC2 reserves that prefix for security group IDs, got "sg-orders"',
    );
  });

  test('throws when backupRetentionDays is outside 1-35', () => {
    expectError(
      { backupRetentionDays: 36 },
      'PostgresWithBackups test/Database: backupRetentionDays must be an integer from 1 to 35 (0, which turns off automated backups, only in development), got 36',
    );
    expectError({ backupRetentionDays: -1 }, /backupRetentionDays must be an integer from 1 to 35 .*, got -1/);
    expectError({ backupRetentionDays: 1.5 }, /backupRetentionDays must be an integer from 1 to 35 .*, got 1.5/);
  });

  test('throws when backupRetentionDays is 0 outside development', () => {
    expectError(
      { backupRetentionDays: 0, readReplicas: 0 },
      'PostgresWithBackups test/Database: backupRetentionDays must be 1-35 in a production stack (0 turns off automated backups and point-in-time recovery), got 0',
    );
    expectError({ backupRetentionDays: 0, readReplicas: 0 }, /must be 1-35 in a staging stack/, EnvironmentTier.STAGING);
  });

  test('throws when replicas are asked for with backups off', () => {
    expectError(
      { backupRetentionDays: 0, readReplicas: 1 },
      'PostgresWithBackups test/Database: readReplicas (1) need automated backups on the primary, but backupRetentionDays is 0; set backupRetentionDays to 1-35 or readReplicas to 0',
      EnvironmentTier.DEVELOPMENT,
    );
  });

  test('throws on malformed windows', () => {
    expectError({ backupWindow: '3:00-4:00' }, /backupWindow must be a daily UTC window "hh24:mi-hh24:mi", e.g. "03:00-04:00", got "3:00-4:00"/);
    expectError({ maintenanceWindow: 'sunday:04:00-05:00' }, /maintenanceWindow must be a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi"/);
  });

  test('throws on windows under 30 minutes', () => {
    expectError({ backupWindow: '03:00-03:20' }, 'PostgresWithBackups test/Database: backupWindow must span at least 30 minutes, got "03:00-03:20"');
    expectError({ maintenanceWindow: 'sun:04:00-sun:04:29' }, /maintenanceWindow must span at least 30 minutes/);
  });

  test('throws when the backup and maintenance windows overlap', () => {
    expectError(
      { backupWindow: '04:30-05:30' },
      'PostgresWithBackups test/Database: backupWindow "04:30-05:30" overlaps maintenanceWindow "sun:04:00-sun:05:00"; the service rejects overlapping windows, move one of them',
    );
  });

  test('throws when the AWS Backup window is under 60 minutes or collides with the RDS windows', () => {
    expectError({ awsBackupWindow: '06:00-06:30' }, /awsBackupWindow must span at least 60 minutes, got "06:00-06:30"/);
    expectError(
      { awsBackupWindow: '03:30-04:30', maintenanceWindow: 'wed:10:00-wed:11:00' },
      'PostgresWithBackups test/Database: awsBackupWindow "03:30-04:30" overlaps backupWindow "03:00-04:00"; AWS Backup does not start RDS backups during the automated backup window, move awsBackupWindow',
    );
    expectError(
      { awsBackupWindow: '09:00-10:00', maintenanceWindow: 'wed:10:30-wed:11:00' },
      /awsBackupWindow "09:00-10:00" overlaps maintenanceWindow "wed:10:30-wed:11:00" or the hour before it/,
    );
  });

  test('the hour-before-maintenance rule wraps around the start of the week', () => {
    expectError(
      { awsBackupWindow: '23:00-00:00', maintenanceWindow: 'sun:00:30-sun:01:00' },
      /awsBackupWindow "23:00-00:00" overlaps maintenanceWindow "sun:00:30-sun:01:00" or the hour before it/,
    );
  });

  test('does not check the AWS Backup window when AWS Backup is off', () => {
    expect(() => build({ awsBackup: false, awsBackupWindow: '03:00-04:00' })).not.toThrow();
  });

  test('throws on identifiers that break RDS naming rules', () => {
    expectError(
      { identifier: 'Orders' },
      'PostgresWithBackups test/Database: identifier must be 1-63 lowercase letters, digits or hyphens, start with a letter, and have no "--" or trailing hyphen, got "Orders"',
    );
    for (const identifier of ['1orders', 'orders--db', 'orders-', 'orders_db', 'a'.repeat(64), '']) {
      expectError({ identifier, readReplicas: 0 }, /identifier must be 1-63 lowercase letters/);
    }
  });

  test('throws when the identifier leaves no room for replica names', () => {
    expectError(
      { identifier: 'a'.repeat(60), readReplicas: 2 },
      /identifier must leave room for the replica suffix "-replica-2" within RDS's 63 characters \(at most 53 characters\)/,
    );
    expect(() => build({ identifier: 'a'.repeat(63), readReplicas: 0 })).not.toThrow();
  });

  test('throws when max storage is below allocated storage', () => {
    expectError(
      { allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 },
      'PostgresWithBackups test/Database: maxAllocatedStorageGiB (100) must be at least allocatedStorageGiB (200); storage autoscaling only grows storage',
    );
  });

  test('throws on storage sizes gp3 does not allow', () => {
    expectError({ allocatedStorageGiB: 10 }, /allocatedStorageGiB must be an integer from 20 to 65536, got 10/);
    expectError({ maxAllocatedStorageGiB: 70000 }, /maxAllocatedStorageGiB must be an integer from 20 to 65536, got 70000/);
  });

  test('throws on an unsupported or malformed engine version', () => {
    expectError({ engineVersion: '13' }, 'PostgresWithBackups test/Database: engineVersion must have a supported major version (14, 15, 16, 17), got "13"');
    expectError({ engineVersion: '18.1' }, /engineVersion must have a supported major version \(14, 15, 16, 17\), got "18.1"/);
    expectError({ engineVersion: 'latest' }, /engineVersion must be a PostgreSQL version such as "17" \(newest minor\) or "17.4", got "latest"/);
  });

  test('throws on a monitoring interval RDS does not accept', () => {
    expectError(
      { monitoringIntervalSeconds: 2 },
      'PostgresWithBackups test/Database: monitoringIntervalSeconds must be one of 0, 1, 5, 10, 15, 30, 60 (seconds; 0 turns Enhanced Monitoring off), got 2',
    );
  });

  test('throws on more than 15 replicas', () => {
    expectError({ readReplicas: 16 }, /readReplicas must be an integer from 0 to 15, got 16/);
  });

  test('throws on a port RDS does not allow', () => {
    expectError({ port: 80 }, /port must be an integer from 1150 to 65535, got 80/);
  });

  test('throws on a malformed instance class', () => {
    expectError({ instanceClass: 'r6g.large' }, /instanceClass must be an RDS instance class such as "db.r6g.large", got "r6g.large"/);
  });

  test('throws when Performance Insights is on for a class that does not support it', () => {
    expectError(
      { instanceClass: 'db.t4g.micro' },
      'PostgresWithBackups test/Database: performanceInsights is not supported on instanceClass "db.t4g.micro"; use db.t4g.medium or larger, or set performanceInsights to false',
    );
    expect(() => build({ instanceClass: 'db.t4g.micro', performanceInsights: false })).not.toThrow();
  });

  test('throws on a Performance Insights retention RDS does not accept', () => {
    expectError({ performanceInsightsRetentionDays: 30 }, /performanceInsightsRetentionDays must be 7, a multiple of 31 from 31 to 713 \(months\), or 731, got 30/);
  });

  test('throws on a log retention CloudWatch Logs does not accept', () => {
    expectError({ logRetentionDays: 42 }, /logRetentionDays must be one of 1, 3, 5, 7, 14, 30, .*, got 42/);
  });

  test('throws on database and user names PostgreSQL on RDS rejects', () => {
    expectError({ databaseName: 'shop-db' }, /databaseName must be 1-63 letters, digits or underscores, starting with a letter, got "shop-db"/);
    expectError({ databaseName: 'template1' }, /databaseName must not be a reserved database/);
    expectError({ masterUsername: 'rdsadmin' }, /masterUsername must not be a role RDS reserves .*, got "rdsadmin"/);
    expectError({ masterUsername: '9admin' }, /masterUsername must be 1-63 letters, digits or underscores/);
  });

  test('throws on a disaster-recovery region that is malformed, the stack region or another partition', () => {
    expectError({ disasterRecoveryRegion: 'frankfurt' }, /disasterRecoveryRegion must be an AWS region name such as eu-central-1, got "frankfurt"/);
    expectError({ disasterRecoveryRegion: 'eu-west-1' }, /disasterRecoveryRegion must differ from the stack's region eu-west-1, got "eu-west-1"/);
    expectError({ disasterRecoveryRegion: 'cn-north-1' }, /disasterRecoveryRegion must be in the same AWS partition as the stack's region eu-west-1/);
  });

  test('throws when a disaster-recovery copy is asked for without AWS Backup', () => {
    expectError(
      { disasterRecoveryRegion: 'eu-central-1', awsBackup: false },
      'PostgresWithBackups test/Database: disasterRecoveryRegion "eu-central-1" needs awsBackup (the cross-region copy is part of the AWS Backup plan), but awsBackup is false',
    );
  });

  test('throws on retention days outside what AWS Backup and S3 accept', () => {
    expectError({ awsBackupRetentionDays: 0 }, /awsBackupRetentionDays must be an integer from 1 to 36500, got 0/);
    expectError({ dumpRetentionDays: 0 }, /dumpRetentionDays must be an integer from 1 to 36500, got 0/);
  });

  test('throws on a malformed parameter name or an empty value', () => {
    expectError({ parameters: { 'Work Mem': '1' } }, /parameters must have PostgreSQL parameter names .*, got "Work Mem"/);
    expectError({ parameters: { work_mem: '' } }, /parameters.work_mem must be a non-empty string, got ""/);
  });

  test('throws, naming the VPC, when the VPC has no isolated subnets', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, isolatedSubnets: false });
    expect(() => new PostgresWithBackups(stack, 'Database', { vpc })).toThrow(
      'VpcStack test/Network: has no DB subnet group because isolatedSubnets is false',
    );
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const stack = testStack();
    const vpc = networkIn(stack);
    expect(() => new PostgresWithBackups(stack, 'Bad', { vpc, monitoringIntervalSeconds: 3 })).toThrow();
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});

// Offline terraform plan: this construct's configuration is planned with the others in one
// stack, in test/offline/constructs-plan.test.ts.

describe('AWS Backup restore testing', () => {
  test('production: weekly, the newest recovery point of the vault, restored with the backup role', () => {
    const { synth, db } = build();
    expect(onlyResourceOf(synth, 'aws_backup_restore_testing_plan')).toMatchObject({
      name: 'shop_production_database',
      schedule_expression: 'cron(0 8 ? * TUE *)',
      schedule_expression_timezone: 'Etc/UTC',
      recovery_point_selection: [
        { algorithm: 'LATEST_WITHIN_WINDOW', include_vaults: [refTo(synth, 'aws_backup_vault', 'Database/BackupVault', 'arn')], recovery_point_types: ['SNAPSHOT'], selection_window_days: 7 },
      ],
    });
    expect(onlyResourceOf(synth, 'aws_backup_restore_testing_selection')).toMatchObject({
      restore_testing_plan_name: refTo(synth, 'aws_backup_restore_testing_plan', 'Database/BackupRestoreTestingPlan', 'name'),
      protected_resource_type: 'RDS',
      protected_resource_arns: [refTo(synth, 'aws_db_instance', 'Database/Resource', 'arn')],
      iam_role_arn: refTo(synth, 'aws_iam_role', 'Database/BackupRole', 'arn'),
      // Into the database's subnets behind a group that admits nothing, never the default VPC.
      restore_metadata_overrides: {
        dbsubnetgroupname: refTo(synth, 'aws_db_subnet_group', 'Network/DbSubnetGroup', 'name'),
        vpcsecuritygroupids: `["${refTo(synth, 'aws_security_group', 'Database/RestoreTestingSecurityGroup', 'id')}"]`,
      },
    });
    const group = resourceAt(synth, 'aws_security_group', 'Database/RestoreTestingSecurityGroup');
    expect(group.ingress).toBeUndefined();
    expect(resourcesOf(synth, 'aws_vpc_security_group_ingress_rule').concat(resourcesOf(synth, 'aws_vpc_security_group_egress_rule'))
      .filter((r) => r.security_group_id === refTo(synth, 'aws_security_group', 'Database/RestoreTestingSecurityGroup', 'id'))).toEqual([]);
    expect(db.awsBackupRestoreTestingSchedule).toBe('cron(0 8 ? * TUE *)');
  });

  test('staging: monthly; development: none, unless asked', () => {
    expect(onlyResourceOf(build({}, EnvironmentTier.STAGING).synth, 'aws_backup_restore_testing_plan').schedule_expression).toBe('cron(0 8 ? * 3#1 *)');
    expect(resourcesOf(build({}, EnvironmentTier.DEVELOPMENT).synth, 'aws_backup_restore_testing_plan')).toEqual([]);
    const asked = build({ awsBackupRestoreTesting: true, awsBackupRestoreTestingSchedule: 'rate(14 days)' }, EnvironmentTier.DEVELOPMENT);
    expect(onlyResourceOf(asked.synth, 'aws_backup_restore_testing_plan').schedule_expression).toBe('rate(14 days)');
  });

  test('bad combinations and schedules are refused at synth', () => {
    expect(() => build({ awsBackup: false, awsBackupRestoreTesting: true })).toThrow(/awsBackupRestoreTesting is true, but awsBackup is false/);
    expect(() => build({ awsBackupRestoreTestingSchedule: '0 8 * * 2' })).toThrow(/awsBackupRestoreTestingSchedule must be an AWS schedule expression.*got "0 8 \* \* 2"/);
    expect(() => build({ awsBackupRestoreTesting: false, awsBackupRestoreTestingSchedule: 'rate(7 days)' })).toThrow(/awsBackupRestoreTestingSchedule must be left out: restore testing is off/);
  });
});

describe('PostgreSQL 14 and 15: still offered by RDS, with the end of standard support named', () => {
  test.each([
    ['14', 'postgres14', '2027-02-28'],
    ['15', 'postgres15', '2028-02-29'],
  ])('engineVersion %s is accepted, with its parameter family and a warning naming %s', (version, family, date) => {
    const { synth, stack } = build({ engineVersion: version });
    expect(onlyResourceOf(synth, 'aws_db_parameter_group').family).toBe(family);
    expect(resourceAt(synth, 'aws_db_instance', 'Database/Resource').engine_version).toBe(version);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining(`[GW-PG-STANDARD-SUPPORT-ENDING] PostgreSQL ${version}: RDS standard support ends on ${date}`));
  });

  test('16 and 17 carry no such warning', () => {
    for (const version of ['16', '17']) {
      expect(warningsOf(build({ engineVersion: version }).stack).join('\n')).not.toContain('GW-PG-STANDARD-SUPPORT-ENDING');
    }
  });
});
