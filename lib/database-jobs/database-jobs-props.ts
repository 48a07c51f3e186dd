import type { PostgresWithBackups } from '../postgres-with-backups/postgres-with-backups';
import type { LogicalBackupSource } from './database-jobs';

/** Properties of {@link AppCluster.addDatabaseJobs}. */
export interface DatabaseJobsProps {
  /** The database whose users, logical backups and restore verification run on the cluster. */
  readonly database: PostgresWithBackups;

  /**
   * The jobs' base name: the services are `<name>-backup`, `<name>-verify` and `<name>-users`.
   * 1-30 lowercase letters, digits or hyphens, starting with a letter.
   *
   * @default - the database's construct ID in kebab case ("OrdersDatabase" → "orders-database")
   */
  readonly name?: string;

  /**
   * The namespace the jobs run in, apart from the applications.
   *
   * @default "database-jobs"
   */
  readonly namespace?: string;

  /**
   * The read-only PostgreSQL user the backup signs in as with IAM (`pg_read_all_data`). Not
   * the master user, nor a service's user.
   *
   * @default "groundwork_backup"
   */
  readonly backupUser?: string;

  /**
   * Take logical backups (`pg_dump -Fc` to the database's backup bucket).
   *
   * @default true
   */
  readonly logicalBackups?: boolean;

  /**
   * When the logical backup runs: a CronJob schedule, in UTC.
   *
   * @default - the environment preset (daily at 01:00)
   */
  readonly backupSchedule?: string;

  /**
   * Which instance the backup reads.
   *
   * @default LogicalBackupSource.PRIMARY
   */
  readonly backupSource?: LogicalBackupSource;

  /**
   * Dump large objects (`pg_largeobject`). The users Job grants the backup user SELECT on the
   * large objects that exist when it runs (as their owner); one created later stops the backup
   * with a message until the Job runs again (PostgreSQL before 18 has no default privileges for
   * large objects). `false` leaves them out of the dump and the manifest (`pg_dump --no-blobs`).
   *
   * @default true
   */
  readonly largeObjects?: boolean;

  /**
   * Restore the newest logical backup into a throwaway PostgreSQL on a schedule and compare it
   * with its manifest. Needs logical backups.
   *
   * @default - the environment preset (on in staging and production)
   */
  readonly restoreVerification?: boolean;

  /**
   * When the restore verification runs: a CronJob schedule, in UTC. Its longest interval may
   * not exceed the database's `dumpRetentionDays`.
   *
   * @default - the environment preset (weekly, Saturday 05:00)
   */
  readonly verificationSchedule?: string;

  /**
   * Longest a backup or verification Job may run, in minutes (`activeDeadlineSeconds`); the
   * alerts and the recovery point objective allow it on top of the schedule's interval.
   *
   * @default 240
   */
  readonly jobDeadlineMinutes?: number;

  /**
   * Run postgres_exporter for the primary and each read replica, signing in as a monitoring user
   * with `pg_monitor` (it has no IAM authentication). The users Job creates the user, generates
   * its password and keeps it in a Secrets Manager secret that Terraform creates without a value,
   * so the password is in neither Terraform state nor any manifest. Point the MonitoringChart's
   * `postgresExporter` at `DatabaseJobsChart.exporterScrapeTarget`.
   *
   * @default true
   */
  readonly metricsExporter?: boolean;

  /**
   * The monitoring user of the exporter. Not the master user, the backup user nor a service's user.
   *
   * @default "groundwork_monitor"
   */
  readonly monitorUser?: string;

  /**
   * Give the jobs' pods security groups of their own, so the database admits them by name.
   *
   * @default - the cluster's securityGroupsForPods
   */
  readonly securityGroupsForPods?: boolean;
}
