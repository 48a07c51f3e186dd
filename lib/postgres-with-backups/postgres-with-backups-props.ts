import { IVpcStack } from '../vpc-stack/vpc-stack';
import type { PostgresProxyOptions } from './postgres-proxy';
import type { RdsCaCertificate } from './postgres-with-backups';

/** Properties of a {@link PostgresWithBackups}. */
export interface PostgresWithBackupsProps {
  /** The VPC; the instance and its replicas go into its isolated subnets (`dbSubnetGroupName`). */
  readonly vpc: IVpcStack;

  /**
   * The DB instance identifier (1-63 lowercase letters, digits or hyphens, starting with a
   * letter). Replicas are named `<identifier>-replica-<n>`. Changing it replaces the database.
   *
   * @default - `<project>-<environment>-<construct path>`, lowercased, at most 52 characters
   */
  readonly identifier?: string;

  /**
   * PostgreSQL version: a major ("17", RDS picks the newest minor and auto minor upgrades keep
   * it current without plan diffs) or a pinned "major.minor" ("17.4"). Supported majors: 14, 15,
   * 16, 17; 14 and 15 with a warning that names the end of their RDS standard support.
   *
   * @default "17"
   */
  readonly engineVersion?: string;

  /**
   * The instance class of the primary and the replicas.
   *
   * @default - "db.r6g.large"; "db.t4g.medium" in development
   */
  readonly instanceClass?: string;

  /**
   * Name of the database created with the instance.
   *
   * @default - the project name with "-" replaced by "_"
   */
  readonly databaseName?: string;

  /**
   * Name of the master user. Its password is generated and rotated by RDS in Secrets
   * Manager; no password is ever in the Terraform configuration or state.
   *
   * @default "dbadmin"
   */
  readonly masterUsername?: string;

  /**
   * The port PostgreSQL listens on (1150-65535).
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * Storage allocated at creation, in GiB (gp3, 20-65536).
   *
   * @default 100
   */
  readonly allocatedStorageGiB?: number;

  /**
   * Upper limit for storage autoscaling, in GiB; at least `allocatedStorageGiB` (equal turns
   * autoscaling off).
   *
   * @default - ten times allocatedStorageGiB, at most 65536 (1000 for the default 100)
   */
  readonly maxAllocatedStorageGiB?: number;

  /**
   * Run a synchronous standby in a second Availability Zone with automatic failover.
   *
   * @default - the environment preset (false in development, true otherwise)
   */
  readonly multiAz?: boolean;

  /**
   * Number of read replicas (0-15), in the same region, encrypted with the same key. They
   * are placed round the VPC's zones starting with the second (with zones a, b, c: replica 1
   * in b, replica 2 in c), so no two share a zone while there are zones enough.
   *
   * @default - the environment preset (0 development, 1 staging, 2 production)
   */
  readonly readReplicas?: number;

  /**
   * Days of automated backups and point-in-time recovery (1-35). 0 turns them off and is
   * allowed only in development, with a warning, and without replicas.
   *
   * @default - the environment preset (7 development, 14 staging, 30 production)
   */
  readonly backupRetentionDays?: number;

  /**
   * Daily window for automated backups, `hh24:mi-hh24:mi` UTC, at least 30 minutes, not
   * overlapping the maintenance window.
   *
   * @default "03:00-04:00"
   */
  readonly backupWindow?: string;

  /**
   * Weekly maintenance window of the primary, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 30
   * minutes. Each read replica gets the window after the previous one (replica 1 the next
   * window, replica 2 the one after), so a minor version upgrade never restarts every reader
   * at once.
   *
   * @default "sun:04:00-sun:05:00" (replicas "sun:05:00-sun:06:00", "sun:06:00-sun:07:00")
   */
  readonly maintenanceWindow?: string;

  /**
   * RDS deletion protection on the primary.
   *
   * @default - the environment preset (true in staging and production)
   */
  readonly deletionProtection?: boolean;

  /**
   * Terraform `prevent_destroy` on the instance, its KMS keys, the backup vaults and the
   * backup bucket.
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;

  /**
   * Take a final snapshot named `<identifier>-final` when the instance is deleted. The name is
   * fixed, so plans stay stable; delete or rename an old final snapshot before deleting a
   * re-created instance of the same identifier.
   *
   * @default true
   */
  readonly finalSnapshot?: boolean;

  /**
   * Enhanced Monitoring interval in seconds: 0 (off), 1, 5, 10, 15, 30 or 60.
   *
   * @default 60
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html
   */
  readonly monitoringIntervalSeconds?: number;

  /**
   * Performance Insights, encrypted with the instance's key.
   *
   * @default true
   */
  readonly performanceInsights?: boolean;

