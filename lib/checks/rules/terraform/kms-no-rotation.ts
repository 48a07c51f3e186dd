import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-KMS-NO-ROTATION: a symmetric customer-managed key without automatic rotation. */
export const KMS_NO_ROTATION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-KMS-NO-ROTATION',
  severity: CheckSeverity.ERROR,
  title: 'KMS key without automatic rotation',
  rationale: 'A key that never rotates keeps protecting new data with old key material for as long as it exists.',
  fix: 'Use EncryptionKey, or set enable_key_rotation = true (symmetric keys).',
  equivalents: ['checkov CKV_AWS_7', 'trivy AVD-AWS-0065'],
  resourceTypes: ['aws_kms_key'],
  check(key) {
    const spec = key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
    // Asymmetric and HMAC keys cannot rotate automatically.
    if (spec !== 'SYMMETRIC_DEFAULT') return undefined;
    return key.config.enable_key_rotation === true ? undefined : 'enable_key_rotation is not true';
  },
};
