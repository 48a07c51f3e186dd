import { BackupPlan, BackupPlanRuleCopyAction } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupRestoreTestingPlan } from '@cdktf/provider-aws/lib/backup-restore-testing-plan';
import { BackupRestoreTestingSelection } from '@cdktf/provider-aws/lib/backup-restore-testing-selection';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { DbInstance, DbInstanceConfig } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn, ITerraformDependable, TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { PG_BURSTABLE_INSTANCE } from '../checks/rules/constructs/pg-burstable-instance';
import { PG_NO_AWS_BACKUP } from '../checks/rules/constructs/pg-no-aws-backup';
import { PG_NO_BACKUPS } from '../checks/rules/constructs/pg-no-backups';
import { PG_NO_DELETION_PROTECTION } from '../checks/rules/constructs/pg-no-deletion-protection';
import { PG_NO_DR_COPY } from '../checks/rules/constructs/pg-no-dr-copy';
import { PG_NO_ENHANCED_MONITORING } from '../checks/rules/constructs/pg-no-enhanced-monitoring';
import { PG_NO_FINAL_SNAPSHOT } from '../checks/rules/constructs/pg-no-final-snapshot';
import { PG_NO_PERFORMANCE_INSIGHTS } from '../checks/rules/constructs/pg-no-performance-insights';
import { PG_NO_PG_STAT_STATEMENTS } from '../checks/rules/constructs/pg-no-pg-stat-statements';
import { PG_PINNED_MINOR_VERSION } from '../checks/rules/constructs/pg-pinned-minor-version';
import { PG_SINGLE_AZ } from '../checks/rules/constructs/pg-single-az';
import { PG_STANDARD_SUPPORT_ENDING } from '../checks/rules/constructs/pg-standard-support-ending';
import { PG_TLS_NOT_FORCED } from '../checks/rules/constructs/pg-tls-not-forced';
import { DataStoreConnection, DataStoreConnectRequest, IConnectable, IServiceDataStore } from '../core/connections';
import { EncryptionKey } from '../core/encryption-key';
import { EnvironmentTier } from '../core/environment';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { ResourceMoves } from '../core/moves';
import { Naming } from '../core/naming';
import { addressAt } from '../core/private/addresses';
import { checkIntegerInRange, constructLabel, invalidCombination, invalidProp } from '../core/private/errors';
import { checkLogRetentionDays } from '../core/private/log-retention';
import { pathInStack as pathOf } from '../core/private/paths';
import { PeerIngressRules } from '../core/private/peer-ingress';
import { policyDocument, viaSecretsManager } from '../core/private/policy';
import { checkSecurityGroupName } from '../core/private/security-group-name';
import { checkWindowsDoNotOverlap, ParsedWindow, parseDailyWindow, parseWeeklyWindow, shiftWeeklyWindow } from '../core/private/windows';
import { SecureBucket } from '../core/secure-bucket';
import type { DatabaseJobs } from '../database-jobs/database-jobs';
import { rdsInstanceMemoryBytes } from '../monitoring-stack/private/alarm-instance-sizes';
import { defaultPostgresMaxConnections, literalMaxConnections } from '../monitoring-stack/private/alarm-thresholds';
import { checkServiceInSameVpc } from '../vpc-stack/private/same-vpc';
import { VpcStack } from '../vpc-stack/vpc-stack';
import { PostgresProxy, resolveProxyOptions } from './postgres-proxy';
import { PostgresWithBackupsProps } from './postgres-with-backups-props';
import {
  checkInstanceClass,
  DEFAULT_ENGINE_VERSION,
  defaultInstanceClass,
  END_OF_STANDARD_SUPPORT,
  isBurstable,
  isValidPerformanceInsightsRetention,
  MAJORS_NEAR_END_OF_SUPPORT,
  MONITORING_INTERVALS,
  ParsedEngineVersion,
  parseEngineVersion,
  supportsPerformanceInsights,
} from './private/engine';
import { mergeParameters, ResolvedParameter } from './private/parameters';
import { recoveryObjectives } from './private/recovery';
import {
  checkAwsBackupWindow,
  checkDatabaseName,
  checkDisasterRecoveryRegion,
  checkIdentifier,
  checkMasterUsername,
  defaultDumpRetentionDays,
  dumpTransitionDays,
  IAM_DATABASE_USER_PATTERN,
  MAX_REPLICAS,
  REPLICA_SUFFIX_LENGTH,
  RESERVED_USERNAMES,
} from './private/validation';

// The props live in a file of their own; this module still exports them.
export { PostgresWithBackupsProps } from './postgres-with-backups-props';

/**
 * The certificate authority that signs the instance's server certificate. All three support
 * automatic server certificate rotation; clients verify against the RDS trust bundle.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
 */
export enum RdsCaCertificate {
  /** RSA 2048 / SHA-256: the RDS default, accepted by every client. */
  RSA2048_G1 = 'rds-ca-rsa2048-g1',
  /** RSA 4096 / SHA-384. */
  RSA4096_G1 = 'rds-ca-rsa4096-g1',
  /** ECC 384 / SHA-384: smallest handshake; needs a client with ECDSA support. */
  ECC384_G1 = 'rds-ca-ecc384-g1',
}

/**
 * One way to lose data, and how far back (RPO) and how fast (RTO) the database comes back, as
 * {@link PostgresWithBackups.recoveryObjectives} derives them from the settings.
 */
export interface RecoveryObjective {
  /** What was lost. */
  readonly scenario: string;
  /** What brings it back. */
  readonly mechanism: string;
  /** How much data may be lost, in words. */
  readonly recoveryPoint: string;
  /** The worst case in minutes, when there is one (undefined when the scenario is not covered). */
  readonly recoveryPointMinutes?: number;
  /** How long until the database serves again. */
  readonly recoveryTime: string;
  /** How far back a restore can reach, in days (0 when not covered). */
  readonly reachDays: number;
}


const LOG_EXPORTS = ['postgresql', 'upgrade'];

/** Replicas, identifier, engine, instance class and storage, after defaults and checks. */
interface ResolvedInstanceProps {
  readonly replicaCount: number;
  readonly identifier: string;
  readonly engine: ParsedEngineVersion;
  readonly instanceClass: string;
  /** Whether the instance class is a literal (not a token). */
  readonly instanceClassKnown: boolean;
  readonly performanceInsights: boolean;
  readonly performanceInsightsRetention: number;
  readonly port: number;
  readonly allocatedStorage: number;
  readonly maxAllocatedStorage: number;
}

/** Automated backups, windows, monitoring, logs, database and parameters, after defaults and checks. */
interface ResolvedOperationProps {
  readonly backupRetention: number;
  readonly maintenanceWindow: ParsedWindow;
  readonly backupWindow: ParsedWindow;
  readonly monitoringInterval: number;
  readonly logRetention: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly parameters: ResolvedParameter[];
}

/** AWS Backup, restore testing, the disaster-recovery copy and the dumps, after defaults and checks. */
interface ResolvedBackupProps {
  readonly awsBackup: boolean;
  readonly awsBackupRetention: number;
  readonly awsBackupWindow: ParsedWindow;
  readonly restoreTestingSchedule: string;
  readonly restoreTesting: boolean;
  readonly drRegion?: string;
  readonly dumpRetention: number;
}

/** The props of a PostgresWithBackups after defaults, validated before any resource exists. */
interface ResolvedPostgresProps extends ResolvedInstanceProps, ResolvedOperationProps, ResolvedBackupProps {
  readonly dbSubnetGroupName: string;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly preventDestroy: boolean;
  readonly finalSnapshot: boolean;
  readonly autoMinorVersionUpgrade: boolean;
  readonly caCertIdentifier: string;
  readonly applyImmediately: boolean;
  readonly proxyOptions?: ReturnType<typeof resolveProxyOptions>;
}

/** Settings the primary and the replicas share. */
type SharedInstanceSettings = Pick<
  DbInstanceConfig,
  | 'instanceClass'
  | 'port'
  | 'storageType'
  | 'storageEncrypted'
  | 'maxAllocatedStorage'
  | 'dbSubnetGroupName'
  | 'vpcSecurityGroupIds'
  | 'publiclyAccessible'
  | 'parameterGroupName'
  | 'maintenanceWindow'
  | 'autoMinorVersionUpgrade'
  | 'applyImmediately'
  | 'caCertIdentifier'
  | 'copyTagsToSnapshot'
  | 'iamDatabaseAuthenticationEnabled'
  | 'enabledCloudwatchLogsExports'
  | 'monitoringInterval'
  | 'monitoringRoleArn'
  | 'performanceInsightsEnabled'
  | 'performanceInsightsKmsKeyId'
  | 'performanceInsightsRetentionPeriod'
