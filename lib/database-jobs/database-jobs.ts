import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AppCluster } from '../app-cluster/app-cluster';
import type { AppService } from '../app-cluster/service';
import { GroundworkStack } from '../core/groundwork-stack';
import { IAM_DATABASE_USER_PATTERN } from '../core/private/aws-patterns';
import { CronSchedule, parseCronSchedule } from '../core/private/cron';
import { checkIntegerInRange, constructLabel, invalidCombination, invalidProp } from '../core/private/errors';
import { checkDns1035Label, checkDns1123Label } from '../core/private/kubernetes-names';
import { policyDocument, PolicyStatement, viaSecretsManager } from '../core/private/policy';
import type { PostgresProxy } from '../postgres-with-backups/postgres-proxy';
import type { PostgresWithBackups } from '../postgres-with-backups/postgres-with-backups';
import { VpcStack } from '../vpc-stack/vpc-stack';
import { DatabaseJobsProps } from './database-jobs-props';

// The props live in a file of their own; this module still exports them.
export { DatabaseJobsProps } from './database-jobs-props';

/** Which instance the logical backup reads. */
export enum LogicalBackupSource {
  /** The primary (writer): always there, and never cancelled by replication. */
  PRIMARY = 'PRIMARY',
  /**
   * The first read replica: keeps the dump's load off the primary. A long dump on a replica
   * can be cancelled by a recovery conflict unless `hot_standby_feedback` is on or
   * `max_standby_streaming_delay` is long enough (PostgreSQL parameters).
   */
  REPLICA = 'REPLICA',
}


const DEFAULT_BACKUP_USER = 'groundwork_backup';
const DEFAULT_MONITOR_USER = 'groundwork_monitor';
const NAME_MAX_LENGTH = 30;

/** The props of a DatabaseJobs after defaults, validated before any resource exists. */
interface ResolvedJobsProps {
  readonly name: string;
  readonly namespace: string;
  readonly backupUser: string;
  readonly logicalBackups: boolean;
  readonly backupSchedule?: CronSchedule;
  readonly restoreVerification: boolean;
  readonly verificationSchedule?: CronSchedule;
  readonly jobDeadlineMinutes: number;
  readonly backupSource: LogicalBackupSource;
  readonly securityGroupsForPods: boolean;
  readonly s3PrefixListId?: string;
}

/** Where the logical backups live in the database's backup bucket, and the values jobs get for it. */
interface BucketAccess {
  readonly prefix: string;
  readonly bucketArn: string;
  readonly bucketKeyArn: string;
  readonly values: { [key: string]: string };
}

function bucketAccessOf(database: PostgresWithBackups): BucketAccess {
  const prefix = `logical/${database.databaseName}`;
  const bucketKeyArn = database.backupBucket.kmsKeyArn!;
  return {
    prefix,
    bucketArn: database.backupBucket.bucketArn,
    bucketKeyArn,
    values: { BUCKET: database.backupBucketName, KMS_KEY_ARN: bucketKeyArn, KEY_PREFIX: prefix },
  };
}

/**
 * The in-cluster jobs that keep a {@link PostgresWithBackups} usable and restorable, declared on
 * the cluster that runs them (`cluster.addDatabaseJobs(id, { database })`); the
 * `DatabaseJobsChart` renders their Kubernetes side from this declaration.
 *
 * - **Users** (`<name>-users`, a Job run at each change): creates the backup user and the user of
 *   every service granted the database (`connectTo`), idempotently. The only identity that may
 *   read the master secret.
 * - **Logical backup** (`<name>-backup`, a CronJob): `pg_dump -Fc` of the database and a manifest
 *   (tables, row counts, sizes, checksum, version) from one snapshot, uploaded under a dated key
 *   to the database's backup bucket, SSE-KMS with the bucket's key. It signs in with IAM as the
 *   read-only backup user and may only write under its prefix; the bucket's lifecycle expires
 *   old dumps, the job never deletes.
 * - **Restore verification** (`<name>-verify`, a CronJob): restores the newest dump into a
 *   throwaway PostgreSQL in its pod and compares it with the manifest. It never touches the
 *   database: it may only read the backups.
 *
 * Each is a service of the cluster (route none) with its own role and, with pod security
 * groups, its own group, which reaches the database (users, backup), S3 through the VPC's
 * gateway endpoint (backup, verification) and the VPC's interface endpoints, never the
 * internet; the bootstrap stack writes their namespace, service accounts and Secrets like any
 * service's.
 *
 * - **Metrics exporter** (`<name>-exporter`, a Deployment per instance): postgres_exporter as a
 *   monitoring user with `pg_monitor`, whose password only the users Job writes and only the
 *   exporter reads (a Secrets Manager secret Terraform creates without a value).
 *
 * Child IDs (frozen): `MonitoringSecret`; the services `<id>Backup`, `<id>Verify`, `<id>Users`,
 * `<id>Exporter` are children of the cluster; their grants `Connect-<database path>`, `Connect-<database path>-bucket`, `Connect-<database path>-master`, `PodEgressS3`.
 *
 * @example
 * const jobs = cluster.addDatabaseJobs('OrdersDatabaseJobs', { database: ordersDatabase });
 */
