import { IVpcStack } from '../vpc-stack/vpc-stack';

/** Properties of an {@link AppLoadBalancer}. */
export interface AppLoadBalancerProps {
  /** The VPC; the load balancer goes into its public subnets (at least two zones). */
  readonly vpc: IVpcStack;

  /**
   * ARN of the ACM certificate for the HTTPS listener, in the stack's region.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html
   */
  readonly certificateArn: string;

  /**
   * The security group of the targets (for EKS: the cluster security group the nodes and pods
   * use). The load balancer may send traffic to it on `targetPort` only, and it gets a
   * described ingress rule from the load balancer's security group on that port; its IP target
   * group is the HTTPS listener's default action.
   *
   * Leave it out for a load balancer shared by several services: it then starts with no target
   * group, answers what no route matches with a fixed 404, and each service adds its own target
   * group and listener rule (`AppCluster.addService`).
   *
   * @default - no default target group
   */
  readonly targetSecurityGroupId?: string;

  /**
   * Make the load balancer internal: it goes into the VPC's private subnets, its DNS name resolves
   * to private addresses only, and `ingressCidrs` defaults to the VPC's CIDR block.
   *
   * @default false - internet-facing, in the public subnets
   */
  readonly internal?: boolean;

  /**
   * What the targets are, for rule descriptions.
   *
   * @default "the targets"
   */
  readonly targetDescription?: string;

  /**
   * The port the targets (pods) listen on.
   *
   * @default 8080
   */
  readonly targetPort?: number;

  /**
   * The HTTP path of the target group's health check.
   *
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * IPv4 CIDR blocks allowed to reach the load balancer on ports 80 and 443.
   *
   * @default - ["0.0.0.0/0"] for an internet-facing load balancer (it is the public entry point); the VPC's CIDR block for an internal one
   */
  readonly ingressCidrs?: string[];

  /**
   * Turn on deletion protection of the load balancer.
   *
   * @default - the environment preset (on in staging and production)
   */
  readonly deletionProtection?: boolean;

  /**
   * Days the access logs are kept in their bucket.
   *
   * @default - the environment preset's log retention (30 development, 90 staging, 365 production)
   */
  readonly accessLogRetentionDays?: number;

  /**
   * The load balancer's name: 1-32 letters, digits and hyphens, not starting or ending with a
   * hyphen or starting with "internal-".
   *
   * @default - `<project>-<environment>-<construct path>`, shortened with a hash to 32 characters
   */
  readonly loadBalancerName?: string;

  /**
   * Seconds the target group keeps a deregistered target (a terminating pod) in `draining`, so
   * requests already in flight to it can finish; new requests go to other targets at once.
   * 0-3600. Keep it at least as long as the app's slowest request, and keep the pod alive at
   * least this long after it is deregistered: the workload chart's `preStopSleepSeconds` plus the
   * app's own drain time (after SIGTERM) should cover it. A workload chart built from the
   * service (`service:`) fails the synth when they do not; a chart given plain values instead is
   * not checked against this.
   *
   * @default 30 - instead of the AWS default of 300, far longer than a terminating pod lives
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
   */
  readonly deregistrationDelaySeconds?: number;

  /**
   * Path patterns the public must not reach: the HTTPS listener answers them with a fixed 404
   * before any forwarding, because the app serves them on the port the target group forwards to
   * (e.g. Prometheus `/metrics`, which in-cluster scrapers reach directly). ALB path patterns:
   * case-sensitive, a "/" first, at most 128 characters, `*` and `?` as wildcards, matched against
   * the path only (not the query string). They are grouped into listener rules of at most three
   * patterns and five wildcards each, with priorities 1 to 10: give any listener rule of your own
   * a priority above 10. An empty list blocks nothing.
   *
   * @default ["/metrics", "/metrics/*"]
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#path-conditions
   */
  readonly blockedPaths?: string[];
}
