import { CheckSeverity, ConstructRule } from '../../rule';

/** A database with a backup retention of 0 days. */
export const PG_NO_BACKUPS: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-BACKUPS',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance without automated backups',
  rationale: 'Without automated backups there is no point-in-time recovery, so a bad migration or a dropped table cannot be undone.',
  fix: 'Set backupRetentionDays on PostgresWithBackups to 1 or more, or leave it to the environment preset.',
  equivalents: ['checkov CKV_AWS_133', 'trivy AVD-AWS-0077'],
};