>;

/** max_connections as set, or the RDS default for the instance class's memory when known. */
function maxConnectionsOf(maxConnectionsParameter: string | undefined, resolved: ResolvedPostgresProps): number | undefined {
  const memoryBytes = resolved.instanceClassKnown ? rdsInstanceMemoryBytes(resolved.instanceClass) : undefined;
  return (
    literalMaxConnections(maxConnectionsParameter) ??
    (maxConnectionsParameter === undefined && memoryBytes !== undefined ? defaultPostgresMaxConnections(memoryBytes) : undefined)
  );
}

/**
 * RDS for PostgreSQL that cannot lose data.
 *
 * - In the VPC's isolated subnets, never publicly accessible, behind a security group with no
 *   rules until {@link PostgresWithBackups.allowConnectionsFrom} adds one per peer.
 * - Storage, Performance Insights, the RDS-managed master user secret and the AWS Backup
 *   vault encrypted with one rotating customer-managed key; TLS forced by the parameter
 *   group; IAM database authentication on.
 * - Multi-AZ, read replicas, deletion protection and `prevent_destroy` from the environment
 *   preset; a final snapshot with a stable name; automated backups with point-in-time
 *   recovery that outlive the instance.
 * - AWS Backup daily recovery points, optionally copied to a vault in a second region, the
 *   vaults locked in governance mode by preset; and a versioned, KMS-encrypted, TLS-only S3
 *   bucket for logical dumps and exports.
 * - PostgreSQL and upgrade logs exported to pre-created, KMS-encrypted log groups with
 *   retention; Enhanced Monitoring with its own role.
 *
 * Child IDs: `Key`, `SecurityGroup`, `ParameterGroup`, `MonitoringRole`,
 * `MonitoringRolePolicy`, `LogGroup-postgresql`, `LogGroup-upgrade`, `Resource` (the primary),
 * `Replica-<n>` with `Replica-<n>-LogGroup-postgresql` / `-upgrade`, `IngressFrom-<peer>`,
 * `BackupBucket`, `BackupVault`, `BackupVaultLock`, `BackupRole`, `BackupRolePolicy`,
 * `BackupRoleRestoresPolicy`, `BackupPlan`, `BackupSelection`, `BackupRestoreTestingPlan`,
 * `BackupRestoreTestingSelection`, `RestoreTestingSecurityGroup`, `DisasterRecoveryProvider`,
 * `DisasterRecoveryKey`, `DisasterRecoveryVault`, `DisasterRecoveryVaultLock`, and the outputs `EndpointOutput`, `ReaderEndpointsOutput`,
 * `PortOutput`, `DatabaseNameOutput`, `MasterSecretArnOutput`, `SecurityGroupIdOutput`,
 * `KmsKeyArnOutput`, `BackupBucketNameOutput`.
 *
 * @example
 * const db = new PostgresWithBackups(stack, 'Database', { vpc: network, disasterRecoveryRegion: 'eu-central-1' });
 * db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(cluster.nodeSecurityGroupId, 'EKS nodes'));
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_BestPractices.html
 */
export class PostgresWithBackups extends Construct implements IServiceDataStore {
  /** The DB instance identifier of the primary. */
  public readonly identifier: string;
  /** The identifiers of the read replicas, in order. */
  public readonly replicaIdentifiers: string[];
  /** The primary's ARN. */
  public readonly instanceArn: string;
  /** The primary's DBI resource ID, used in `rds-db:connect` IAM policies for IAM authentication. */
  public readonly resourceId: string;
  /** Hostname of the primary (writer). */
  public readonly endpoint: string;
  /** Hostnames of the read replicas, in order (empty without replicas). */
  public readonly readerEndpoints: string[];
  /** The port PostgreSQL listens on. */
  public readonly port: number;
  /** Name of the database created with the instance. */
  public readonly databaseName: string;
  /** Name of the master user. */
  public readonly masterUsername: string;
  /** ARN of the Secrets Manager secret with the master user's credentials, managed and rotated by RDS. */
  public readonly masterSecretArn: string;
  /** ID of the security group of the instance and its replicas. */
  public readonly securityGroupId: string;
  /** ARN of the KMS key that encrypts storage, Performance Insights, the master secret and the backup vault. */
  public readonly kmsKeyArn: string;
  /** The KMS key (grant `kms:Decrypt` on it to readers of the master secret). */
  public readonly key: EncryptionKey;
  /** The bucket for logical dumps and snapshot exports. */
  public readonly backupBucket: SecureBucket;
  /** Name of the bucket for logical dumps and snapshot exports. */
  public readonly backupBucketName: string;
  /** Days a logical dump stays in the backup bucket before its lifecycle rule expires it. */
  public readonly dumpRetentionDays: number;
  /** ARN of the AWS Backup vault, when AWS Backup is on. */
  public readonly backupVaultArn?: string;
  /** ARN of the disaster-recovery vault in the second region, when configured. */
  public readonly disasterRecoveryVaultArn?: string;
  /** A synchronous standby in a second Availability Zone. */
  public readonly multiAz: boolean;
  /** Days of automated backups and point-in-time recovery (0: none). */
  public readonly backupRetentionDays: number;
  /** Days AWS Backup keeps each recovery point, when AWS Backup is on. */
  public readonly awsBackupRetentionDays?: number;
  /** The AWS Backup vaults are locked in governance mode. */
  public readonly awsBackupVaultLocked: boolean;
  /** The region that receives a copy of every AWS Backup recovery point, when configured. */
  public readonly disasterRecoveryRegion?: string;
  /** Name of the AWS Backup vault, when AWS Backup is on. */
  public readonly backupVaultName?: string;
  /** The AWS Backup schedule (`cron(...)`), when AWS Backup is on. */
  public readonly awsBackupSchedule?: string;
  /** The restore testing schedule, when restore testing is on. */
  public readonly awsBackupRestoreTestingSchedule?: string;
  /** The engine's major version, e.g. 17. */
  public readonly engineMajorVersion: number;
  /** Name of the DB parameter group. */
  public readonly parameterGroupName: string;
  /** Number of read replicas created. */
  public readonly readReplicaCount: number;
  /** The instance class of the primary and the replicas, e.g. "db.r6g.large". */
  public readonly instanceClass: string;
  /**
   * Storage allocated at creation, in GiB. Storage autoscaling may have grown it since, up to
   * {@link maxAllocatedStorageGiB}.
   */
  public readonly allocatedStorageGiB: number;
  /** The storage autoscaling limit, in GiB (equal to {@link allocatedStorageGiB} when autoscaling is off). */
  public readonly maxAllocatedStorageGiB: number;
  /** The PostgreSQL parameters in effect (the defaults merged with the `parameters` prop), by name. */
  public readonly parameters: { [name: string]: string };
  /** The primary DB instance resource. */
  public readonly resource: DbInstance;
  /** The read replica resources, in order. */
  public readonly replicas: DbInstance[];

  /** The VPC ID the database lives in. */
  public readonly vpcId: string;
  /**
   * Connections the primary accepts: the literal `max_connections` parameter, or RDS's default
   * for the instance class (LEAST(DBInstanceClassMemory/9531392, 5000)); undefined when neither
   * is known at synth (a formula, or a class missing from the size table).
   */
  public readonly maxConnections?: number;
  /** The RDS Proxy in front of the primary, with the `proxy` prop. */
  public readonly proxy?: PostgresProxy;

  private readonly securityGroup: SecurityGroup;
  private readonly subnetCidrs: string[];
  /** The prefix of its keys in a service's connection Secret (`DATABASE_HOST`, ...). */
  public readonly connectionKeyPrefix: string = 'DATABASE';

  private readonly ingress: PeerIngressRules;
  /** The users that connect to the instances directly (rds_iam roles), never through the proxy. */
  private readonly directUsers = new Set<string>();

