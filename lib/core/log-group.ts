import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { GroundworkStack } from './groundwork-stack';
import { checkLogRetentionDays } from './private/log-retention';

/** Properties of an {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** The log group name. Some services require a fixed prefix (e.g. `aws-waf-logs-`). */
  readonly logGroupName: string;

  /**
   * Retention in days; must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly retentionDays?: number;

  /**
   * What the log group holds, for the key's description.
   *
   * @default - the log group name
   */
  readonly description?: string;

  /**
   * Encrypt with this key instead of a new one (the key's policy is extended to this log
   * group), so the log groups of one construct can share a key.
   *
   * @default - a new rotating key for this log group
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Add `lifecycle.prevent_destroy` to the log group's key (when it creates one).
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;
}

/**
 * A CloudWatch Logs group encrypted with a rotating customer-managed KMS key (its own, or one
 * shared by the log groups of a construct), whose key policy lets CloudWatch Logs use it for
 * the named log groups only, with a retention the API accepts.
 *
 * The child IDs are `Key` (when it creates its own key) and `Resource`.
 */
export class EncryptedLogGroup extends Construct {
  /** The log group name. */
  public readonly logGroupName: string;
  /** The log group ARN (without the `:*` suffix). */
  public readonly logGroupArn: string;
  /** The retention in effect, in days. */
  public readonly retentionDays: number;
  /** The key that encrypts the log group. */
  public readonly key: EncryptionKey;
  /** The underlying log group resource. */
  public readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    this.retentionDays = props.retentionDays ?? stack.preset.logRetentionDays;
    checkLogRetentionDays(this, 'retentionDays', this.retentionDays);

    if (props.encryptionKey) {
      this.key = props.encryptionKey;
      this.key.allowCloudWatchLogs(props.logGroupName);
    } else {
      this.key = new EncryptionKey(this, 'Key', {
        description: `Encrypts the CloudWatch log group ${props.description ?? props.logGroupName}`,
        cloudWatchLogGroupNames: [props.logGroupName],
        preventDestroy: props.preventDestroy,
      });
    }
    this.resource = new CloudwatchLogGroup(this, 'Resource', {
      name: props.logGroupName,
      retentionInDays: this.retentionDays,
      kmsKeyId: this.key.keyArn,
    });
    this.logGroupName = props.logGroupName;
    this.logGroupArn = this.resource.arn;
  }
}