export class DatabaseJobs extends Construct {
  /** The database. */
  public readonly database: PostgresWithBackups;
  /** The cluster the jobs run on. */
  public readonly cluster: AppCluster;
  /** The jobs' base name. */
  public readonly name: string;
  /** The namespace they run in. */
  public readonly namespace: string;
  /** The read-only backup user. */
  public readonly backupUser: string;
  /** The users Job's service. */
  public readonly usersService: AppService;
  /** The backup CronJob's service, with logical backups. */
  public readonly backupService?: AppService;
  /** The verification CronJob's service, with restore verification. */
  public readonly verifyService?: AppService;
  /** The backup schedule, with logical backups. */
  public readonly backupSchedule?: string;
  /** The longest time between two backups, in minutes, with logical backups. */
  public readonly backupMaxIntervalMinutes?: number;
  /** The verification schedule, with restore verification. */
  public readonly verificationSchedule?: string;
  /** The longest time between two verifications, in minutes, with restore verification. */
  public readonly verificationMaxIntervalMinutes?: number;
  /** Which instance the backup reads. */
  public readonly backupSource: LogicalBackupSource;
  /** Longest a backup or verification Job may run, in minutes. */
  public readonly jobDeadlineMinutes: number;
  /** Whether the dump includes large objects. */
  public readonly largeObjects: boolean;
  /** The exporter's service, with metricsExporter. */
  public readonly exporterService?: AppService;
  /** The exporter's monitoring user, with metricsExporter. */
  public readonly monitorUser?: string;
  /** ARN of the secret with the monitoring user's password (set by the users Job), with metricsExporter. */
  public readonly monitoringSecretArn?: string;
  /** The PostgreSQL major version, for the `postgres` image of the jobs. */
  public readonly engineMajorVersion: number;

  /** @internal */
  constructor(cluster: AppCluster, id: string, props: DatabaseJobsProps) {
    super(cluster, id);
    const database = props.database;
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(cluster, props);
    const { backupSchedule, verificationSchedule } = resolved;

    // ---- Attributes ----
    this.database = database;
    this.cluster = cluster;
    this.name = resolved.name;
    this.namespace = resolved.namespace;
    this.backupUser = resolved.backupUser;
    this.backupSchedule = backupSchedule?.text;
    this.backupMaxIntervalMinutes = backupSchedule?.maxIntervalMinutes;
    this.verificationSchedule = verificationSchedule?.text;
    this.verificationMaxIntervalMinutes = verificationSchedule?.maxIntervalMinutes;
    this.backupSource = resolved.backupSource;
    this.jobDeadlineMinutes = resolved.jobDeadlineMinutes;
    this.largeObjects = props.largeObjects ?? true;
    this.engineMajorVersion = database.engineMajorVersion;

    // ---- The three identities ----
    this.usersService = this.createUsersService(id, resolved);
    const bucket = bucketAccessOf(database);
    if (resolved.logicalBackups) {
      this.backupService = this.createBackupService(id, resolved, bucket);
    }
    if (resolved.restoreVerification) {
      this.verifyService = this.createVerifyService(id, resolved, bucket);
    }

    // ---- The metrics exporter and its user ----
    if (props.metricsExporter ?? true) {
      const exporter = this.createExporter(id, props, resolved, stack);
      this.exporterService = exporter.service;
      this.monitorUser = exporter.monitorUser;
      this.monitoringSecretArn = exporter.secretArn;
    }

    // ---- The passwords of the users the database's RDS Proxy signs in as ----
    if (database.proxy !== undefined) {
      this.grantProxyUserPasswords(database.proxy, stack);
    }

    // A service granted the database after this declaration must not take the backup user either.
    this.node.addValidation({ validate: () => this.backupUserClashes(cluster, database, resolved.backupUser) });
  }

