import { CheckSeverity, TerraformRule } from '../../rule';
import { attachedTo } from './private/helpers';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** GW-S3-PUBLIC-ACCESS-NOT-BLOCKED: a bucket without all four public access blocks. */
export const S3_PUBLIC_ACCESS_NOT_BLOCKED: TerraformRule = {
  kind: 'terraform',
  id: 'GW-S3-PUBLIC-ACCESS-NOT-BLOCKED',
  severity: CheckSeverity.ERROR,
  title: 'S3 bucket without a full public access block',
  rationale: 'Without all four blocks, one ACL or bucket-policy change can publish the bucket to the internet.',
  fix: 'Use SecureBucket, or add aws_s3_bucket_public_access_block with all four settings true.',
  equivalents: ['checkov CKV2_AWS_6', 'trivy AVD-AWS-0086', 'trivy AVD-AWS-0087', 'trivy AVD-AWS-0091', 'trivy AVD-AWS-0093'],
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, context) {
    const blocks = attachedTo(context, 'aws_s3_bucket_public_access_block', 'bucket', bucket);
    if (blocks.length === 0) return 'the bucket has no aws_s3_bucket_public_access_block';
    const off = SETTINGS.filter((s) => !blocks.some((b) => b.config[s] === true));
    return off.length > 0 ? `public access block leaves ${off.join(', ')} off` : undefined;
  },
};
