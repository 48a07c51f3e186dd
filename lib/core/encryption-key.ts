import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Lazy, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { GroundworkStack } from './groundwork-stack';
import { Naming } from './naming';
import { checkIntegerInRange, invalidProp } from './private/errors';
import { pathInStack as pathOf } from './private/paths';
import { policyDocument, PolicyStatement } from './private/policy';

/** Properties of an {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** What the key protects; shown in the KMS console. */
  readonly description: string;

  /**
   * The alias name without the `alias/` prefix.
   *
   * @default - `<project>-<environment>-<construct path in the stack>`, lowercased
   */
  readonly aliasName?: string;

  /**
   * Names of CloudWatch Logs log groups that may use this key. The CloudWatch Logs service
   * principal of the stack's region is allowed to use the key only with these log groups'
   * encryption context.
   *
   * @default - CloudWatch Logs may not use the key
   */
  readonly cloudWatchLogGroupNames?: string[];

  /**
   * Extra statements for the key policy, each one IAM policy statement as JSON, for an AWS
   * service that must use the key itself (for example CloudWatch publishing alarms to an SNS
   * topic encrypted with this key). Scope them with conditions such as `aws:SourceAccount`.
   * The account administration statement is always first.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-services.html
   */
  readonly extraPolicyStatementsJson?: string[];

  /**
   * Days between scheduling deletion of the key and its deletion (7-30).
   *
   * @default - the environment preset (7 in development, 30 otherwise)
   */
  readonly deletionWindowDays?: number;

  /**
   * Add `lifecycle.prevent_destroy`, so Terraform refuses to destroy the key.
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;

  /**
   * The AWS provider for the key and its alias, e.g. an aliased provider of a second region
   * for disaster-recovery copies.
   *
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with yearly automatic rotation and an alias.
 *
 * The key policy gives the account root principal administration (so IAM policies can grant
 * use of the key, as with the AWS default policy) and, when asked, lets CloudWatch Logs
 * encrypt the named log groups and adds the given extra statements.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/logs/encrypt-log-data-kms.html
 */
export class EncryptionKey extends Construct {
  /** The key's ARN. */
  public readonly keyArn: string;
  /** The key's ID. */
  public readonly keyId: string;
  /** The alias name, `alias/...`. */
  public readonly aliasName: string;
  /** The underlying key resource. */
  public readonly resource: KmsKey;

  private readonly logGroupNames: string[] = [];

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    checkIntegerInRange(this, 'deletionWindowDays', props.deletionWindowDays, 7, 30);

    const extraStatements = (props.extraPolicyStatementsJson ?? []).map((json, index) => {
      let statement: unknown;
      try {
        statement = JSON.parse(json);
      } catch {
        statement = undefined;
      }
      if (typeof statement !== 'object' || statement === null || Array.isArray(statement) || !('Effect' in statement)) {
        return invalidProp(this, `extraPolicyStatementsJson[${index}]`, 'be one JSON policy statement (an object with Effect)', json);
      }
      return statement as PolicyStatement;
    });

    this.logGroupNames.push(...(props.cloudWatchLogGroupNames ?? []));
    // Rendered at synth time, so log groups added later with allowCloudWatchLogs() are included.
    const policy = Lazy.stringValue({
      produce: () => policyDocument(this.policyStatements(stack, extraStatements)),
    });

    this.resource = new KmsKey(this, 'Resource', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? stack.preset.keyDeletionWindowDays,
      policy,
      lifecycle: { preventDestroy: props.preventDestroy ?? stack.preset.preventDestroy },
      provider: props.provider,
    });
    // The default alias follows the construct path, so two keys in one stack never collide.
    const pathInStack = pathOf(this, stack);
    this.aliasName = `alias/${props.aliasName ?? Naming.resourceName([stack.namePrefix, ...pathInStack], 250)}`;
    new KmsAlias(this, 'Alias', {
      name: this.aliasName,
      targetKeyId: this.resource.keyId,
      provider: props.provider,
    });
    this.keyArn = this.resource.arn;
    this.keyId = this.resource.keyId;
  }

  /**
   * Lets CloudWatch Logs of the stack's region use this key for one more log group (by
   * name), so several log groups of one construct can share a key.
   */
  public allowCloudWatchLogs(logGroupName: string): void {
    if (!this.logGroupNames.includes(logGroupName)) {
      this.logGroupNames.push(logGroupName);
    }
  }

  private policyStatements(stack: GroundworkStack, extraStatements: PolicyStatement[]): PolicyStatement[] {
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountAdministration',
        Effect: 'Allow',
        Principal: { AWS: stack.accountRootArn },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (this.logGroupNames.length > 0) {
      statements.push({
        Sid: 'CloudWatchLogsEncryption',
        Effect: 'Allow',
        Principal: { Service: `logs.${stack.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': this.logGroupNames.map(
              (name) => `arn:${stack.partition}:logs:${stack.region}:${stack.accountId}:log-group:${name}`,
            ),
          },
        },
      });
    }
    return [...statements, ...extraStatements];
  }
}