  constructor(scope: Construct, id: string, props: PostgresWithBackupsProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    const preset = stack.preset;
    const pathInStack = pathOf(this, stack);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(stack, pathInStack, props);
    const { identifier, engine, parameters, awsBackup } = resolved;
    this.warnAboutRiskyChoices(this.riskyChoicesOf(resolved, preset.isProduction));

    // ---- Key, network, parameters ----
    this.key = this.createKey(resolved);
    this.securityGroup = this.createSecurityGroup(props.vpc.vpcId, resolved);
    const parameterGroup = this.createParameterGroup(resolved);

    // ---- Enhanced Monitoring ----
    const monitoring = this.createMonitoring(stack, resolved);

    // ---- The instances ----
    const logKey = this.createLogKey(resolved);
    const common = this.sharedInstanceSettings(resolved, parameterGroup, monitoring.roleArn);
    this.resource = this.createPrimary(props, resolved, common, logKey, monitoring.dependencies);
    this.replicas = this.createReplicas(props, resolved, common, logKey, monitoring.dependencies);

    // ---- Bucket for logical dumps and exports ----
    this.backupBucket = this.createBackupBucket(resolved);

    // ---- AWS Backup ----
    if (awsBackup) {
      const vaults = this.createAwsBackup(stack, {
        identifier,
        retentionDays: resolved.awsBackupRetention,
        window: resolved.awsBackupWindow,
        drRegion: resolved.drRegion,
        preventDestroy: resolved.preventDestroy,
        vaultLock: props.awsBackupVaultLock ?? preset.deletionProtection,
        restoreTestingSchedule: resolved.restoreTesting ? resolved.restoreTestingSchedule : undefined,
        vpcId: props.vpc.vpcId,
        dbSubnetGroupName: resolved.dbSubnetGroupName,
      });
      this.backupVaultArn = vaults.vaultArn;
      this.backupVaultName = vaults.vaultName;
      this.awsBackupSchedule = vaults.schedule;
      this.awsBackupRestoreTestingSchedule = resolved.restoreTesting ? resolved.restoreTestingSchedule : undefined;
      this.disasterRecoveryVaultArn = vaults.disasterRecoveryVaultArn;
    }

    // ---- Attributes ----
    this.identifier = identifier;
    this.replicaIdentifiers = this.replicas.map((_, i) => `${identifier}-replica-${i + 1}`);
    this.readReplicaCount = resolved.replicaCount;
    this.instanceClass = resolved.instanceClass;
    this.allocatedStorageGiB = resolved.allocatedStorage;
    this.maxAllocatedStorageGiB = resolved.maxAllocatedStorage;
    this.parameters = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
    this.instanceArn = this.resource.arn;
    this.resourceId = this.resource.resourceId;
    this.vpcId = props.vpc.vpcId;
    // The isolated tier where a VpcStack gives its CIDR blocks; the whole VPC otherwise.
    this.subnetCidrs = props.vpc instanceof VpcStack && props.vpc.isolatedSubnetCidrs.length > 0 ? props.vpc.isolatedSubnetCidrs : [props.vpc.cidr];
    this.maxConnections = maxConnectionsOf(this.parameters.max_connections, resolved);
    this.endpoint = this.resource.address;
    this.readerEndpoints = this.replicas.map((r) => r.address);
    this.port = resolved.port;
    this.databaseName = resolved.databaseName;
    this.masterUsername = resolved.masterUsername;
    this.masterSecretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.securityGroupId = this.securityGroup.id;
    this.ingress = new PeerIngressRules(this, this.securityGroupId, resolved.port, 'PostgreSQL');
    const proxy = this.createProxy(props, resolved, logKey);
    if (proxy !== undefined) {
      this.proxy = proxy;
      this.ingress.allow(this.proxy, 'Proxy');
    }
    this.kmsKeyArn = this.key.keyArn;
    this.backupBucketName = this.backupBucket.bucketName;
    this.dumpRetentionDays = resolved.dumpRetention;
    this.multiAz = resolved.multiAz;
    this.backupRetentionDays = resolved.backupRetention;
    this.awsBackupRetentionDays = awsBackup ? resolved.awsBackupRetention : undefined;
    this.disasterRecoveryRegion = resolved.drRegion;
    this.awsBackupVaultLocked = awsBackup && (props.awsBackupVaultLock ?? preset.deletionProtection);
    this.engineMajorVersion = engine.major;
    this.parameterGroupName = parameterGroup.name;

    this.createOutputs(pathInStack);
  }

  /**
   * How far back and how fast this database comes back, per way of losing data, derived from
   * its settings: Multi-AZ, point-in-time recovery, AWS Backup (and its restore testing), the
   * disaster-recovery copy, and the logical backups of `jobs` when given. The README's table
   * per environment is generated from this.
   *
   * @param jobs the cluster's jobs for this database (logical dumps), if any
   */
  public recoveryObjectives(jobs?: DatabaseJobs): RecoveryObjective[] {
    if (jobs !== undefined && jobs.database !== this) {
      invalidProp(this, 'recoveryObjectives(jobs)', `be the jobs of this database, not of ${constructLabel(jobs.database)}`, jobs.node.path);
    }
    const dailyMinutes = 24 * 60;
    return recoveryObjectives({
      multiAz: this.multiAz,
      backupRetentionDays: this.backupRetentionDays,
      awsBackup: this.backupVaultArn !== undefined,
      awsBackupRetentionDays: this.awsBackupRetentionDays ?? 0,
      vaultLocked: this.awsBackupVaultLocked,
      awsBackupIntervalMinutes: dailyMinutes,
      disasterRecoveryRegion: this.disasterRecoveryRegion,
      restoreTesting: this.awsBackupRestoreTestingSchedule !== undefined,
      logical:
        jobs?.backupMaxIntervalMinutes !== undefined
          ? {
              maxIntervalMinutes: jobs.backupMaxIntervalMinutes,
              deadlineMinutes: jobs.jobDeadlineMinutes,
              retentionDays: this.dumpRetentionDays,
              verified: jobs.verificationSchedule !== undefined,
            }
          : undefined,
    });
  }

  /**
   * An IAM policy document (JSON) that lets a role sign in as one database user with IAM
   * database authentication (`rds-db:connect`), on the primary and every read replica. Attach
   * it to the workload's role, for example the EKS service account role of the app, so the app
   * needs no password and never reads the master user secret.
   *
   * The user must exist in PostgreSQL with the `rds_iam` role
   * (`CREATE USER app_user; GRANT rds_iam TO app_user;`), created by a migration: Terraform
   * has no connection to the database.
   *
   * @param databaseUser the PostgreSQL user name; not the master user, which is for
   *   administration only
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  public connectPolicyJson(databaseUser: string): string {
    this.checkIamUser('connectPolicyJson(databaseUser)', databaseUser, 'the workload');
    const stack = GroundworkStack.ofConstruct(this);
    const userArn = (resourceId: string) =>
      `arn:${stack.partition}:rds-db:${stack.region}:${stack.accountId}:dbuser:${resourceId}/${databaseUser}`;
    return policyDocument([
      {
        Sid: 'ConnectToPostgresWithIam',
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: [this.resource, ...this.replicas].map((instance) => userArn(instance.resourceId)),
      },
    ]);
  }

  /**
   * Admits a service of an AppCluster: an ingress rule from its peer (pod security group or the
   * cluster's nodes), and IAM sign-in as `request.user` on the primary and every replica. The
   * connection values are `HOST`, `PORT`, `NAME`, `USER`, `IAM_AUTH` ("true") and
   * `READER_HOSTS` (comma-separated, when there are replicas), under the prefix `DATABASE` by
   * default. Called by `AppService.connectTo(database, { user })`; call that instead.
   *
   * @param request who connects, from where, as which user (required: a PostgreSQL role of its own)
   */
  public connectService(request: DataStoreConnectRequest): DataStoreConnection {
    checkServiceInSameVpc(this, this.vpcId, request.serviceName, request.vpcId, 'this database');
    const userProperty = 'connectTo(options.user)';
    if (request.user === undefined) {
      invalidProp(this, userProperty, 'be given: the PostgreSQL role the service signs in as with IAM (e.g. "orders_app")', request.user);
    }
    this.checkIamUser(userProperty, request.user, 'the service');
    const migrationUser = request.migrationUser;
    if (migrationUser !== undefined) {
      const migrationProperty = 'connectTo(options.migrationUser)';
      this.checkIamUser(migrationProperty, migrationUser, 'the migrations');
      if (migrationUser === request.user) {
        invalidProp(this, migrationProperty, `differ from user "${request.user}": the migration user owns the schema, the service's user only its rows`, migrationUser);
      }
    }
    const viaProxy = this.checkConnectionPath(request.user, request.throughProxy);
    if (viaProxy !== undefined) return this.proxyConnection(viaProxy, request.user, request);
    // The migration user's sign-in goes to the migrations' own identity (its own request).
    const policyJson = this.connectPolicyJson(request.user);
    this.allowConnectionsFrom(request.peer);
    return {
      description: `PostgreSQL ${this.identifier}`,
      values: {
        HOST: this.endpoint,
        PORT: String(this.port),
        NAME: this.databaseName,
        USER: request.user,
        ...(migrationUser === undefined ? {} : { MIGRATION_USER: migrationUser }),
        IAM_AUTH: 'true',
        ...(this.replicas.length > 0 ? { READER_HOSTS: Token.asString(Fn.join(',', this.readerEndpoints)) } : {}),
      },
      policyJson,
      port: this.port,
      subnetCidrs: this.subnetCidrs,
      securityGroupId: this.securityGroupId,
      maxConnections: this.maxConnections,
    };
  }

