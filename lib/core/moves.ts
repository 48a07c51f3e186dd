import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { invalidProp } from './private/errors';

/** A Terraform resource address as a moved block takes it: `type.name`, optionally indexed. */
const ADDRESS = /^(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"]*")\])?$/;

/**
 * `moved` blocks, which carry a resource's state from the address an earlier release gave it to
 * its address now, so that an upgrade moves it instead of replacing it.
 *
 * It writes the same blocks as cdktf's `moveFromId`, without the check cdktf adds to every stack
 * that has one: a `terraform version` process at each synth (about 50 ms a stack here; this
 * library's moves need Terraform 1.5, which it requires anyway).
 *
 * @example
 * ResourceMoves.moveFrom(grant.policy, 'aws_iam_role_policy.AppDatabaseAccess');
 * @see https://developer.hashicorp.com/terraform/language/moved
 */
export class ResourceMoves {
  /**
   * Moves the state at `fromAddress` (in the resource's stack) to `resource`.
   *
   * @param resource where the state goes
   * @param fromAddress the resource's former address, e.g. `aws_iam_role.App_AppServiceAccountRole_E96E30EC`
   */
  public static moveFrom(resource: TerraformResource, fromAddress: string): void {
    if (!ADDRESS.test(fromAddress)) {
      invalidProp(resource, 'moveFrom(fromAddress)', 'be a Terraform resource address such as aws_iam_role.App_Role_1A2B3C4D', fromAddress);
    }
    const stack = TerraformStack.of(resource);
    const blocks = (stack.node.tryFindChild(MovedBlocks.ID) as MovedBlocks | undefined) ?? new MovedBlocks(stack);
    blocks.add(resource, fromAddress);
  }

  /**
   * Like `moveFrom`, for an address the configuration may still declare when it is synthesized
   * (a library-made move whose old resource can come back through another path): the block is
   * written only when no resource of the stack has `fromAddress` then.
   *
   * @internal
   */
  public static _moveFromUnlessDeclared(resource: TerraformResource, fromAddress: string): void {
    ResourceMoves.moveFrom(resource, fromAddress);
    (TerraformStack.of(resource).node.findChild(MovedBlocks.ID) as MovedBlocks).markConditional(fromAddress);
  }

  private constructor() {}
}

/** The moved blocks of one stack, written at synth when the addresses they point to are final. */
class MovedBlocks extends TerraformElement {
  public static readonly ID = 'GroundworkMovedBlocks';
  private readonly moves: Array<{ readonly from: string; readonly resource: TerraformResource }> = [];
  /** Moves written only when no resource of the stack is declared at their `from` address. */
  private readonly conditional = new Set<string>();

  constructor(stack: Construct) {
    super(stack, MovedBlocks.ID);
  }

  public add(resource: TerraformResource, from: string): void {
    const taken = this.moves.find((m) => m.from === from);
    if (taken !== undefined) {
      invalidProp(resource, 'moveFrom(fromAddress)', `be moved once; it already moves to ${taken.resource.node.path}`, from);
    }
    this.moves.push({ from, resource });
  }

  public markConditional(from: string): void {
    this.conditional.add(from);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's TerraformElement.toTerraform returns any
  public toTerraform(): any {
    return { moved: this.written().map((m) => ({ from: m.from, to: addressOf(m.resource) })) };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's TerraformElement.toHclTerraform returns any
  public toHclTerraform(): any {
    const reference = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'reference' });
    return { moved: this.written().map((m) => ({ from: reference(m.from), to: reference(addressOf(m.resource)) })) };
  }

  /** The moves to write: all, but a conditional one whose `from` the stack declares now. */
  private written() {
    if (this.conditional.size === 0) return this.moves;
    const declared = new Set(
      this.node.scope!.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c)).map(addressOf),
    );
    return this.moves.filter((m) => !(this.conditional.has(m.from) && declared.has(m.from)));
  }
}

function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
