import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-NO-IAM-AUTH: an RDS PostgreSQL or MySQL instance without IAM database authentication. */
export const RDS_NO_IAM_AUTH: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-NO-IAM-AUTH',
  severity: CheckSeverity.WARNING,
  title: 'RDS instance without IAM database authentication',
  rationale: 'Without IAM authentication every client holds a long-lived database password instead of a 15-minute token tied to its role.',
  fix: 'Use PostgresWithBackups (IAM authentication on), or set iam_database_authentication_enabled = true.',
  equivalents: ['checkov CKV_AWS_161'],
  resourceTypes: ['aws_db_instance'],
  check(db) {
    const engine = String(db.config.engine ?? '');
    if (db.config.replicate_source_db !== undefined || !/^(postgres|mysql|mariadb)/.test(engine)) return undefined;
    return db.config.iam_database_authentication_enabled === true ? undefined : 'iam_database_authentication_enabled is not true';
  },
};
