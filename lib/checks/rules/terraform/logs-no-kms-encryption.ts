import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-LOGS-NO-KMS-ENCRYPTION: a CloudWatch log group without a KMS key. */
export const LOGS_NO_KMS_ENCRYPTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-LOGS-NO-KMS-ENCRYPTION',
  severity: CheckSeverity.ERROR,
  title: 'CloudWatch log group not encrypted with a KMS key',
  rationale: 'Logs carry request data, identifiers and sometimes secrets; a customer-managed key controls and audits who reads them.',
  fix: 'Use LogGroup (or EncryptionKey), or set kms_key_id to a customer-managed key whose policy admits the logs service.',
  equivalents: ['checkov CKV_AWS_158', 'trivy AVD-AWS-0017'],
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(group) {
    return group.config.kms_key_id ? undefined : 'kms_key_id is not set';
  },
};