  /**
   * Performance Insights retention: 7 (free), a multiple of 31 up to 713, or 731.
   *
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;

  /**
   * Retention of the exported PostgreSQL and upgrade logs in CloudWatch Logs (a value
   * CloudWatch Logs accepts).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly logRetentionDays?: number;

  /**
   * The CA that signs the server certificate.
   *
   * @default RdsCaCertificate.RSA2048_G1
   */
  readonly caCertificate?: RdsCaCertificate;

  /**
   * Apply minor engine upgrades automatically in the maintenance window.
   *
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * Allow a change of `engineVersion` to a new major version. Turn on for the one apply
   * that upgrades.
   *
   * @default false
   */
  readonly allowMajorVersionUpgrade?: boolean;

  /**
   * Apply modifications at once instead of in the next maintenance window.
   *
   * @default false
   */
  readonly applyImmediately?: boolean;

  /**
   * PostgreSQL parameters, merged over the defaults (rds.force_ssl=1,
   * shared_preload_libraries=pg_stat_statements, log_min_duration_statement=1000,
   * log_connections=1, log_disconnections=1, log_lock_waits=1, log_checkpoints=1,
   * checkpoint_timeout=900, checkpoint_completion_target=0.9). Static parameters apply at
   * the next reboot.
   *
   * @default - the defaults only
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Back up the primary daily with AWS Backup, into a KMS-encrypted vault, in addition to
   * the RDS automated backups.
   *
   * @default true
   */
  readonly awsBackup?: boolean;

  /**
   * Days AWS Backup keeps each daily recovery point (and its disaster-recovery copy).
   *
   * @default - the environment preset backup retention (7 development, 14 staging, 30 production)
   */
  readonly awsBackupRetentionDays?: number;

  /**
   * Daily window, `hh24:mi-hh24:mi` UTC and at least 60 minutes, in which AWS Backup starts
   * its job. It may not overlap the backup window, nor the maintenance window or the hour
   * before it, when AWS Backup does not start RDS backups.
   *
   * @default "06:00-07:00"
   */
  readonly awsBackupWindow?: string;

  /**
   * Lock the AWS Backup vaults (and the disaster-recovery vault) in governance mode with a
   * minimum retention of `awsBackupRetentionDays`: nobody can delete a recovery point before
   * then, or shorten its retention, without the separate
   * `backup:DeleteBackupVaultLockConfiguration` permission. `prevent_destroy` only stops
   * Terraform; this stops a stolen administrator session or ransomware too. Compliance mode
   * (irreversible) is left to the account's own policy.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
   * @default - the environment preset deletion protection (true in staging and production)
   */
  readonly awsBackupVaultLock?: boolean;

  /**
   * Restore the newest AWS Backup recovery point on a schedule (AWS Backup restore testing): AWS
   * Backup restores it into a new instance, reports the job and deletes the instance. A
   * restore that fails reaches the alarm topic through `MonitoringStack.watchPostgres`.
   * Needs `awsBackup`.
   *
   * @default - the environment preset (on in staging and production)
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
   */
  readonly awsBackupRestoreTesting?: boolean;

  /**
   * When restore testing runs: `cron(...)` or `rate(...)` as AWS Backup takes it, in UTC.
   *
   * @default - the environment preset (production weekly, Tuesday 08:00; staging the first Tuesday of the month)
   */
  readonly awsBackupRestoreTestingSchedule?: string;

  /**
   * A second region (same partition) that receives a copy of every AWS Backup recovery
   * point, in a vault encrypted with a key in that region. Needs `awsBackup`.
   *
   * @default - no cross-region copy
   */
  readonly disasterRecoveryRegion?: string;

  /**
   * Days a logical dump or snapshot export is kept in the backup bucket after it is written
   * (current versions expire then; overwritten or deleted versions the same number of days
   * later). Objects move to STANDARD_IA after 30 days when the retention is longer than 60
   * days, the shortest stay for which STANDARD_IA's 30-day minimum charge pays off.
   *
   * @default - 365 in production, 90 in staging, 30 in development
   */
  readonly dumpRetentionDays?: number;

  /**
   * An RDS Proxy in front of the primary, which services connect through when they ask
   * (`service.connectTo(database, { user, throughProxy: true })`): it pools their connections
   * onto at most `maxConnectionsPercent` of `max_connections`, and keeps client connections open
   * across a Multi-AZ failover. Clients sign in with IAM over TLS; see {@link PostgresProxy} for how the
   * proxy signs in, and why a service behind it reaches the primary only (not the replicas).
   * Needs the database jobs (`cluster.addDatabaseJobs`), whose users Job sets the passwords.
   *
   * @default - no proxy: services connect to the instances directly
   */
  readonly proxy?: PostgresProxyOptions;
}