  /**
   * The PostgreSQL users the users Job creates for the services of the cluster granted this
   * database (`connectTo`), sorted. Read when the chart is created: grant first.
   */
  public get serviceUsers(): string[] {
    const users = new Set<string>();
    for (const grant of this.iamGrants()) {
      const user = grant._value('USER');
      if (user !== undefined && user !== this.backupUser) users.add(user);
      const migrationUser = grant._value('MIGRATION_USER');
      if (migrationUser !== undefined) users.add(migrationUser);
    }
    return [...users].sort();
  }

  /**
   * The service users (of `serviceUsers`) that connect through the database's RDS Proxy: the
   * users Job makes them password roles and keeps their passwords in the proxy's secrets.
   */
  public get proxyUsers(): string[] {
    const proxied = new Set(this.database.proxy?.users ?? []);
    return this.serviceUsers.filter((user) => proxied.has(user));
  }

  /**
   * The services' migration users with their service's user, as `<migration user>:<user>`,
   * sorted: the users Job gives each migration user CREATE on the public schema and its
   * service's user the rows of what it creates there.
   */
  public get migrationGrants(): string[] {
    return this.iamGrants()
      .filter((grant) => grant._value('MIGRATION_USER') !== undefined)
      .map((grant) => `${grant._value('MIGRATION_USER')}:${grant._value('USER')}`)
      .sort();
  }

  /** The grants of this database to the cluster's services that sign in with IAM. */
  private iamGrants() {
    return this.cluster.services.flatMap((service) =>
      service.connections.filter((grant) => grant.store === this.database && grant._signsInWithIam),
    );
  }

