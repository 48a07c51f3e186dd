import { S3Backend, TerraformStack } from 'cdktf';
import { invalidProp } from './private/errors';

/** Where a stack keeps its Terraform state in S3. */
export interface S3StateOptions {
  /** The state bucket (versioned and encrypted; created outside these stacks). */
  readonly bucketName: string;

  /** The bucket's region. */
  readonly region: string;

  /**
   * The state object key.
   *
   * @default - `<stack name>/terraform.tfstate`
   */
  readonly key?: string;

  /**
   * A customer-managed KMS key for the state object.
   *
   * @default - the bucket's default encryption (SSE-S3 or its own KMS key)
   */
  readonly kmsKeyArn?: string;

  /**
   * An IAM role to assume for state access (a separate state account).
   *
   * @default - the credentials that run Terraform
   */
  readonly roleArn?: string;
}

/**
 * Remote state for a stack: encrypted, with locking.
 *
 * Locking uses S3's native lock file (`use_lockfile`, Terraform 1.10+), so no DynamoDB table
 * is needed. Use it for every environment deployed from CI, development included: a runner's
 * disk is gone after the job, so local state would make the next run create everything again.
 * Only a stack that is never applied (a local experiment) can keep cdktf's local backend, which
 * the rule pack reports for staging and production.
 *
 * @example
 * StateBackend.s3(stack, { bucketName: 'acme-terraform-state', region: 'eu-west-1' });
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export class StateBackend {
  /**
   * Stores the stack's state in S3, encrypted, with S3 native locking.
   *
   * @param stack any TerraformStack (a GroundworkStack or a bootstrap stack)
   */
  public static s3(stack: TerraformStack, options: S3StateOptions): S3Backend {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucketName)) {
      invalidProp(stack, 'bucketName', 'be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)', options.bucketName);
    }
    if (options.key !== undefined && (options.key.startsWith('/') || options.key.length === 0)) {
      invalidProp(stack, 'key', 'be a relative object key such as "shop/production/terraform.tfstate"', options.key);
    }
    const backend = new S3Backend(stack, {
      bucket: options.bucketName,
      key: options.key ?? `${stack.node.id}/terraform.tfstate`,
      region: options.region,
      encrypt: true,
      kmsKeyId: options.kmsKeyArn,
      assumeRole: options.roleArn ? { roleArn: options.roleArn } : undefined,
    });
    // cdktf 0.21's typed S3 backend predates use_lockfile.
    backend.addOverride('use_lockfile', true);
    return backend;
  }

  private constructor() {}
}
