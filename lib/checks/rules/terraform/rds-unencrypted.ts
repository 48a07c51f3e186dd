import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-UNENCRYPTED: an RDS instance whose storage is not encrypted. */
export const RDS_UNENCRYPTED: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-UNENCRYPTED',
  severity: CheckSeverity.ERROR,
  title: 'RDS storage not encrypted',
  rationale: 'Unencrypted storage exposes data, snapshots and replicas; encryption cannot be turned on later without a restore.',
  fix: 'Use PostgresWithBackups, or set storage_encrypted = true with a customer-managed kms_key_id.',
  equivalents: ['checkov CKV_AWS_16', 'trivy AVD-AWS-0080'],
  resourceTypes: ['aws_db_instance'],
  check(db) {
    // A same-region read replica inherits its source's encryption.
    if (db.config.replicate_source_db !== undefined && db.config.kms_key_id === undefined) return undefined;
    return db.config.storage_encrypted === true ? undefined : 'storage_encrypted is not true';
  },
};
