/**
 * Recovery point and recovery time objectives of a database, derived from its settings: what
 * the README's table and `PostgresWithBackups.recoveryObjectives()` report. RPOs follow from the
 * configuration; RTOs are AWS's documented figures or the measured duration of a restore test.
 */
import type { RecoveryObjective } from '../postgres-with-backups';

export interface RecoveryInputs {
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly awsBackup: boolean;
  readonly awsBackupRetentionDays: number;
  readonly vaultLocked: boolean;
  /** Minutes between AWS Backup recovery points (daily: 1440). */
  readonly awsBackupIntervalMinutes: number;
  readonly disasterRecoveryRegion?: string;
  readonly restoreTesting: boolean;
  /** The logical backup's longest interval and the job deadline, when the cluster takes dumps. */
  readonly logical?: { readonly maxIntervalMinutes: number; readonly deadlineMinutes: number; readonly retentionDays: number; readonly verified: boolean };
}

/** RDS ships transaction logs to S3 every five minutes: the latest restorable time lags by up to that. */
const PITR_LAG_MINUTES = 5;

function duration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export function recoveryObjectives(c: RecoveryInputs): RecoveryObjective[] {
  const restoreNewInstance = c.restoreTesting
    ? 'a new instance: as long as the scheduled AWS Backup restore test takes (its jobs report it)'
    : 'a new instance: tens of minutes, growing with size (no restore test measures it)';
  const rows: RecoveryObjective[] = [];
  rows.push(
    c.multiAz
      ? {
          scenario: 'Availability Zone or primary host lost',
          mechanism: 'Multi-AZ synchronous standby, automatic failover',
          recoveryPoint: 'none (synchronous replication)',
          recoveryPointMinutes: 0,
          recoveryTime: '1-2 minutes (RDS failover)',
          reachDays: 0,
        }
      : c.backupRetentionDays > 0
        ? {
            scenario: 'Availability Zone or primary host lost',
            mechanism: 'point-in-time restore (single-AZ)',
            recoveryPoint: `up to ${PITR_LAG_MINUTES} minutes`,
            recoveryPointMinutes: PITR_LAG_MINUTES,
            recoveryTime: restoreNewInstance,
            reachDays: c.backupRetentionDays,
          }
        : { scenario: 'Availability Zone or primary host lost', mechanism: 'none', recoveryPoint: 'everything', recoveryTime: 'not covered', reachDays: 0 },
  );
  rows.push(
    c.backupRetentionDays > 0
      ? {
          scenario: 'Data deleted or corrupted',
          mechanism: `point-in-time restore, any second of the last ${c.backupRetentionDays} days`,
          recoveryPoint: `up to ${PITR_LAG_MINUTES} minutes before the mistake`,
          recoveryPointMinutes: PITR_LAG_MINUTES,
          recoveryTime: restoreNewInstance,
          reachDays: c.backupRetentionDays,
        }
      : { scenario: 'Data deleted or corrupted', mechanism: 'none (backupRetentionDays 0)', recoveryPoint: 'everything', recoveryTime: 'not covered', reachDays: 0 },
  );
  if (c.awsBackup) {
    rows.push({
      scenario: 'Instance, its automated backups or the RDS account access lost',
      mechanism: `AWS Backup recovery point in a ${c.vaultLocked ? 'locked ' : ''}vault, kept ${c.awsBackupRetentionDays} days`,
      recoveryPoint: `up to ${duration(c.awsBackupIntervalMinutes)} plus the job's run`,
      recoveryPointMinutes: c.awsBackupIntervalMinutes,
      recoveryTime: restoreNewInstance,
      reachDays: c.awsBackupRetentionDays,
    });
  }
  if (c.logical) {
    const worst = c.logical.maxIntervalMinutes + c.logical.deadlineMinutes;
    rows.push({
      scenario: 'A portable copy needed (another engine version, account or tool)',
      mechanism: `logical dump (pg_dump) in S3, kept ${c.logical.retentionDays} days${c.logical.verified ? ', restore verified on schedule' : ''}`,
      recoveryPoint: `up to ${duration(worst)} (the schedule's longest interval plus the job deadline)`,
      recoveryPointMinutes: worst,
      recoveryTime: 'pg_restore into a new instance: grows with size; the verification job logs it',
      reachDays: c.logical.retentionDays,
    });
  }
  rows.push(
    c.awsBackup && c.disasterRecoveryRegion !== undefined
      ? {
          scenario: 'Region lost',
          mechanism: `AWS Backup copy in ${c.disasterRecoveryRegion}, under its own key in a ${c.vaultLocked ? 'locked ' : ''}vault`,
          recoveryPoint: `up to ${duration(c.awsBackupIntervalMinutes)} plus the backup and copy jobs' run`,
          recoveryPointMinutes: c.awsBackupIntervalMinutes,
          recoveryTime: `restore in ${c.disasterRecoveryRegion}, then the stacks deployed there`,
          reachDays: c.awsBackupRetentionDays,
        }
      : { scenario: 'Region lost', mechanism: 'none (no disasterRecoveryRegion)', recoveryPoint: 'everything', recoveryTime: 'not covered', reachDays: 0 },
  );
  return rows;
}