  /**
   * The proxy a user connects through, or undefined for a direct connection; throws when the
   * user already connects the other way (one PostgreSQL role cannot be both a password role
   * for the proxy and an `rds_iam` role) or asks for a proxy the database does not have.
   */
  private checkConnectionPath(user: string, throughProxy: boolean | undefined): PostgresProxy | undefined {
    if (throughProxy === true && this.proxy === undefined) {
      invalidProp(this, 'connectTo(options.throughProxy)', 'be left out or false: this database has no proxy (set its proxy prop)', throughProxy);
    }
    const viaProxy = throughProxy === true ? this.proxy : undefined;
    const proxied = this.proxy?.users.includes(user) ?? false;
    if ((viaProxy !== undefined && this.directUsers.has(user)) || (viaProxy === undefined && proxied)) {
      invalidProp(
        this,
        'connectTo(options.user)',
        `connect one way only: "${user}" already connects ${proxied ? 'through the proxy' : 'directly'} (through the proxy a user is a password role, ` +
          'directly an rds_iam role); give this connection a user of its own, or the same throughProxy',
        user,
      );
    }
    if (viaProxy === undefined) this.directUsers.add(user);
    return viaProxy;
  }

  /**
   * A service's connection through the proxy: IAM sign-in at the proxy (`rds-db:connect` on the
   * proxy's resource ID), an ingress rule on the proxy's security group, and the user registered
   * with the proxy. No `READER_HOSTS`: the user is not an `rds_iam` role, so the replicas do not
   * take its IAM sign-in. No `maxConnections`: the proxy bounds what reaches the database.
   */
  private proxyConnection(proxy: PostgresProxy, user: string, request: DataStoreConnectRequest): DataStoreConnection {
    const stack = GroundworkStack.ofConstruct(this);
    proxy._addUser(user, `service ${request.serviceName}`);
    const rule = proxy._admit(request.peer);
    if (rule !== undefined) {
      // A service that connected directly before the proxy existed had a rule on the database's
      // group: moved here, its address survives (Terraform replaces the rule, which now sits on
      // the proxy's group), and a state that never had it ignores the block. Not written when
      // the database admits the same peer itself (the database jobs on the cluster's nodes).
      const previous = addressAt('aws_vpc_security_group_ingress_rule', [...pathOf(this, stack), this.ingress.ruleIdFor(request.peer)]);
      ResourceMoves._moveFromUnlessDeclared(rule, previous);
    }
    return {
      description: `PostgreSQL ${this.identifier} through RDS Proxy`,
      values: {
        HOST: proxy.endpoint,
        PORT: String(this.port),
        NAME: this.databaseName,
        USER: user,
        ...(request.migrationUser === undefined ? {} : { MIGRATION_USER: request.migrationUser }),
        IAM_AUTH: 'true',
      },
      policyJson: policyDocument([
        {
          Sid: 'ConnectThroughRdsProxyWithIam',
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: `arn:${stack.partition}:rds-db:${stack.region}:${stack.accountId}:dbuser:${proxy.resourceId}/${user}`,
        },
      ]),
      port: this.port,
      subnetCidrs: this.subnetCidrs,
      securityGroupId: proxy.securityGroupId,
    };
  }

  /**
   * Admits the library's users Job (DatabaseJobs), the one workload that signs in as the master
   * user: an ingress rule from its peer, and a policy that reads the RDS-managed master secret
   * (and decrypts it, through Secrets Manager only). Values: `HOST`, `PORT`, `NAME`,
   * `MASTER_SECRET_ARN`.
   *
   * @internal
   */
  public _masterConnection(request: DataStoreConnectRequest): DataStoreConnection {
    return this.passwordConnection(request, `PostgreSQL ${this.identifier} as its master user`, this.masterSecretArn, 'MasterSecret', {
      MASTER_SECRET_ARN: this.masterSecretArn,
    });
  }

  /**
   * Admits the metrics exporter of DatabaseJobs, which signs in with a password (postgres_exporter
   * has no IAM authentication) kept in `secretArn`: an ingress rule from its peer, and a policy
   * that reads that secret. Values: `HOST`, `PORT`, `NAME`, `MONITORING_SECRET_ARN`, and
   * `READER_HOST_<n>` per replica, so each instance gets an exporter of its own.
   *
   * @internal
   */
  public _monitorConnection(request: DataStoreConnectRequest, secretArn: string): DataStoreConnection {
    return this.passwordConnection(
      request,
      `PostgreSQL ${this.identifier} for its metrics exporter`,
      secretArn,
      'MonitoringSecret',
      { MONITORING_SECRET_ARN: secretArn, ...Object.fromEntries(this.readerEndpoints.map((host, i) => [`READER_HOST_${i + 1}`, host])) },
    );
  }

  /** A connection that signs in with a password from a secret this database's key encrypts. */
  private passwordConnection(
    request: DataStoreConnectRequest,
    description: string,
    secretArn: string,
    sidPrefix: string,
    extraValues: { [key: string]: string },
  ): DataStoreConnection {
    checkServiceInSameVpc(this, this.vpcId, request.serviceName, request.vpcId, 'this database');
    this.allowConnectionsFrom(request.peer);
    const stack = GroundworkStack.ofConstruct(this);
    return {
      description,
      values: { HOST: this.endpoint, PORT: String(this.port), NAME: this.databaseName, ...extraValues },
      policyJson: policyDocument([
        { Sid: `Read${sidPrefix}`, Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArn },
        {
          Sid: `Decrypt${sidPrefix}ThroughSecretsManager`,
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: this.kmsKeyArn,
          Condition: viaSecretsManager(stack.region),
        },
      ]),
      port: this.port,
      subnetCidrs: this.subnetCidrs,
      securityGroupId: this.securityGroupId,
    };
  }

  /**
   * Throws unless `user` is a PostgreSQL role a workload may sign in as with IAM: a role name,
   * and neither the master user nor a role RDS reserves. `property` is the option as the
   * consumer wrote it; `who` says whose user it is.
   */
  private checkIamUser(property: string, user: string, who: string): void {
    if (Token.isUnresolved(user) || !IAM_DATABASE_USER_PATTERN.test(user)) {
      invalidProp(this, property, 'be a PostgreSQL role name: 1-63 lowercase letters, digits or underscores, not starting with a digit', user);
    }
    if (user === this.masterUsername.toLowerCase() || RESERVED_USERNAMES.includes(user)) {
      invalidProp(
        this,
        property,
        `not be the master user "${this.masterUsername}" or a role RDS reserves: give ${who} a user of its own with only the privileges it needs`,
        user,
      );
    }
  }

  /**
   * Allows PostgreSQL connections from a peer: one ingress rule on the DB port from the
   * peer's security group, described with the peer's description. Calling it again for the
   * same peer does nothing.
   *
   * The rule's construct ID is `IngressFrom-<key>`, where the key is `ruleId` when given,
   * otherwise the peer's construct path (for constructs of this library), its literal
   * security group ID, or its literal description, in that order. A peer whose security group
   * ID and description are both tokens needs a `ruleId` (synth fails without one): an ID drawn
   * from call order would rename the rule when the calls change order.
   *
   * @param peer what connects: `SecurityGroupPeer.fromSecurityGroupId(...)` or a construct implementing IConnectable
   * @param ruleId a stable ID for the rule; by default derived from the peer as described above
   */
  public allowConnectionsFrom(peer: IConnectable, ruleId?: string): void {
    this.ingress.allow(peer, ruleId);
  }

