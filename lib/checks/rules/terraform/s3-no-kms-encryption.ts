import { CheckSeverity, TerraformRule } from '../../rule';
import { attachedTo, blocks } from './private/helpers';

/** GW-S3-NO-KMS-ENCRYPTION: a bucket whose default encryption is not a KMS key. */
export const S3_NO_KMS_ENCRYPTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-S3-NO-KMS-ENCRYPTION',
  severity: CheckSeverity.ERROR,
  title: 'S3 bucket not encrypted with a KMS key by default',
  rationale: 'With S3-managed keys anyone who can read the bucket reads the data; a customer-managed KMS key adds its own access control, audit trail and revocation.',
  fix: 'Use SecureBucket, or add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and a customer-managed key.',
  equivalents: ['checkov CKV_AWS_145', 'trivy AVD-AWS-0132'],
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, context) {
    const rules = [
      ...attachedTo(context, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket).flatMap((c) => blocks(c.config.rule)),
      // The inline block, deprecated but still accepted by the aws 5.x provider.
      ...blocks(bucket.config.server_side_encryption_configuration).flatMap((c) => blocks(c.rule)),
    ];
    const defaults = rules.flatMap((r) => blocks(r.apply_server_side_encryption_by_default));
    const algorithms = defaults.map((d) => d.sse_algorithm);
    const kms = defaults.filter((d) => d.sse_algorithm === 'aws:kms' || d.sse_algorithm === 'aws:kms:dsse');
    if (kms.some((d) => d.kms_master_key_id && !String(d.kms_master_key_id).startsWith('alias/aws/'))) return undefined;
    if (kms.length > 0) return 'the bucket is encrypted with the AWS-managed key aws/s3, not a customer-managed key';
    return algorithms.length === 0
      ? 'the bucket has no server-side encryption configuration: it gets S3-managed keys only'
      : `the bucket's default encryption is ${algorithms.join(', ')}, not a KMS key`;
  },
};
