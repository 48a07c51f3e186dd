import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-SNS-NO-KMS-ENCRYPTION: an SNS topic without a KMS key. */
export const SNS_NO_KMS_ENCRYPTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-SNS-NO-KMS-ENCRYPTION',
  severity: CheckSeverity.ERROR,
  title: 'SNS topic not encrypted with a KMS key',
  rationale: 'Messages rest unencrypted in the topic; alarm and event payloads name resources and sometimes carry data.',
  fix: 'Set kms_master_key_id to a customer-managed key (MonitoringStack does).',
  equivalents: ['checkov CKV_AWS_26', 'trivy AVD-AWS-0095'],
  resourceTypes: ['aws_sns_topic'],
  check(topic) {
    const key = topic.config.kms_master_key_id;
    if (!key) return 'kms_master_key_id is not set';
    return String(key).startsWith('alias/aws/') ? `kms_master_key_id is the AWS-managed key ${key}, not a customer-managed key` : undefined;
  },
};