  /** The props with their defaults, all checked before any resource exists. */
  private resolveProps(stack: GroundworkStack, pathInStack: string[], props: PostgresWithBackupsProps): ResolvedPostgresProps {
    const preset = stack.preset;
    const isDevelopment = stack.environment === EnvironmentTier.DEVELOPMENT;
    const instance = this.resolveInstanceProps(stack, pathInStack, props, isDevelopment);
    const operations = this.resolveOperationProps(stack, props, instance.replicaCount, isDevelopment);
    const backups = this.resolveBackupProps(stack, props, operations);

    // Throws (naming the VpcStack) when the VPC has no isolated tier.
    const dbSubnetGroupName = props.vpc.dbSubnetGroupName;

    const multiAz = props.multiAz ?? preset.multiAz;
    const deletionProtection = props.deletionProtection ?? preset.deletionProtection;
    const preventDestroy = props.preventDestroy ?? preset.preventDestroy;
    const finalSnapshot = props.finalSnapshot ?? true;
    const autoMinorVersionUpgrade = props.autoMinorVersionUpgrade ?? true;
    const caCertIdentifier = props.caCertificate ?? RdsCaCertificate.RSA2048_G1;
    const applyImmediately = props.applyImmediately ?? false;

    const proxyOptions = props.proxy === undefined ? undefined : resolveProxyOptions(this, instance.identifier, props.proxy);

    return {
      ...instance,
      ...operations,
      ...backups,
      dbSubnetGroupName,
      multiAz,
      deletionProtection,
      preventDestroy,
      finalSnapshot,
      autoMinorVersionUpgrade,
      caCertIdentifier,
      applyImmediately,
      proxyOptions,
    };
  }

  /** Replicas, identifier, engine, instance class, Performance Insights, port and storage. */
  private resolveInstanceProps(
    stack: GroundworkStack,
    pathInStack: string[],
    props: PostgresWithBackupsProps,
    isDevelopment: boolean,
  ): ResolvedInstanceProps {
    const replicaCount = props.readReplicas ?? stack.preset.readReplicaCount;
    checkIntegerInRange(this, 'readReplicas', replicaCount, 0, MAX_REPLICAS);

    const identifier =
      props.identifier ?? Naming.resourceName([stack.namePrefix, ...pathInStack], 63 - REPLICA_SUFFIX_LENGTH);
    if (Token.isUnresolved(identifier)) {
      invalidProp(this, 'identifier', 'be a literal (log group, snapshot and replica names derive from it)', identifier);
    }
    checkIdentifier(this, identifier, replicaCount);
    checkSecurityGroupName(this, 'identifier', identifier, identifier);

    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSION;
    if (Token.isUnresolved(engineVersion)) {
      invalidProp(this, 'engineVersion', 'be a literal (the parameter group family derives from it)', engineVersion);
    }
    const engine = parseEngineVersion(this, 'engineVersion', engineVersion);

    const instanceClass = props.instanceClass ?? defaultInstanceClass(isDevelopment);
    const instanceClassKnown = !Token.isUnresolved(instanceClass);
    if (instanceClassKnown) {
      checkInstanceClass(this, 'instanceClass', instanceClass);
    }
    const performanceInsights = props.performanceInsights ?? true;
    if (performanceInsights && instanceClassKnown && !supportsPerformanceInsights(instanceClass)) {
      invalidCombination(
        this,
        `performanceInsights is not supported on instanceClass "${instanceClass}"; ` +
          'use db.t4g.medium or larger, or set performanceInsights to false',
      );
    }
    const performanceInsightsRetention = props.performanceInsightsRetentionDays ?? 7;
    if (!Token.isUnresolved(performanceInsightsRetention) && !isValidPerformanceInsightsRetention(performanceInsightsRetention)) {
      invalidProp(
        this,
        'performanceInsightsRetentionDays',
        'be 7, a multiple of 31 from 31 to 713 (months), or 731',
        performanceInsightsRetention,
      );
    }

    const port = props.port ?? 5432;
    checkIntegerInRange(this, 'port', port, 1150, 65535);

    const allocatedStorage = props.allocatedStorageGiB ?? 100;
    checkIntegerInRange(this, 'allocatedStorageGiB', allocatedStorage, 20, 65536);
    const maxAllocatedStorage =
      props.maxAllocatedStorageGiB ??
      (Token.isUnresolved(allocatedStorage) ? 1000 : Math.min(allocatedStorage * 10, 65536));
    checkIntegerInRange(this, 'maxAllocatedStorageGiB', maxAllocatedStorage, 20, 65536);
    if (
      !Token.isUnresolved(allocatedStorage) &&
      !Token.isUnresolved(maxAllocatedStorage) &&
      maxAllocatedStorage < allocatedStorage
    ) {
      invalidCombination(
        this,
        `maxAllocatedStorageGiB (${maxAllocatedStorage}) must be at least allocatedStorageGiB (${allocatedStorage}); ` +
          'storage autoscaling only grows storage',
      );
    }
    return {
      replicaCount,
      identifier,
      engine,
      instanceClass,
      instanceClassKnown,
      performanceInsights,
      performanceInsightsRetention,
      port,
      allocatedStorage,
      maxAllocatedStorage,
    };
  }

  /** Automated backups, windows, monitoring, logs, database and master user, parameters. */
  private resolveOperationProps(
    stack: GroundworkStack,
    props: PostgresWithBackupsProps,
    replicaCount: number,
    isDevelopment: boolean,
  ): ResolvedOperationProps {
    const backupRetention = props.backupRetentionDays ?? stack.preset.backupRetentionDays;
    if (!Token.isUnresolved(backupRetention)) {
      if (!Number.isInteger(backupRetention) || backupRetention < 0 || backupRetention > 35) {
        invalidProp(
          this,
          'backupRetentionDays',
          'be an integer from 1 to 35 (0, which turns off automated backups, only in development)',
          backupRetention,
        );
      }
      if (backupRetention === 0 && !isDevelopment) {
        invalidProp(
          this,
          'backupRetentionDays',
          `be 1-35 in a ${stack.environment} stack (0 turns off automated backups and point-in-time recovery)`,
          backupRetention,
        );
      }
      if (backupRetention === 0 && replicaCount > 0) {
        invalidCombination(
          this,
          `readReplicas (${replicaCount}) need automated backups on the primary, but backupRetentionDays is 0; ` +
            'set backupRetentionDays to 1-35 or readReplicas to 0',
        );
      }
    }

    const maintenanceWindow = parseWeeklyWindow(this, 'maintenanceWindow', props.maintenanceWindow ?? 'sun:04:00-sun:05:00');
    const backupWindow = parseDailyWindow(this, 'backupWindow', props.backupWindow ?? '03:00-04:00');
    checkWindowsDoNotOverlap(this, backupWindow, 'backupWindow', maintenanceWindow, 'maintenanceWindow');

    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    if (!Token.isUnresolved(monitoringInterval) && !MONITORING_INTERVALS.includes(monitoringInterval)) {
      invalidProp(
        this,
        'monitoringIntervalSeconds',
        `be one of ${MONITORING_INTERVALS.join(', ')} (seconds; 0 turns Enhanced Monitoring off)`,
        monitoringInterval,
      );
    }

    const logRetention = props.logRetentionDays ?? stack.preset.logRetentionDays;
    checkLogRetentionDays(this, 'logRetentionDays', logRetention);

    const databaseName = props.databaseName ?? stack.project.replace(/-/g, '_');
    if (!Token.isUnresolved(databaseName)) checkDatabaseName(this, databaseName);
    const masterUsername = props.masterUsername ?? 'dbadmin';
    if (!Token.isUnresolved(masterUsername)) checkMasterUsername(this, masterUsername);

    const parameters = mergeParameters(this, props.parameters);
    return {
      backupRetention,
      maintenanceWindow,
      backupWindow,
      monitoringInterval,
      logRetention,
      databaseName,
      masterUsername,
      parameters,
    };
  }

