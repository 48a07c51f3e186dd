import { CheckSeverity, ConstructRule } from '../../rule';

/** A production database that can be deleted without turning deletion protection off first. */
export const PG_NO_DELETION_PROTECTION: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-DELETION-PROTECTION',
  severity: CheckSeverity.WARNING,
  title: 'Production PostgreSQL instance without deletion protection',
  rationale: 'One mistaken destroy, or a plan that replaces the instance, deletes the production database.',
  fix: 'Leave deletionProtection on PostgresWithBackups at the production preset, which turns it on.',
  equivalents: ['checkov CKV_AWS_293', 'trivy AVD-AWS-0177'],
};
