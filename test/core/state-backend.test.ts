import { StateBackend } from 'cdktf-groundwork';
import { synthStack, testStack } from '../support/util';

describe('StateBackend.s3', () => {
  test('stores state encrypted in S3 with native locking, keyed by stack name', () => {
    const stack = testStack();
    StateBackend.s3(stack, { bucketName: 'acme-terraform-state', region: 'eu-west-1' });
    expect(synthStack(stack).terraform?.backend).toEqual({
      s3: {
        bucket: 'acme-terraform-state',
        key: 'test/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test('takes an explicit key, KMS key and role', () => {
    const stack = testStack();
    StateBackend.s3(stack, {
      bucketName: 'acme-terraform-state',
      region: 'eu-west-1',
      key: 'shop/production.tfstate',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      roleArn: 'arn:aws:iam::999999999999:role/state',
    });
    expect(synthStack(stack).terraform?.backend?.s3).toMatchObject({
      key: 'shop/production.tfstate',
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      assume_role: { role_arn: 'arn:aws:iam::999999999999:role/state' },
    });
  });

  test('rejects a bucket name S3 would refuse, naming the stack', () => {
    expect(() => StateBackend.s3(testStack(), { bucketName: 'Bad_Bucket', region: 'eu-west-1' })).toThrow(
      /GroundworkStack test: bucketName must be an S3 bucket name .* got "Bad_Bucket"/,
    );
  });

  // Offline terraform plan: this construct's configuration is planned with the others in one
  // stack, in test/offline/constructs-plan.test.ts.
});
