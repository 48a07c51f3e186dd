import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IConnectable } from '../connections';
import { GroundworkStack } from '../groundwork-stack';
import { Naming } from '../naming';
import { invalidCombination, invalidProp } from './errors';

/**
 * The ingress rules of a data store's security group: one per peer, on the store's port, each
 * named `IngressFrom-<key>` in one scheme that never depends on call order. The key is the
 * `ruleId` given, else the peer's construct path below its stack, else its literal security
 * group ID, else its literal description; a peer with none of these needs a `ruleId` (an ID
 * drawn from a counter would rename the rule, and replace it, when the calls change order).
 */
export class PeerIngressRules {
  /** Rule ID -> the source security group it admits. */
  private readonly rules = new Map<string, string>();

  constructor(
    private readonly owner: Construct,
    private readonly securityGroupId: string,
    private readonly port: number,
    private readonly what: string,
  ) {}

  /** Whether a rule admits this security group already. */
  public admits(sourceSecurityGroupId: string): boolean {
    return [...this.rules.values()].includes(sourceSecurityGroupId);
  }

  /**
   * Admits `peer`; returns the new rule, or undefined when the peer's security group is
   * admitted already (EC2 refuses a second identical rule, whatever its ID).
   */
  public allow(peer: IConnectable, ruleId?: string): VpcSecurityGroupIngressRule | undefined {
    if (ruleId !== undefined && (Token.isUnresolved(ruleId) || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(ruleId))) {
      invalidProp(this.owner, 'allowConnectionsFrom(ruleId)', 'be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit', ruleId);
    }
    const source = peer.connectionsSecurityGroupId;
    if ([...this.rules.values()].includes(source)) return undefined;
    const id = this.ruleIdFor(peer, ruleId);
    if (this.rules.has(id)) {
      invalidCombination(this.owner, `allowConnectionsFrom: the rule ${id} already admits another peer ("${peer.connectionsDescription}" would take it); give this peer a distinct ruleId`);
    }
    this.rules.set(id, source);
    return new VpcSecurityGroupIngressRule(this.owner, id, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: source,
      ipProtocol: 'tcp',
      fromPort: this.port,
      toPort: this.port,
      description: `${this.what} from ${peer.connectionsDescription}`,
    });
  }

  /** The construct ID of the rule that admits `peer`: `IngressFrom-<ruleId or key>`. */
  public ruleIdFor(peer: IConnectable, ruleId?: string): string {
    return `IngressFrom-${ruleId ?? this.keyOf(peer)}`;
  }

  private keyOf(peer: IConnectable): string {
    if (Construct.isConstruct(peer)) {
      const stack = GroundworkStack.ofConstruct(this.owner);
      const path = peer.node.path.startsWith(`${stack.node.path}/`) ? peer.node.path.slice(stack.node.path.length + 1) : peer.node.path;
      return path.replace(/\//g, '-');
    }
    if (!Token.isUnresolved(peer.connectionsSecurityGroupId)) return peer.connectionsSecurityGroupId;
    if (!Token.isUnresolved(peer.connectionsDescription)) return Naming.resourceName([peer.connectionsDescription], 100);
    return invalidProp(
      this.owner,
      'allowConnectionsFrom(ruleId)',
      'be given for a peer whose security group ID and description are both unknown until apply (a generated ID would depend on call order)',
      undefined,
    );
  }
}
