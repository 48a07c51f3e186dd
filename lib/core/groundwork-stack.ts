import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentPreset, EnvironmentTier } from './environment';
import { REGION_PATTERN } from './private/aws-patterns';
import { invalidProp, ValidationError } from './private/errors';
import { startsWithSecurityGroupIdPrefix } from './private/security-group-name';
import { CommonTagsAspect } from './tags';

/** Properties of a {@link GroundworkStack}. */
export interface GroundworkStackProps {
  /**
   * Short project name, used in the `Project` tag and as the first part of resource names.
   *
   * Lowercase letters, digits and dashes, starting with a letter, 2-24 characters, so the
   * names derived from it fit the tightest AWS limits.
   */
  readonly project: string;

  /** The environment tier; every construct in the stack takes its defaults from its preset. */
  readonly environment: EnvironmentTier;

  /**
   * The 12-digit AWS account the stack deploys into.
   *
   * Needed offline for least-privilege policies (KMS key policies, IAM conditions), and set
   * as the provider's `allowed_account_ids`, so credentials for the wrong account fail the
   * plan instead of changing it.
   */
  readonly accountId: string;

  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;

  /**
   * Extra tags for every taggable resource, next to Project, Environment and ManagedBy.
   *
   * @default - no extra tags
   */
  readonly tags?: { [key: string]: string };
}

const STACK_MARKER = Symbol.for('cdktf-groundwork.GroundworkStack');


/**
 * A Terraform stack for AWS resources built with this library.
 *
 * It configures the AWS provider for one account and region, tags every taggable resource
 * with Project, Environment and ManagedBy (plus your own tags), and carries the
 * {@link EnvironmentPreset} from which the constructs inside take their defaults.
 *
 * @example
 * const stack = new GroundworkStack(app, 'shop-production', {
 *   project: 'shop',
 *   environment: EnvironmentTier.PRODUCTION,
 *   accountId: '123456789012',
 *   region: 'eu-west-1',
 * });
 * new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
 */
export class GroundworkStack extends TerraformStack {
  /** True when `x` is a GroundworkStack (works across copies of the library). */
  public static isGroundworkStack(x: unknown): x is GroundworkStack {
    return typeof x === 'object' && x !== null && STACK_MARKER in x;
  }

  /**
   * The GroundworkStack that contains `construct`.
   *
   * @throws when the construct is not inside a GroundworkStack
   */
  public static ofConstruct(construct: IConstruct): GroundworkStack {
    const stack = TerraformStack.of(construct);
    if (!GroundworkStack.isGroundworkStack(stack)) {
      throw new ValidationError(
        `${construct.constructor.name} ${construct.node.path}: must be created inside a GroundworkStack ` +
          `(it takes its account, region and environment preset from it), got a ${stack.constructor.name}`,
      );
    }
    return stack;
  }

  /** The project name. */
  public readonly project: string;
  /** The environment tier. */
  public readonly environment: EnvironmentTier;
  /** The defaults of the environment tier. */
  public readonly preset: EnvironmentPreset;
  /** The AWS account ID. */
  public readonly accountId: string;
  /** The AWS region. */
  public readonly region: string;
  /** The AWS partition of the region (`aws`, `aws-cn` or `aws-us-gov`). */
  public readonly partition: string;
  /** The tags applied to every taggable resource. */
  public readonly commonTags: { [key: string]: string };
  /** The AWS provider of this stack. */
  public readonly awsProvider: AwsProvider;

  constructor(scope: Construct, id: string, props: GroundworkStackProps) {
    super(scope, id);
    Object.defineProperty(this, STACK_MARKER, { value: true });

    if (!/^[a-z][a-z0-9-]{1,23}$/.test(props.project) || props.project.endsWith('-')) {
      invalidProp(this, 'project', 'be 2-24 lowercase letters, digits or dashes, starting with a letter', props.project);
    }
    if (startsWithSecurityGroupIdPrefix(`${props.project}-`)) {
      invalidProp(
        this,
        'project',
        'not be "sg" or start with "sg-": resource names start with "<project>-", and EC2 rejects security group names starting with "sg-"',
        props.project,
      );
    }
    if (!Object.values(EnvironmentTier).includes(props.environment)) {
      invalidProp(this, 'environment', `be one of ${Object.values(EnvironmentTier).join(', ')}`, props.environment);
    }
    if (!/^\d{12}$/.test(props.accountId)) {
      invalidProp(this, 'accountId', 'be a 12-digit AWS account ID', props.accountId);
    }
    if (!REGION_PATTERN.test(props.region)) {
      invalidProp(this, 'region', 'be an AWS region name such as eu-west-1', props.region);
    }
    const userTags = props.tags ?? {};
    for (const [key, value] of Object.entries(userTags)) {
      if (CommonTagsAspect.RESERVED_KEYS.includes(key)) {
        invalidProp(this, `tags.${key}`, `not be set: ${CommonTagsAspect.RESERVED_KEYS.join(', ')} are set by the library`, value);
      }
      if (key.toLowerCase().startsWith('aws:') || key.length === 0 || key.length > 128) {
        invalidProp(this, 'tags', 'have keys of 1-128 characters that do not start with "aws:"', key);
      }
      if (value.length > 256) {
        invalidProp(this, `tags.${key}`, 'be at most 256 characters', value);
      }
    }

    this.project = props.project;
    this.environment = props.environment;
    this.preset = EnvironmentPreset.forTier(props.environment);
    this.accountId = props.accountId;
    this.region = props.region;
    this.partition = partitionOf(props.region);
    this.commonTags = {
      ...userTags,
      Project: props.project,
      Environment: props.environment,
      ManagedBy: CommonTagsAspect.MANAGED_BY,
    };

    this.awsProvider = new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [props.accountId],
    });
    Aspects.of(this).add(new CommonTagsAspect(this.commonTags));
  }

  /** `<project>-<environment>`, the prefix of every resource name in this stack. */
  public get namePrefix(): string {
    return `${this.project}-${this.environment}`;
  }

  /** The ARN of the account's root principal, used in key policies. */
  public get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
}

/** The AWS partition a region belongs to. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
