import { CheckSeverity, ConstructRule } from '../../rule';

/** A database that AWS Backup does not back up. */
export const PG_NO_AWS_BACKUP: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-AWS-BACKUP',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance outside AWS Backup',
  rationale: 'RDS automated backups and snapshots are then the only copies, with no separate vault, vault lock or cross-region copy.',
  fix: 'Leave awsBackup on (the default) on PostgresWithBackups.',
};