  /** AWS Backup, its restore testing, the disaster-recovery copy, and the dump retention. */
  private resolveBackupProps(
    stack: GroundworkStack,
    props: PostgresWithBackupsProps,
    operations: ResolvedOperationProps,
  ): ResolvedBackupProps {
    const preset = stack.preset;
    const { backupRetention, backupWindow, maintenanceWindow } = operations;
    const awsBackup = props.awsBackup ?? true;
    const awsBackupRetention = props.awsBackupRetentionDays ?? preset.backupRetentionDays;
    checkIntegerInRange(this, 'awsBackupRetentionDays', awsBackupRetention, 1, 36500);
    const awsBackupWindow = parseDailyWindow(this, 'awsBackupWindow', props.awsBackupWindow ?? '06:00-07:00', 60);
    if (awsBackup) {
      checkAwsBackupWindow(this, awsBackupWindow, backupRetention === 0 ? undefined : backupWindow, maintenanceWindow);
    }

    const restoreTestingSchedule = props.awsBackupRestoreTestingSchedule ?? preset.awsBackupRestoreTestingSchedule ?? 'cron(0 8 ? * TUE *)';
    const restoreTesting = props.awsBackupRestoreTesting ?? (awsBackup && preset.awsBackupRestoreTestingSchedule !== undefined);
    if (restoreTesting && !awsBackup) {
      invalidCombination(this, 'awsBackupRestoreTesting is true, but awsBackup is false: restore testing restores AWS Backup recovery points; turn awsBackup on or leave awsBackupRestoreTesting out');
    }
    if (props.awsBackupRestoreTestingSchedule !== undefined) {
      if (!restoreTesting) {
        invalidProp(this, 'awsBackupRestoreTestingSchedule', 'be left out: restore testing is off (set awsBackupRestoreTesting: true)', props.awsBackupRestoreTestingSchedule);
      }
      if (Token.isUnresolved(restoreTestingSchedule) || !/^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(restoreTestingSchedule)) {
        invalidProp(this, 'awsBackupRestoreTestingSchedule', 'be an AWS schedule expression: cron(minutes hours day-of-month month day-of-week year) or rate(<n> hours|days)', restoreTestingSchedule);
      }
    }

    const drRegion = props.disasterRecoveryRegion;
    if (drRegion !== undefined) {
      checkDisasterRecoveryRegion(this, drRegion, stack.region);
      if (!awsBackup) {
        invalidCombination(
          this,
          `disasterRecoveryRegion "${drRegion}" needs awsBackup (the cross-region copy is part of the AWS Backup plan), ` +
            'but awsBackup is false',
        );
      }
    }

    const dumpRetention = props.dumpRetentionDays ?? defaultDumpRetentionDays(stack.environment);
    checkIntegerInRange(this, 'dumpRetentionDays', dumpRetention, 1, 36500);
    return { awsBackup, awsBackupRetention, awsBackupWindow, restoreTestingSchedule, restoreTesting, drRegion, dumpRetention };
  }

  /** The settings {@link warnAboutRiskyChoices} judges. */
  private riskyChoicesOf(resolved: ResolvedPostgresProps, isProduction: boolean): Parameters<PostgresWithBackups['warnAboutRiskyChoices']>[0] {
    const { engine, parameters, instanceClass } = resolved;
    return {
      isProduction,
      backupRetention: resolved.backupRetention,
      multiAz: resolved.multiAz,
      deletionProtection: resolved.deletionProtection,
      finalSnapshot: resolved.finalSnapshot,
      monitoringInterval: resolved.monitoringInterval,
      performanceInsights: resolved.performanceInsights,
      awsBackup: resolved.awsBackup,
      drRegion: resolved.drRegion,
      instanceClass: resolved.instanceClassKnown ? instanceClass : undefined,
      pinnedMinor: engine.minor !== undefined && resolved.autoMinorVersionUpgrade ? engine.text : undefined,
      engineMajor: engine.major,
      forceSsl: parameters.find((p) => p.name === 'rds.force_ssl')?.value,
      preloadLibraries: parameters.find((p) => p.name === 'shared_preload_libraries')?.value,
    };
  }

  /** The key of storage, Performance Insights, the master user secret and the backups. */
  private createKey(resolved: ResolvedPostgresProps): EncryptionKey {
    return new EncryptionKey(this, 'Key', {
      description: `Encrypts PostgreSQL ${resolved.identifier}: storage, Performance Insights, master user secret, backups`,
      preventDestroy: resolved.preventDestroy,
    });
  }

  /** The security group, with no rules until a peer is allowed. */
  private createSecurityGroup(vpcId: string, resolved: ResolvedPostgresProps): SecurityGroup {
    const { identifier, port } = resolved;
    return new SecurityGroup(this, 'SecurityGroup', {
      name: identifier,
      description: `PostgreSQL ${identifier} - port ${port} from allowed peers only, no egress`,
      vpcId,
      tags: { Name: identifier },
    });
  }

