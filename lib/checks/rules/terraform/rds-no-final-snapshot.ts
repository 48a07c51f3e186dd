import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-NO-FINAL-SNAPSHOT: an RDS instance deleted without a final snapshot. */
export const RDS_NO_FINAL_SNAPSHOT: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-NO-FINAL-SNAPSHOT',
  severity: CheckSeverity.WARNING,
  title: 'RDS instance deleted without a final snapshot',
  rationale: 'With skip_final_snapshot, deleting the instance (or replacing it after a rename) keeps nothing of its last state.',
  fix: 'Set skip_final_snapshot = false and a final_snapshot_identifier (PostgresWithBackups does by default).',
  resourceTypes: ['aws_db_instance'],
  coveredBy: 'GW-PG-NO-FINAL-SNAPSHOT',
  check(db) {
    if (db.config.replicate_source_db !== undefined) return undefined;
    // The provider's default is skip_final_snapshot = false, but then it demands an identifier.
    return db.config.skip_final_snapshot === true ? 'skip_final_snapshot is true' : undefined;
  },
};
