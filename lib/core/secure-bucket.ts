import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { GroundworkStack } from './groundwork-stack';
import { Naming } from './naming';
import { checkIntegerInRange, invalidCombination, invalidProp } from './private/errors';
import { pathInStack as pathOf } from './private/paths';
import { policyDocument, PolicyStatement } from './private/policy';

/** Undo window for overwritten or deleted objects; short, because expired objects pass through it too. */
const DEFAULT_NONCURRENT_DAYS = 30;

/** Properties of a {@link SecureBucket}. */
export interface SecureBucketProps {
  /**
   * What the bucket holds; used in the key description.
   */
  readonly purpose: string;

  /**
   * The bucket name (3-63 lowercase letters, digits, dots and hyphens, globally unique).
   *
   * @default - `<project>-<environment>-<construct path>-<account id>`, shortened with a hash when needed
   */
  readonly bucketName?: string;

  /**
   * Encrypt with this customer-managed key (SSE-KMS, with S3 Bucket Keys to cut KMS calls).
   * Ignored when `s3ManagedEncryption` is true.
   *
   * @default - a new rotating key for this bucket
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Encrypt with S3-managed keys (SSE-S3) instead of KMS. Only for writers that cannot use
   * KMS, such as Elastic Load Balancing access logs.
   *
   * @default false
   */
  readonly s3ManagedEncryption?: boolean;

  /**
   * Days after which current objects move to STANDARD_IA (at least 30, S3's minimum).
   *
   * @default - no transition
   */
  readonly transitionToInfrequentAccessDays?: number;

  /**
   * Days after which current objects expire.
   *
   * @default - objects never expire
   */
  readonly expirationDays?: number;

  /**
   * Days after which noncurrent (overwritten or deleted) versions are removed: the window in
   * which a mistaken overwrite or delete can be undone. An object that expires becomes
   * noncurrent too, so it is really gone `expirationDays` + this many days after it was
   * written; keep this short where retention is a compliance limit (logs with client IPs).
   *
   * @default - 30, or `expirationDays` when that is shorter
   */
  readonly noncurrentVersionExpirationDays?: number;

  /**
   * Extra statements for the bucket policy (for a service that writes to the bucket). The
   * TLS-only deny is always added.
   *
   * @default - none
   */
  readonly extraPolicyStatementsJson?: string[];

  /**
   * Add `lifecycle.prevent_destroy` to the bucket.
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket with the settings every reviewer asks for: versioning, default encryption
 * (a rotating customer-managed KMS key unless the writer needs SSE-S3), all public access
 * blocked, ACLs disabled (bucket owner enforced), a bucket policy that denies any request not
 * sent over TLS (and, with KMS, any upload that asks for another key or SSE-S3), and lifecycle rules that clean up old versions and incomplete uploads.
 *
 * Child IDs: `Key` (when it creates one), `Resource`, `Versioning`, `Encryption`,
 * `PublicAccessBlock`, `OwnershipControls`, `Policy`, `Lifecycle`.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class SecureBucket extends Construct {
  /** The bucket name. */
  public readonly bucketName: string;
  /** The bucket ARN. */
  public readonly bucketArn: string;
  /** The KMS key ARN, when the bucket uses SSE-KMS. */
  public readonly kmsKeyArn?: string;
  /** The underlying bucket resource. */
  public readonly resource: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);

    if (props.bucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      invalidProp(this, 'bucketName', 'be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit', props.bucketName);
    }
    checkIntegerInRange(this, 'transitionToInfrequentAccessDays', props.transitionToInfrequentAccessDays, 30, 36500);
    checkIntegerInRange(this, 'expirationDays', props.expirationDays, 1, 36500);
    checkIntegerInRange(this, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 36500);
    if (
      props.expirationDays !== undefined &&
      props.transitionToInfrequentAccessDays !== undefined &&
      props.expirationDays <= props.transitionToInfrequentAccessDays
    ) {
      invalidCombination(
        this,
        `expirationDays (${props.expirationDays}) must be greater than transitionToInfrequentAccessDays (${props.transitionToInfrequentAccessDays})`,
      );
    }

    const pathInStack = pathOf(this, stack);
    const bucketName = props.bucketName ?? Naming.resourceName([stack.namePrefix, ...pathInStack, stack.accountId], 63);

    let key: EncryptionKey | undefined;
    if (!props.s3ManagedEncryption) {
      key = props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Encrypts the S3 bucket for ${props.purpose}` });
    }

    this.resource = new S3Bucket(this, 'Resource', {
      bucket: bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? stack.preset.preventDestroy },
      tags: { Name: bucketName },
    });
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.resource.arn;
    this.kmsKeyArn = key?.keyArn;

    new S3BucketVersioning(this, 'Versioning', {
      bucket: this.resource.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfiguration(this, 'Encryption', {
      bucket: this.resource.id,
      rule: [
        key
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'OwnershipControls', {
      bucket: this.resource.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });

    const tlsOnly: PolicyStatement = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.resource.arn, `${this.resource.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    // Uploads that name an encryption must name this key: a writer cannot store objects under
    // another key (one the bucket's readers cannot decrypt, or one outside this account) or
    // with SSE-S3. Uploads that name none get the default above.
    const kmsOnly: PolicyStatement[] = key
      ? [
          {
            Sid: 'DenyOtherEncryption',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `${this.resource.arn}/*`,
            Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
          },
          {
            Sid: 'DenyOtherKmsKeys',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `${this.resource.arn}/*`,
            Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn } },
          },
        ]
      : [];
    const extra = (props.extraPolicyStatementsJson ?? []).map((json, index) => {
      try {
        return JSON.parse(json) as PolicyStatement;
      } catch {
        return invalidProp(this, `extraPolicyStatementsJson[${index}]`, 'be a JSON policy statement', json);
      }
    });
    new S3BucketPolicy(this, 'Policy', {
      bucket: this.resource.id,
      policy: policyDocument([tlsOnly, ...kmsOnly, ...extra]),
      // S3 rejects a policy while the public access block is being changed.
      dependsOn: [publicAccessBlock],
    });

    const noncurrentDays = props.noncurrentVersionExpirationDays ?? Math.min(DEFAULT_NONCURRENT_DAYS, props.expirationDays ?? DEFAULT_NONCURRENT_DAYS);
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.resource.id,
      rule: [
        {
          id: 'current-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: props.transitionToInfrequentAccessDays
            ? [{ days: props.transitionToInfrequentAccessDays, storageClass: 'STANDARD_IA' }]
            : undefined,
          expiration: props.expirationDays ? [{ days: props.expirationDays }] : undefined,
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        {
          id: 'noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
  }
}