  /** The parameter group of the engine's family. */
  private createParameterGroup(resolved: ResolvedPostgresProps): DbParameterGroup {
    const { identifier, engine, parameters } = resolved;
    return new DbParameterGroup(this, 'ParameterGroup', {
      // The family is part of the name, so a major upgrade creates the new group before the
      // old one is destroyed.
      name: `${identifier}-${engine.family}`,
      family: engine.family,
      description: `PostgreSQL ${engine.major} parameters of ${identifier}`,
      parameter: parameters.map((p) => ({ name: p.name, value: p.value, applyMethod: p.applyMethod })),
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: `${identifier}-${engine.family}` },
    });
  }

  /** The Enhanced Monitoring role (none when the interval is 0), and what the instances wait for. */
  private createMonitoring(
    stack: GroundworkStack,
    resolved: ResolvedPostgresProps,
  ): { roleArn?: string; dependencies: ITerraformDependable[] } {
    const identifier = resolved.identifier;
    let monitoringRoleArn: string | undefined;
    const monitoringDependencies: ITerraformDependable[] = [];
    if (resolved.monitoringInterval !== 0) {
      const role = new IamRole(this, 'MonitoringRole', {
        name: Naming.resourceName([identifier, 'monitoring'], 64),
        description: `Lets RDS Enhanced Monitoring publish OS metrics of ${identifier}`,
        assumeRolePolicy: policyDocument([
          {
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': stack.accountId } },
          },
        ]),
      });
      monitoringDependencies.push(
        new IamRolePolicyAttachment(this, 'MonitoringRolePolicy', {
          role: role.name,
          policyArn: `arn:${stack.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
        }),
      );
      monitoringRoleArn = role.arn;
    }
    return { roleArn: monitoringRoleArn, dependencies: monitoringDependencies };
  }

  /**
   * One key for all exported log groups of the primary and its replicas: they hold the same
   * class of data, and a key per group would cost a key per instance and log type. It is
   * not the database key, so log readers never get to decrypt the master secret.
   */
  private createLogKey(resolved: ResolvedPostgresProps): EncryptionKey {
    return new EncryptionKey(this, 'LogKey', {
      description: `Encrypts the exported PostgreSQL logs of ${resolved.identifier}`,
      preventDestroy: resolved.preventDestroy,
    });
  }

  /** The log groups an instance exports to, created before it. */
  private createInstanceLogGroups(
    instanceIdentifier: string,
    idPrefix: string,
    logKey: EncryptionKey,
    logRetention: number,
  ): ITerraformDependable[] {
    return LOG_EXPORTS.map(
      (type) =>
        new EncryptedLogGroup(this, `${idPrefix}LogGroup-${type}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${type}`,
          retentionDays: logRetention,
          description: `PostgreSQL ${type} log of ${instanceIdentifier}`,
          encryptionKey: logKey,
        }).resource,
    );
  }

  /** Settings the primary and the replicas share. */
  private sharedInstanceSettings(
    resolved: ResolvedPostgresProps,
    parameterGroup: DbParameterGroup,
    monitoringRoleArn: string | undefined,
  ): SharedInstanceSettings {
    const { performanceInsights } = resolved;
    return {
      instanceClass: resolved.instanceClass,
      port: resolved.port,
      storageType: 'gp3',
      storageEncrypted: true,
      maxAllocatedStorage: resolved.maxAllocatedStorage,
      dbSubnetGroupName: resolved.dbSubnetGroupName,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameterGroup.name,
      maintenanceWindow: resolved.maintenanceWindow.text,
      autoMinorVersionUpgrade: resolved.autoMinorVersionUpgrade,
      applyImmediately: resolved.applyImmediately,
      caCertIdentifier: resolved.caCertIdentifier,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      monitoringInterval: resolved.monitoringInterval,
      monitoringRoleArn,
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsKmsKeyId: performanceInsights ? this.key.keyArn : undefined,
      performanceInsightsRetentionPeriod: performanceInsights ? resolved.performanceInsightsRetention : undefined,
    };
  }

  /** The primary instance, after its log groups. */
  private createPrimary(
    props: PostgresWithBackupsProps,
    resolved: ResolvedPostgresProps,
    common: SharedInstanceSettings,
    logKey: EncryptionKey,
    monitoringDependencies: ITerraformDependable[],
  ): DbInstance {
    const { identifier, finalSnapshot, preventDestroy } = resolved;
    const primaryLogGroups = this.createInstanceLogGroups(identifier, '', logKey, resolved.logRetention);
    return new DbInstance(this, 'Resource', {
      ...common,
      identifier,
      engine: 'postgres',
      engineVersion: resolved.engine.text,
      dbName: resolved.databaseName,
      username: resolved.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.key.keyArn,
      kmsKeyId: this.key.keyArn,
      allocatedStorage: resolved.allocatedStorage,
      multiAz: resolved.multiAz,
      backupRetentionPeriod: resolved.backupRetention,
      backupWindow: resolved.backupWindow.text,
      // Automated backups (and with them point-in-time recovery) outlive the instance.
      deleteAutomatedBackups: false,
      deletionProtection: resolved.deletionProtection,
      skipFinalSnapshot: !finalSnapshot,
      finalSnapshotIdentifier: finalSnapshot ? `${identifier}-final` : undefined,
      allowMajorVersionUpgrade: props.allowMajorVersionUpgrade ?? false,
      lifecycle: { preventDestroy },
      dependsOn: [...primaryLogGroups, ...monitoringDependencies],
      tags: { Name: identifier },
    });
  }

  /** The read replicas of {@link resource}, each after its log groups. */
  private createReplicas(
    props: PostgresWithBackupsProps,
    resolved: ResolvedPostgresProps,
    common: SharedInstanceSettings,
    logKey: EncryptionKey,
    monitoringDependencies: ITerraformDependable[],
  ): DbInstance[] {
    const { identifier, maintenanceWindow } = resolved;
    // Replicas go round the VPC's zones starting with the second, so with three zones two
    // replicas never share one; RDS left to itself may put them side by side. A Multi-AZ
    // primary cannot be pinned (RDS places it and its standby).
    const zones = props.vpc.availabilityZones;
    const replicaZone = (n: number) => (Token.isUnresolved(zones) ? undefined : zones[n % zones.length]);
    const replicas: DbInstance[] = [];
    for (let n = 1; n <= resolved.replicaCount; n++) {
      const replicaIdentifier = `${identifier}-replica-${n}`;
      const replicaLogGroups = this.createInstanceLogGroups(replicaIdentifier, `Replica-${n}-`, logKey, resolved.logRetention);
      replicas.push(
        new DbInstance(this, `Replica-${n}`, {
          ...common,
          identifier: replicaIdentifier,
          // An ARN, not the identifier: the provider requires one when db_subnet_group_name is set.
          replicateSourceDb: this.resource.arn,
          // A replica in the source's region is always encrypted with the source's key; RDS
          // asks not to pass kms_key_id for it.
          multiAz: false,
          availabilityZone: replicaZone(n),
          // One window after the other: with auto minor version upgrades on, replicas sharing
          // the primary's window could all restart at once and take every reader down.
          maintenanceWindow: shiftWeeklyWindow(maintenanceWindow, n * maintenanceWindow.minutes).text,
          // Replicas hold no data of their own: no backups, no final snapshot (RDS refuses one
          // for a replica), no deletion protection, so lowering readReplicas takes one apply.
          backupRetentionPeriod: 0,
          skipFinalSnapshot: true,
          deletionProtection: false,
          dependsOn: [...replicaLogGroups, ...monitoringDependencies],
          tags: { Name: replicaIdentifier, Role: 'read-replica' },
        }),
      );
    }
    return replicas;
  }

  /** The bucket for logical dumps and snapshot exports. */
  private createBackupBucket(resolved: ResolvedPostgresProps): SecureBucket {
    const { identifier, dumpRetention } = resolved;
    return new SecureBucket(this, 'BackupBucket', {
      purpose: `logical dumps and snapshot exports of PostgreSQL ${identifier}`,
      transitionToInfrequentAccessDays: dumpTransitionDays(dumpRetention),
      expirationDays: dumpRetention,
      preventDestroy: resolved.preventDestroy,
    });
  }

  /** The RDS Proxy in front of the primary, when `proxy` is set. */
  private createProxy(
    props: PostgresWithBackupsProps,
    resolved: ResolvedPostgresProps,
    logKey: EncryptionKey,
  ): PostgresProxy | undefined {
    if (resolved.proxyOptions === undefined) {
      return undefined;
    }
    return new PostgresProxy(this, 'Proxy', {
      ...resolved.proxyOptions,
      identifier: resolved.identifier,
      instance: this.resource,
      vpcId: props.vpc.vpcId,
      subnetIds: props.vpc.isolatedSubnetIds.length > 0 ? props.vpc.isolatedSubnetIds : props.vpc.privateSubnetIds,
      port: resolved.port,
      databaseSecurityGroupId: this.securityGroupId,
      key: this.key,
      logKey,
      logRetentionDays: resolved.logRetention,
    });
  }

  private createAwsBackup(
    stack: GroundworkStack,
    options: {
      identifier: string;
      retentionDays: number;
      window: { text: string; minutes: number };
      drRegion?: string;
      preventDestroy: boolean;
      vaultLock: boolean;
      restoreTestingSchedule?: string;
      vpcId: string;
      dbSubnetGroupName: string;
    },
  ): { vaultArn: string; vaultName: string; schedule: string; disasterRecoveryVaultArn?: string } {
    // Governance mode: no changeable_for_days, so the lock can still be lifted by a principal
    // with backup:DeleteBackupVaultLockConfiguration, never by deleting recovery points.
    const lock = (id: string, vault: BackupVault, provider?: AwsProvider) =>
      options.vaultLock
        ? new BackupVaultLockConfiguration(this, id, { provider, backupVaultName: vault.name, minRetentionDays: options.retentionDays })
        : undefined;
    // Vault, plan and selection names: 1-50 letters, digits, "-" or "_".
    const name = Naming.resourceName([options.identifier], 50);
    const vault = new BackupVault(this, 'BackupVault', {
      name,
      kmsKeyArn: this.key.keyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy: options.preventDestroy },
      tags: { Name: name },
    });
    lock('BackupVaultLock', vault);

    let copyAction: BackupPlanRuleCopyAction[] | undefined;
    let disasterRecoveryVaultArn: string | undefined;
    if (options.drRegion !== undefined) {
      const pathInStack = pathOf(this, stack);
      const provider = new AwsProvider(this, 'DisasterRecoveryProvider', {
        alias: Naming.resourceName(['dr', ...pathInStack], 64),
        region: options.drRegion,
        allowedAccountIds: [stack.accountId],
      });
      const drKey = new EncryptionKey(this, 'DisasterRecoveryKey', {
        description: `Encrypts the disaster-recovery copies of PostgreSQL ${options.identifier} in ${options.drRegion}`,
        preventDestroy: options.preventDestroy,
        // The key and its alias live in the disaster-recovery region.
        provider,
      });
      const drVault = new BackupVault(this, 'DisasterRecoveryVault', {
        provider,
        name,
        kmsKeyArn: drKey.keyArn,
        forceDestroy: false,
        lifecycle: { preventDestroy: options.preventDestroy },
        tags: { Name: name },
      });
      lock('DisasterRecoveryVaultLock', drVault, provider);
      disasterRecoveryVaultArn = drVault.arn;
      copyAction = [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: options.retentionDays } }];
    }

    const role = new IamRole(this, 'BackupRole', {
      name: Naming.resourceName([options.identifier, 'backup'], 64),
      description: `Lets AWS Backup back up and restore PostgreSQL ${options.identifier}`,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          // The trust policy AWS Backup documents, without conditions: no AWS Backup page says
          // the service sets aws:SourceAccount when it assumes the role, and a condition it does
          // not satisfy would fail every backup and restore job.
          Principal: { Service: 'backup.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
    });
    const managedPolicy = (policy: string) => `arn:${stack.partition}:iam::aws:policy/service-role/${policy}`;
    const attachments = [
      new IamRolePolicyAttachment(this, 'BackupRolePolicy', {
        role: role.name,
        policyArn: managedPolicy('AWSBackupServiceRolePolicyForBackup'),
      }),
      new IamRolePolicyAttachment(this, 'BackupRoleRestoresPolicy', {
        role: role.name,
        policyArn: managedPolicy('AWSBackupServiceRolePolicyForRestores'),
      }),
    ];

    const [hour, minute] = options.window.text.slice(0, 5).split(':').map(Number);
    const schedule = `cron(${minute} ${hour} ? * * *)`;
    const plan = new BackupPlan(this, 'BackupPlan', {
      name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule,
          startWindow: options.window.minutes,
          // Counted from the scheduled time: the start window plus 12 hours to finish.
          completionWindow: options.window.minutes + 720,
          lifecycle: { deleteAfter: options.retentionDays },
          copyAction,
        },
      ],
      tags: { Name: name },
    });
    new BackupSelection(this, 'BackupSelection', {
      name,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [this.resource.arn],
      dependsOn: attachments,
    });

    if (options.restoreTestingSchedule !== undefined) {
      // Restore testing names take letters, digits and underscores only.
      const testingName = name.replace(/-/g, '_');
      // The restored copy goes into the database's subnets, behind a group that admits nothing:
      // without these overrides AWS Backup restores into the default VPC (or fails without one).
      const testingGroupName = Naming.resourceName([options.identifier, 'restore-test'], 255);
      const testingGroup = new SecurityGroup(this, 'RestoreTestingSecurityGroup', {
        name: testingGroupName,
        description: `Restore tests of PostgreSQL ${options.identifier}: no ingress, no egress; the copy only has to come up`,
        vpcId: options.vpcId,
        tags: { Name: testingGroupName },
      });
      const testingPlan = new BackupRestoreTestingPlan(this, 'BackupRestoreTestingPlan', {
        name: testingName,
        scheduleExpression: options.restoreTestingSchedule,
        scheduleExpressionTimezone: 'Etc/UTC',
        startWindowHours: 24,
        recoveryPointSelection: [
          {
            // The newest daily recovery point of this database's vault: the one a restore would use.
            algorithm: 'LATEST_WITHIN_WINDOW',
            includeVaults: [vault.arn],
            recoveryPointTypes: ['SNAPSHOT'],
            selectionWindowDays: 7,
          },
        ],
        tags: { Name: testingName },
      });
      new BackupRestoreTestingSelection(this, 'BackupRestoreTestingSelection', {
        name: testingName,
        restoreTestingPlanName: testingPlan.name,
        protectedResourceType: 'RDS',
        protectedResourceArns: [this.resource.arn],
        iamRoleArn: role.arn,
        // Keys are case-insensitive (AWS Backup's restore testing metadata for RDS).
        restoreMetadataOverrides: {
          dbsubnetgroupname: options.dbSubnetGroupName,
          vpcsecuritygroupids: `["${testingGroup.id}"]`,
        },
        // The restored instance lives this long for validation, then AWS Backup deletes it.
        validationWindowHours: 1,
        dependsOn: attachments,
      });
    }
    return { vaultArn: vault.arn, vaultName: vault.name, schedule, disasterRecoveryVaultArn };
  }

  private createOutputs(pathInStack: string[]): void {
    // Readable, stable output names for pipelines: `<construct path>_<what>`.
    const prefix = pathInStack
      .join('_')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    const output = (id: string, name: string, value: unknown, description: string) => {
      const out = new TerraformOutput(this, id, { value, description });
      out.overrideLogicalId(/^[a-z_]/.test(prefix) ? `${prefix}_${name}` : `db_${prefix}_${name}`);
    };
    output('EndpointOutput', 'endpoint', this.endpoint, `Hostname of the PostgreSQL primary ${this.identifier} (writer)`);
    output('ReaderEndpointsOutput', 'reader_endpoints', this.readerEndpoints, `Hostnames of the read replicas of ${this.identifier}`);
    output('PortOutput', 'port', this.port, `Port of PostgreSQL ${this.identifier}`);
    output('DatabaseNameOutput', 'database_name', this.databaseName, `Database created in ${this.identifier}`);
    output(
      'MasterSecretArnOutput',
      'master_secret_arn',
      this.masterSecretArn,
      `ARN of the Secrets Manager secret (managed by RDS) with the master credentials of ${this.identifier}`,
    );
    output('SecurityGroupIdOutput', 'security_group_id', this.securityGroupId, `Security group of ${this.identifier}`);
    if (this.proxy !== undefined) {
      output('ProxyEndpointOutput', 'proxy_endpoint', this.proxy.endpoint, `Read/write endpoint of RDS Proxy ${this.proxy.proxyName}, which services connect through`);
    }
    output('KmsKeyArnOutput', 'kms_key_arn', this.kmsKeyArn, `KMS key of ${this.identifier} (storage, master secret, backups)`);
    output(
      'BackupBucketNameOutput',
      'backup_bucket_name',
      this.backupBucketName,
      `S3 bucket for logical dumps and exports of ${this.identifier}`,
    );
  }

  private warnAboutRiskyChoices(c: {
    isProduction: boolean;
    backupRetention: number;
    multiAz: boolean;
    deletionProtection: boolean;
    finalSnapshot: boolean;
    monitoringInterval: number;
    performanceInsights: boolean;
    awsBackup: boolean;
    drRegion?: string;
    instanceClass?: string;
    pinnedMinor?: string;
    engineMajor: number;
    forceSsl?: string;
    preloadLibraries?: string;
  }): void {
    if (c.backupRetention === 0) {
      reportFinding(this, PG_NO_BACKUPS, 'backupRetentionDays is 0: no automated backups and no point-in-time recovery.');
    }
    if (c.isProduction && !c.multiAz) {
      reportFinding(this, PG_SINGLE_AZ, 'multiAz is off in production: an Availability Zone outage takes the database down.');
    }
    if (c.isProduction && !c.deletionProtection) {
      reportFinding(this, PG_NO_DELETION_PROTECTION, 'deletionProtection is off in production.');
    }
    if (!c.finalSnapshot) {
      reportFinding(this, PG_NO_FINAL_SNAPSHOT, 'finalSnapshot is off: deleting the instance keeps no snapshot of its last state.');
    }
    if (c.monitoringInterval === 0) {
      reportFinding(this, PG_NO_ENHANCED_MONITORING, 'monitoringIntervalSeconds is 0: no OS-level metrics.');
    }
    if (!c.performanceInsights) {
      reportFinding(this, PG_NO_PERFORMANCE_INSIGHTS, 'performanceInsights is off: no record of database load by query and wait.');
    }
    if (!c.awsBackup) {
      reportFinding(this, PG_NO_AWS_BACKUP, 'awsBackup is off: the only backups are RDS automated backups and snapshots.');
    } else if (c.isProduction && c.drRegion === undefined) {
      reportFinding(
        this,
        PG_NO_DR_COPY,
        'no disasterRecoveryRegion in production: every backup is in one region; ' +
          'set disasterRecoveryRegion to copy recovery points to a second region.',
      );
    }
    if (c.isProduction && c.instanceClass !== undefined && isBurstable(c.instanceClass)) {
      reportFinding(
        this,
        PG_BURSTABLE_INSTANCE,
        `instanceClass ${c.instanceClass} is burstable: sustained load exhausts CPU credits; ` +
          'use a db.m* or db.r* class in production.',
      );
    }
    if (c.pinnedMinor !== undefined) {
      reportFinding(
        this,
        PG_PINNED_MINOR_VERSION,
        `engineVersion "${c.pinnedMinor}" pins a minor version while autoMinorVersionUpgrade ` +
          'is on: after RDS upgrades the minor version, Terraform plans a downgrade. Give the major only.',
      );
    }
    if (MAJORS_NEAR_END_OF_SUPPORT.includes(c.engineMajor)) {
      reportFinding(
        this,
        PG_STANDARD_SUPPORT_ENDING,
        `PostgreSQL ${c.engineMajor}: RDS standard support ends on ${END_OF_STANDARD_SUPPORT[c.engineMajor]}; ` +
          'after that RDS charges for Extended Support or upgrades the major version. Plan the upgrade to 16 or 17.',
      );
    }
    if (c.forceSsl !== '1') {
      reportFinding(this, PG_TLS_NOT_FORCED, `parameters set rds.force_ssl to "${c.forceSsl}": clients may connect without TLS.`);
    }
    if (!(c.preloadLibraries ?? '').split(',').map((s) => s.trim()).includes('pg_stat_statements')) {
      reportFinding(this, PG_NO_PG_STAT_STATEMENTS, 'shared_preload_libraries does not load pg_stat_statements: no per-query statistics.');
    }
  }
}
