/**
 * Something that reaches other resources from a security group: an EKS cluster's nodes, an
 * application's pods, a bastion. Data stores accept it in `allowConnectionsFrom(...)`, which
 * adds one described ingress rule from this security group on the data store's port.
 */
export interface IConnectable {
  /** The security group that traffic from this peer comes from. */
  readonly connectionsSecurityGroupId: string;
  /** What the peer is, used in the ingress rule description (e.g. "EKS nodes of shop-production"). */
  readonly connectionsDescription: string;
}

/**
 * An existing security group, as a peer for `allowConnectionsFrom(...)`.
 *
 * @example
 * db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion host'));
 */
export class SecurityGroupPeer implements IConnectable {
  /**
   * A peer for a security group that exists outside this construct tree, or any security
   * group ID (including a token from another resource).
   *
   * @param securityGroupId the security group ID
   * @param description what the peer is, used in the ingress rule description
   * @default description - "security group <id>"
   */
  public static fromSecurityGroupId(securityGroupId: string, description?: string): SecurityGroupPeer {
    return new SecurityGroupPeer(securityGroupId, description ?? `security group ${securityGroupId}`);
  }

  /** The security group ID. */
  public readonly connectionsSecurityGroupId: string;
  /** What the peer is, for rule descriptions. */
  public readonly connectionsDescription: string;

  private constructor(securityGroupId: string, description: string) {
    this.connectionsSecurityGroupId = securityGroupId;
    this.connectionsDescription = description;
  }
}
