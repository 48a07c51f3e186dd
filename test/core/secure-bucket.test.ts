import { EncryptionKey, EnvironmentTier, SecureBucket } from 'cdktf-groundwork';
import { onlyResourceOf, policyOf, refTo, resourcesOf, synthStack, testStack } from '../support/util';

describe('SecureBucket', () => {
  const stack = testStack();
  new SecureBucket(stack, 'Dumps', { purpose: 'database dumps', transitionToInfrequentAccessDays: 30, expirationDays: 35 });
  const synth = synthStack(stack);

  test('names the bucket after the project, environment, path and account', () => {
    expect(onlyResourceOf(synth, 'aws_s3_bucket')).toMatchObject({
      bucket: 'shop-production-dumps-123456789012',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('versions objects', () => {
    expect(onlyResourceOf(synth, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('encrypts with its own rotating KMS key and S3 Bucket Keys', () => {
    const rule = onlyResourceOf(synth, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(rule).toEqual({
      apply_server_side_encryption_by_default: {
        sse_algorithm: 'aws:kms',
        kms_master_key_id: refTo(synth, 'aws_kms_key', 'Dumps/Key/Resource', 'arn'),
      },
      bucket_key_enabled: true,
    });
    expect(onlyResourceOf(synth, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  test('blocks all public access and disables ACLs', () => {
    expect(onlyResourceOf(synth, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResourceOf(synth, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('denies every request not sent over TLS, and uploads that ask for another key or SSE-S3', () => {
    const policy = policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy);
    const bucketArn = refTo(synth, 'aws_s3_bucket', 'Dumps/Resource', 'arn');
    const keyArn = refTo(synth, 'aws_kms_key', 'Dumps/Key/Resource', 'arn');
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      // "IfExists": an upload that names no encryption gets the bucket's default, this key.
      expect.objectContaining({
        Sid: 'DenyOtherEncryption',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
      expect.objectContaining({
        Sid: 'DenyOtherKmsKeys',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
      }),
    ]);
  });

  test('moves objects to STANDARD_IA, expires them and cleans up old versions and uploads', () => {
    const rules = onlyResourceOf(synth, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules[0]).toMatchObject({
      status: 'Enabled',
      transition: [{ days: 30, storage_class: 'STANDARD_IA' }],
      expiration: [{ days: 35 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    // 30 days to undo an overwrite or delete; not the 35-day retention again, which would
    // keep every expired object for a second retention period.
    expect(rules[1]).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
  });

  test('keeps noncurrent versions no longer than current ones, and as long as asked', () => {
    const noncurrentDays = (props: Partial<ConstructorParameters<typeof SecureBucket>[2]>) => {
      const stack = testStack();
      new SecureBucket(stack, 'Bucket', { purpose: 'test', ...props });
      return onlyResourceOf(synthStack(stack), 'aws_s3_bucket_lifecycle_configuration').rule[1].noncurrent_version_expiration[0].noncurrent_days;
    };
    expect(noncurrentDays({ expirationDays: 7 })).toBe(7);
    expect(noncurrentDays({})).toBe(30);
    expect(noncurrentDays({ expirationDays: 365, noncurrentVersionExpirationDays: 90 })).toBe(90);
  });

  // Offline terraform plan: this construct's configuration is planned with the others in one
  // stack, in test/offline/constructs-plan.test.ts.
});

describe('SecureBucket options', () => {
  test('s3ManagedEncryption uses SSE-S3 and creates no key', () => {
    const stack = testStack({ environment: EnvironmentTier.DEVELOPMENT });
    new SecureBucket(stack, 'AlbLogs', { purpose: 'ALB access logs', s3ManagedEncryption: true });
    const synth = synthStack(stack);
    expect(resourcesOf(synth, 'aws_kms_key')).toHaveLength(0);
    expect(onlyResourceOf(synth, 'aws_s3_bucket_server_side_encryption_configuration').rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' },
    });
    expect(onlyResourceOf(synth, 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: false });
    // No key to insist on: the ALB writes with SSE-S3.
    expect(policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy).Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });

  test('uses a given key and appends extra policy statements after the denies', () => {
    const stack = testStack();
    const key = new EncryptionKey(stack, 'Shared', { description: 'shared' });
    new SecureBucket(stack, 'B', {
      purpose: 'p',
      encryptionKey: key,
      extraPolicyStatementsJson: [JSON.stringify({ Effect: 'Allow', Principal: { Service: 'x.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' })],
    });
    const synth = synthStack(stack);
    expect(resourcesOf(synth, 'aws_kms_key')).toHaveLength(1);
    const statements = policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy).Statement;
    expect(statements.map((s) => s.Sid ?? s.Principal)).toEqual(['DenyInsecureTransport', 'DenyOtherEncryption', 'DenyOtherKmsKeys', { Service: 'x.amazonaws.com' }]);
    expect(statements[2].Condition.StringNotEqualsIfExists['s3:x-amz-server-side-encryption-aws-kms-key-id']).toBe(refTo(synth, 'aws_kms_key', 'Shared/Resource', 'arn'));
  });

  test.each([
    [{ bucketName: 'Bad_Name' }, /SecureBucket test\/B: bucketName must be 3-63 lowercase letters.*got "Bad_Name"/],
    [{ transitionToInfrequentAccessDays: 10 }, /transitionToInfrequentAccessDays must be an integer from 30 to 36500, got 10/],
    [{ transitionToInfrequentAccessDays: 30, expirationDays: 30 }, /expirationDays \(30\) must be greater than transitionToInfrequentAccessDays \(30\)/],
    [{ extraPolicyStatementsJson: ['{nope'] }, /extraPolicyStatementsJson\[0\] must be a JSON policy statement/],
  ])('rejects invalid input %#', (props, message) => {
    expect(() => new SecureBucket(testStack(), 'B', { purpose: 'p', ...props })).toThrow(message);
  });
});
