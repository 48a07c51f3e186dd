import { CheckSeverity, TerraformRule } from '../../rule';
import { attachedTo, blocks } from './private/helpers';

/** GW-S3-NO-VERSIONING: a bucket without versioning. */
export const S3_NO_VERSIONING: TerraformRule = {
  kind: 'terraform',
  id: 'GW-S3-NO-VERSIONING',
  severity: CheckSeverity.WARNING,
  title: 'S3 bucket without versioning',
  rationale: 'An overwrite or delete, by mistake or by an attacker, cannot be undone without object versions.',
  fix: 'Use SecureBucket, or add aws_s3_bucket_versioning with status Enabled (and a lifecycle rule for old versions).',
  equivalents: ['checkov CKV_AWS_21', 'trivy AVD-AWS-0090'],
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, context) {
    const enabled =
      attachedTo(context, 'aws_s3_bucket_versioning', 'bucket', bucket)
        .flatMap((v) => blocks(v.config.versioning_configuration))
        .some((c) => c.status === 'Enabled') ||
      // The inline block, deprecated but still accepted by the aws 5.x provider.
      blocks(bucket.config.versioning).some((v) => v.enabled === true);
    return enabled ? undefined : 'versioning is not enabled';
  },
};
