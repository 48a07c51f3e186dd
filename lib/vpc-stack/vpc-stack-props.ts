import type { FlowLogTrafficType, NatGatewayMode, TransitGatewayRouting } from './vpc-stack';

/** Properties of a {@link VpcStack}. */
export interface VpcStackProps {
  /** The VPC's IPv4 CIDR block, a /16 to a /28, e.g. `10.0.0.0/16`. */
  readonly cidr: string;

  /**
   * Availability Zone names, 2 to 6, all in the stack's region, e.g.
   * `['eu-west-1a', 'eu-west-1b', 'eu-west-1c']`.
   *
   * Names rather than a lookup, so synth and plan need no AWS call. A zone's subnets take
   * the address slot of its letter (a, b, c, ...), so zones can be added, removed or
   * reordered without re-addressing the others.
   */
  readonly availabilityZones: string[];

  /**
   * Subnet slots reserved in each tier, one per zone letter (a, b, c, ...). Every zone
   * letter used must be below this count.
   *
   * @default 6
   */
  readonly maxAvailabilityZones?: number;

  /**
   * Prefix length of each public subnet.
   *
   * @default - VPC prefix + 6, at most 28 (a /22 in a /16 VPC)
   */
  readonly publicSubnetMask?: number;

  /**
   * Prefix length of each private subnet. Private subnets hold the EKS nodes and pods, and
   * the VPC CNI gives every pod a VPC address, so they are the largest tier.
   *
   * @default - VPC prefix + 4, at most 28 (a /20 in a /16 VPC)
   */
  readonly privateSubnetMask?: number;

  /**
   * Prefix length of each isolated subnet.
   *
   * @default - VPC prefix + 6, at most 28 (a /22 in a /16 VPC)
   */
  readonly isolatedSubnetMask?: number;

  /**
   * Create the public tier (internet gateway, load balancers, NAT gateways).
   *
   * @default true
   */
  readonly publicSubnets?: boolean;

  /**
   * Create the private tier (workloads; egress through NAT).
   *
   * @default true
   */
  readonly privateSubnets?: boolean;

  /**
   * Create the isolated tier (databases and caches; no route to the internet) and the DB
   * and ElastiCache subnet groups on it.
   *
   * @default true
   */
  readonly isolatedSubnets?: boolean;

  /**
   * NAT gateways for the private tier.
   *
   * @default - ONE_PER_AZ in production, SINGLE otherwise; NONE when there is no public or no private tier
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * Give instances launched in public subnets a public IP address.
   *
   * @default false
   */
  readonly mapPublicIpOnLaunch?: boolean;

  /**
   * Record VPC flow logs to an encrypted CloudWatch Logs group. Turning them off removes the
   * network audit trail; a warning is recorded.
   *
   * @default true
   */
  readonly flowLogs?: boolean;

  /**
   * Which traffic flow logs record.
   *
   * @default FlowLogTrafficType.ALL
   */
  readonly flowLogTrafficType?: FlowLogTrafficType;

  /**
   * Retention of the flow log group, in days (a value CloudWatch Logs accepts).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly flowLogRetentionDays?: number;

  /**
   * Gateway endpoints for S3 and DynamoDB on the private and isolated route tables, so
   * that traffic to them stays off the NAT gateways (free, and cheaper egress).
   *
   * @default true
   */
  readonly gatewayEndpoints?: boolean;

  /**
   * Interface endpoints to create in the private subnets, by service suffix, e.g.
   * `['ecr.api', 'ecr.dkr', 'sts', 'logs']`. They get private DNS and a security group that
   * admits HTTPS from the VPC only.
   *
   * @default - none
   */
  readonly interfaceEndpoints?: string[];

  /**
   * Name of the EKS cluster that will use this VPC. When given, public and private subnets
   * carry the `kubernetes.io/cluster/<name>` tag.
   *
   * The role tags (`kubernetes.io/role/elb` on public, `kubernetes.io/role/internal-elb` on
   * private) are always set, so the AWS Load Balancer Controller finds the subnets.
   *
   * @default - no cluster tag
   */
  readonly eksClusterName?: string;

  /**
   * Networks reached through a transit gateway, e.g. the shared CI network whose self-hosted
   * runners deploy the cluster (with their CIDR in the AppCluster's `privateEndpointAccessCidrs`,
   * so the API endpoint stays private). The VPC is attached to the gateway in its private
   * subnets, and each private route table routes `destinationCidrs` to it: the replies to the
   * runners go back the way they came. The gateway (or its RAM share) and its own route tables
   * are the network team's.
   *
   * @default - no transit gateway
   */
  readonly transitGateway?: TransitGatewayRouting;
}
