import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-NO-BACKUPS: an RDS instance without automated backups. */
export const RDS_NO_BACKUPS: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-NO-BACKUPS',
  severity: CheckSeverity.WARNING,
  title: 'RDS instance without automated backups',
  rationale: 'With a backup retention of 0 there is no point-in-time recovery and no automated snapshot to restore from.',
  fix: 'Set backup_retention_period to 7-35 days (PostgresWithBackups takes it from the environment preset).',
  equivalents: ['checkov CKV_AWS_133', 'trivy AVD-AWS-0077'],
  resourceTypes: ['aws_db_instance'],
  coveredBy: 'GW-PG-NO-BACKUPS',
  check(db) {
    if (db.config.replicate_source_db !== undefined) return undefined;
    // Unset, RDS keeps backups for 1 day (the API's default); only an explicit 0 turns them off.
    return db.config.backup_retention_period === 0 ? 'backup_retention_period is 0' : undefined;
  },
};