  /** The props with their defaults, all checked before any resource exists. */
  private resolveProps(cluster: AppCluster, props: DatabaseJobsProps): ResolvedJobsProps {
    const database = props.database;
    const preset = GroundworkStack.ofConstruct(this).preset;
    const name = props.name ?? kebabCase(database.node.id);
    checkDns1035Label(this, 'name', name);
    if (name.length > NAME_MAX_LENGTH) {
      invalidProp(this, 'name', `be at most ${NAME_MAX_LENGTH} characters (the services are <name>-backup, <name>-verify and <name>-users)`, name);
    }
    const namespace = props.namespace ?? 'database-jobs';
    checkDns1123Label(this, 'namespace', namespace);
    const backupUser = props.backupUser ?? DEFAULT_BACKUP_USER;
    const logicalBackups = props.logicalBackups ?? true;
    const backupSchedule = logicalBackups ? parseCronSchedule(this, 'backupSchedule', props.backupSchedule ?? preset.logicalBackupSchedule) : undefined;
    if (!logicalBackups && props.backupSchedule !== undefined) {
      invalidProp(this, 'backupSchedule', 'be left out: logicalBackups is false', props.backupSchedule);
    }
    const restoreVerification = props.restoreVerification ?? (logicalBackups && preset.restoreVerificationSchedule !== undefined);
    if (restoreVerification && !logicalBackups) {
      invalidCombination(this, 'restoreVerification is true, but logicalBackups is false: there would be no dump to verify; turn logical backups on or leave restoreVerification out');
    }
    if (!restoreVerification && props.verificationSchedule !== undefined) {
      invalidProp(this, 'verificationSchedule', 'be left out: restore verification is off (set restoreVerification: true to schedule it)', props.verificationSchedule);
    }
    const verificationScheduleText = props.verificationSchedule ?? preset.restoreVerificationSchedule ?? '0 5 * * 6';
    const verificationSchedule = restoreVerification ? parseCronSchedule(this, 'verificationSchedule', verificationScheduleText) : undefined;
    if (verificationSchedule !== undefined && !Token.isUnresolved(database.dumpRetentionDays)) {
      const retentionMinutes = database.dumpRetentionDays * 24 * 60;
      if (verificationSchedule.maxIntervalMinutes > retentionMinutes) {
        invalidCombination(
          this,
          `verificationSchedule "${verificationSchedule.text}" leaves up to ${formatMinutes(verificationSchedule.maxIntervalMinutes)} between verifications, ` +
            `longer than the database's dumpRetentionDays (${database.dumpRetentionDays}): dumps would expire unverified; verify more often or keep dumps longer`,
        );
      }
    }
    const jobDeadlineMinutes = props.jobDeadlineMinutes ?? 240;
    checkIntegerInRange(this, 'jobDeadlineMinutes', jobDeadlineMinutes, 10, 7 * 24 * 60);
    const backupSource = props.backupSource ?? LogicalBackupSource.PRIMARY;
    if (!Object.values(LogicalBackupSource).includes(backupSource)) {
      invalidProp(this, 'backupSource', `be one of ${Object.values(LogicalBackupSource).join(', ')}`, backupSource);
    }
    if (backupSource === LogicalBackupSource.REPLICA && database.readReplicaCount === 0) {
      invalidProp(this, 'backupSource', `be PRIMARY: ${constructLabel(database)} has no read replica`, backupSource);
    }
    this.checkBackupUserIsItsOwn(database, cluster, backupUser);
    const securityGroupsForPods = props.securityGroupsForPods ?? cluster.securityGroupsForPods;
    // With pod security groups the jobs reach AWS only where the VPC has a private path: S3
    // through the gateway endpoint, Secrets Manager through an interface endpoint. Nothing
    // goes to the internet.
    const s3PrefixListId = cluster.vpc instanceof VpcStack ? cluster.vpc.s3PrefixListId : undefined;
    this.checkPrivatePathsToAws(cluster, securityGroupsForPods, logicalBackups, s3PrefixListId);
    return {
      name,
      namespace,
      backupUser,
      logicalBackups,
      backupSchedule,
      restoreVerification,
      verificationSchedule,
      jobDeadlineMinutes,
      backupSource,
      securityGroupsForPods,
      s3PrefixListId,
    };
  }

  /** With pod security groups, the VPC's endpoints must reach S3 and Secrets Manager. */
  private checkPrivatePathsToAws(
    cluster: AppCluster,
    securityGroupsForPods: boolean,
    logicalBackups: boolean,
    s3PrefixListId: string | undefined,
  ): void {
    if (securityGroupsForPods && !(cluster.vpc instanceof VpcStack)) {
      invalidCombination(
        this,
        `the jobs' pod security groups reach S3 and Secrets Manager only through the VPC's endpoints, which only a VpcStack describes, and ${constructLabel(cluster)} runs in another VPC; ` +
          'set securityGroupsForPods: false here',
      );
    }
    if (securityGroupsForPods && cluster.vpc instanceof VpcStack) {
      if (logicalBackups && s3PrefixListId === undefined) {
        invalidCombination(
          this,
          `the backup jobs' pod security groups reach S3 only through the VPC's S3 gateway endpoint, and ${constructLabel(cluster.vpc)} has none; ` +
            'set gatewayEndpoints on the VpcStack, or securityGroupsForPods: false here',
        );
      }
      if (!cluster.vpc.interfaceEndpointServices.includes('secretsmanager')) {
        invalidCombination(
          this,
          `the users Job's pod security group reaches Secrets Manager only through an interface endpoint, and ${constructLabel(cluster.vpc)} has no "secretsmanager" endpoint; ` +
            "add 'secretsmanager' to its interfaceEndpoints, or set securityGroupsForPods: false here",
        );
      }
    }
  }

