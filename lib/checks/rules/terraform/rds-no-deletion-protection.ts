import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-NO-DELETION-PROTECTION: a production database that one `terraform destroy` can delete. */
export const RDS_NO_DELETION_PROTECTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-NO-DELETION-PROTECTION',
  severity: CheckSeverity.WARNING,
  title: 'Production RDS instance without deletion protection',
  rationale: 'A rename or a mistaken destroy deletes the database outright; deletion protection turns that into a failed apply.',
  fix: 'Set deletion_protection = true (PostgresWithBackups does in staging and production).',
  equivalents: ['checkov CKV_AWS_293', 'trivy AVD-AWS-0177'],
  resourceTypes: ['aws_db_instance'],
  coveredBy: 'GW-PG-NO-DELETION-PROTECTION',
  check(db, context) {
    // Production only, as for PostgresWithBackups (GW-PG-NO-DELETION-PROTECTION).
    if (context.environment !== 'production') return undefined;
    // A read replica is deleted with, and restored from, its source.
    if (db.config.replicate_source_db !== undefined) return undefined;
    return db.config.deletion_protection === true ? undefined : 'deletion_protection is not true in a production stack';
  },
};
