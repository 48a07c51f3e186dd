import { IAspect, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

const RESERVED_TAG_KEYS: readonly string[] = ['Project', 'Environment', 'ManagedBy'];

interface TaggableResource extends TerraformResource {
  tags: { [key: string]: string } | undefined;
  readonly tagsInput: { [key: string]: string } | undefined;
}

function isTaggable(node: IConstruct): node is TaggableResource {
  return TerraformResource.isTerraformResource(node) && 'tagsInput' in node && 'tags' in node;
}

/**
 * Adds a set of tags to every resource in a scope that has a `tags` argument.
 *
 * Tags already set on a resource (a `Name`, say) are kept; the common tags fill in around
 * them, and the reserved keys (Project, Environment, ManagedBy) always win so a resource
 * cannot claim to belong to another environment.
 *
 * Tags are applied per resource rather than through the provider's `default_tags`, so they
 * show in the synthesized JSON and the plan, and tests can assert them.
 */
export class CommonTagsAspect implements IAspect {
  /** The tag keys the library sets on every taggable resource. Consumers cannot override them. */
  public static readonly RESERVED_KEYS: string[] = [...RESERVED_TAG_KEYS];
  /** Value of the `ManagedBy` tag. */
  public static readonly MANAGED_BY: string = 'cdktf-groundwork';

  /**
   * @param tags the tags to apply; reserved keys override a resource's own values
   */
  constructor(private readonly tags: { [key: string]: string }) {}

  /** Applies the tags to `node` when it is a taggable resource. */
  public visit(node: IConstruct): void {
    if (!isTaggable(node)) {
      return;
    }
    const reserved: { [key: string]: string } = {};
    const extra: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(this.tags)) {
      (RESERVED_TAG_KEYS.includes(key) ? reserved : extra)[key] = value;
    }
    node.tags = { ...extra, ...(node.tagsInput ?? {}), ...reserved };
  }
}