  /** One of the jobs' services on the cluster: `<id><suffix>`, named `<name>-<suffix>`. */
  private addJobService(id: string, suffix: string, resolved: ResolvedJobsProps): AppService {
    return this.cluster.addService(`${id}${suffix}`, {
      name: `${resolved.name}-${suffix.toLowerCase()}`,
      namespace: resolved.namespace,
      securityGroupsForPods: resolved.securityGroupsForPods,
    });
  }

  /** The users Job's service, signed in as the master user. */
  private createUsersService(id: string, resolved: ResolvedJobsProps): AppService {
    const database = this.database;
    const usersService = this.addJobService(id, 'Users', resolved);
    usersService._addGrant(
      `${this.storeKey()}-master`,
      database,
      'DATABASE',
      database._masterConnection({ peer: this.peerOf(usersService), serviceName: usersService.name, vpcId: this.cluster.vpcId }),
    );
    return usersService;
  }

  /** Lets `target` use the dumps' prefix of the backup bucket, as `statements` allow. */
  private grantBucket(target: AppService, bucket: BucketAccess, statements: PolicyStatement[]): void {
    const database = this.database;
    target._addGrant(`${this.storeKey()}-bucket`, database, 'BACKUP', {
      description: `logical backups of ${database.identifier} in s3://${database.backupBucketName}/${bucket.prefix}/`,
      values: bucket.values,
      policyJson: policyDocument(statements),
      port: 443,
      subnetCidrs: [],
      securityGroupId: '',
    });
  }

  /** The backup CronJob's service: the backup user, and writes under the dumps' prefix. */
  private createBackupService(id: string, resolved: ResolvedJobsProps, bucket: BucketAccess): AppService {
    const { bucketArn, bucketKeyArn, prefix } = bucket;
    const backupService = this.addJobService(id, 'Backup', resolved);
    // pg_dump holds one long session: straight to the instance, never through a proxy's pool.
    backupService.connectTo(this.database, { user: resolved.backupUser, throughProxy: false });
    this.grantBucket(backupService, bucket, [
      // Aborting lets a failed upload clean up its parts at once (the lifecycle would after 7 days).
      { Sid: 'WriteDumpsUnderThePrefix', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: `${bucketArn}/${prefix}/*` },
      // Uploads in parts need kms:Decrypt as well as a data key.
      { Sid: 'EncryptDumpsWithTheBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: bucketKeyArn },
    ]);
    if (resolved.s3PrefixListId !== undefined) backupService._allowHttpsToS3(resolved.s3PrefixListId, 'uploads of logical backups');
    return backupService;
  }

  /** The verification CronJob's service: reads under the dumps' prefix. */
  private createVerifyService(id: string, resolved: ResolvedJobsProps, bucket: BucketAccess): AppService {
    const { bucketArn, bucketKeyArn, prefix } = bucket;
    const verifyService = this.addJobService(id, 'Verify', resolved);
    this.grantBucket(verifyService, bucket, [
      { Sid: 'ListDumps', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': [`${prefix}/*`] } } },
      { Sid: 'ReadDumps', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/${prefix}/*` },
      { Sid: 'DecryptDumps', Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucketKeyArn },
    ]);
    if (resolved.s3PrefixListId !== undefined) verifyService._allowHttpsToS3(resolved.s3PrefixListId, 'downloads of logical backups');
    return verifyService;
  }

  /** The monitoring user's secret, kept by the users Job, and the exporter's service signed in as that user. */
  private createExporter(
    id: string,
    props: DatabaseJobsProps,
    resolved: ResolvedJobsProps,
    stack: GroundworkStack,
  ): { service: AppService; monitorUser: string; secretArn: string } {
    const database = this.database;
    const monitorUser = props.monitorUser ?? DEFAULT_MONITOR_USER;
    if (Token.isUnresolved(monitorUser) || !IAM_DATABASE_USER_PATTERN.test(monitorUser)) {
      invalidProp(this, 'monitorUser', 'be a PostgreSQL role name: 1-63 lowercase letters, digits or underscores, not starting with a digit', monitorUser);
    }
    const taken = [database.masterUsername.toLowerCase(), resolved.backupUser, ...this.serviceUsers];
    if (taken.includes(monitorUser)) {
      invalidProp(this, 'monitorUser', `be a user of its own, not the master user, the backup user or a service's (${taken.join(', ')})`, monitorUser);
    }
    const secret = new SecretsmanagerSecret(this, 'MonitoringSecret', {
      name: `${database.identifier}/monitoring-user`,
      description: `Password of ${monitorUser}, the metrics exporter's user of PostgreSQL ${database.identifier}: set by the users Job, never by Terraform`,
      kmsKeyId: database.kmsKeyArn,
      recoveryWindowInDays: stack.preset.keyDeletionWindowDays,
      tags: { Name: `${database.identifier}/monitoring-user` },
    });
    this.usersService._addGrant(`${this.storeKey()}-monitoring-secret`, database, 'MONITORING', {
      description: `the monitoring password of ${database.identifier}`,
      values: { SECRET_ARN: secret.arn },
      policyJson: policyDocument([
        { Sid: 'KeepMonitoringPassword', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: secret.arn },
        { Sid: 'EncryptMonitoringPassword', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: database.kmsKeyArn, Condition: viaSecretsManager(stack.region) },
      ]),
      port: 443,
      subnetCidrs: [],
      securityGroupId: '',
    });
    const exporter = this.addJobService(id, 'Exporter', resolved);
    exporter._addGrant(
      `${this.storeKey()}-monitoring`,
      database,
      'DATABASE',
      database._monitorConnection({ peer: this.peerOf(exporter), serviceName: exporter.name, vpcId: this.cluster.vpcId }, secret.arn),
    );
    return { service: exporter, monitorUser, secretArn: secret.arn };
  }

  /** Lets the users Job keep the passwords of the users the RDS Proxy signs in as. */
  private grantProxyUserPasswords(proxy: PostgresProxy, stack: GroundworkStack): void {
    const database = this.database;
    proxy._passwordsKeptBy(() => this.proxyUsers);
    this.usersService._addGrant(`${this.storeKey()}-proxy-users`, database, 'PROXY', {
      description: `the passwords of the users RDS Proxy ${proxy.proxyName} signs in as`,
      values: { SECRET_PREFIX: proxy.userSecretPrefix },
      policyJson: policyDocument([
        {
          Sid: 'KeepProxyUserPasswords',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          Resource: `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.accountId}:secret:${proxy.userSecretPrefix}*`,
        },
        { Sid: 'EncryptProxyUserPasswords', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: database.kmsKeyArn, Condition: viaSecretsManager(stack.region) },
      ]),
      port: 443,
      subnetCidrs: [],
      securityGroupId: '',
    });
  }

  private storeKey(): string {
    const stack = GroundworkStack.ofConstruct(this);
    return this.database.node.path.slice(stack.node.path.length + 1).replace(/\//g, '-');
  }

  /** What the database admits for a job: its pod security group, or the cluster's nodes. */
  private peerOf(service: AppService) {
    return service.podSecurityGroupId !== undefined ? service : this.cluster;
  }

  private checkBackupUserIsItsOwn(database: PostgresWithBackups, cluster: AppCluster, backupUser: string): void {
    if (!Token.isUnresolved(database.masterUsername) && backupUser === database.masterUsername.toLowerCase()) {
      invalidProp(this, 'backupUser', `not be the master user "${database.masterUsername}": the backup needs no password and only reads`, backupUser);
    }
    const clash = this.backupUserClashes(cluster, database, backupUser);
    if (clash.length > 0) invalidProp(this, 'backupUser', clash[0], backupUser);
  }

  private backupUserClashes(cluster: AppCluster, database: PostgresWithBackups, backupUser: string): string[] {
    for (const service of cluster.services) {
      if (service === this.backupService) continue;
      const grant = service.connections.find((g) => g.store === database && g._value('USER') === backupUser);
      if (grant !== undefined) {
        return [`be a user of its own: ${constructLabel(service)} signs in to ${constructLabel(database)} as "${backupUser}" (backupUser must only read; give one of them another user)`];
      }
    }
    return [];
  }
}

function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

function formatMinutes(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440} days` : minutes % 60 === 0 ? `${minutes / 60} hours` : `${minutes} minutes`;
}
