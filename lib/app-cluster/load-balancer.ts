import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { GroundworkStack } from '../core/groundwork-stack';
import { Naming } from '../core/naming';
import { SecureBucket } from '../core/secure-bucket';
import { IVpcStack } from '../vpc-stack/vpc-stack';
import { elbLogDeliveryStatement } from './private/eks-elb-log-delivery';
import { resolveLoadBalancerProps } from './private/eks-load-balancer-props';

/**
 * The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Prefix of the access log objects in the bucket (`<prefix>/AWSLogs/<account>/...`). */
const ACCESS_LOG_PREFIX = 'alb';

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
   * described ingress rule from the load balancer's security group on that port.
   */
  readonly targetSecurityGroupId: string;

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
   * @default ["0.0.0.0/0"] - it is the public entry point
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
   * app's own drain time (after SIGTERM) should cover it. The Terraform stack and the YAML chart
   * meet only by these values; nothing checks one against the other.
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

/**
 * An internet-facing Application Load Balancer owned by Terraform, the public entry point of an
 * application whose pods register themselves in its IP target group (through a
 * TargetGroupBinding of the AWS Load Balancer Controller), so WAF can be attached to a load
 * balancer whose ARN Terraform knows.
 *
 * - HTTPS on 443 with an ACM certificate and the `ELBSecurityPolicy-TLS13-1-2-2021-06` policy;
 *   HTTP on 80 only redirects to HTTPS (301). Paths listed in `blockedPaths` (by default the
 *   app's `/metrics`) get a fixed 404 from the load balancer and never reach the app.
 * - Deregistered pods drain for `deregistrationDelaySeconds` (30 s), not the AWS default 300 s.
 * - Invalid header fields are dropped (request smuggling protection).
 * - Access logs go to a versioned, private, TLS-only S3 bucket with SSE-S3 (ELB cannot write
 *   to SSE-KMS buckets), whose policy lets only the region's ELB log delivery write under
 *   `alb/AWSLogs/<account>/`.
 * - Its security group admits only 80 and 443 from `ingressCidrs` and sends only to the
 *   targets' security group on the target port; the targets' group admits the load balancer
 *   on that port. Every rule has a description.
 * - Deletion protection follows the environment preset.
 *
 * Child IDs: `SecurityGroup`, `IngressHttps-<cidr>`, `IngressHttp-<cidr>`, `EgressToTargets`,
 * `TargetIngress`, `AccessLogs` (a SecureBucket), `Resource` (the load balancer),
 * `TargetGroup`, `HttpsListener`, `HttpListener`, `BlockedPaths-<n>` (the 404 listener rules,
 * numbered from 1 in priority order).
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html
 */
export class AppLoadBalancer extends Construct {
  /** The load balancer's ARN (what WAF associates with). */
  public readonly loadBalancerArn: string;
  /** The load balancer's name. */
  public readonly loadBalancerName: string;
  /**
   * The last part of the load balancer's ARN (`app/<name>/<id>`): the `LoadBalancer` dimension
   * of its CloudWatch metrics.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   */
  public readonly loadBalancerArnSuffix: string;
  /** The load balancer's DNS name (the target of the application's DNS record). */
  public readonly loadBalancerDnsName: string;
  /** The hosted zone ID of the load balancer, for Route 53 alias records. */
  public readonly loadBalancerZoneId: string;
  /** The IP target group's ARN (what the TargetGroupBinding refers to). */
  public readonly targetGroupArn: string;
  /**
   * The last part of the target group's ARN (`targetgroup/<name>/<id>`): the `TargetGroup`
   * dimension of its CloudWatch metrics.
   */
  public readonly targetGroupArnSuffix: string;
  /** The load balancer's security group ID. */
  public readonly securityGroupId: string;
  /** The name of the bucket holding the access logs. */
  public readonly accessLogBucketName: string;
  /** The port the targets listen on. */
  public readonly targetPort: number;
  /** The deletion protection in effect. */
  public readonly deletionProtection: boolean;
  /** The target group's deregistration delay in seconds. */
  public readonly deregistrationDelaySeconds: number;
  /** The path patterns answered with 404 instead of being forwarded. */
  public readonly blockedPaths: string[];
  /** The underlying load balancer resource. */
  public readonly resource: Lb;

  constructor(scope: Construct, id: string, props: AppLoadBalancerProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = resolveLoadBalancerProps(this, stack, props);

    // ---- Security group: 80/443 in from the allowed CIDRs, out only to the targets ----
    const sg = new SecurityGroup(this, 'SecurityGroup', {
      name: `${resolved.name}-alb`,
      description: `Load balancer ${resolved.name}: HTTP/HTTPS from the allowed CIDRs, out only to ${resolved.targetDescription}`,
      vpcId: props.vpc.vpcId,
      tags: { Name: `${resolved.name}-alb` },
    });
    for (const cidr of resolved.ingressCidrs) {
      const key = cidr.replace(/\//g, '_');
      new VpcSecurityGroupIngressRule(this, `IngressHttps-${key}`, {
        securityGroupId: sg.id,
        description: `HTTPS to the public entry point from ${cidr}`,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
        tags: { Name: `${resolved.name}-https-${cidr}` },
      });
      new VpcSecurityGroupIngressRule(this, `IngressHttp-${key}`, {
        securityGroupId: sg.id,
        description: `HTTP from ${cidr}, only redirected to HTTPS`,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidrIpv4: cidr,
        tags: { Name: `${resolved.name}-http-${cidr}` },
      });
    }
    new VpcSecurityGroupEgressRule(this, 'EgressToTargets', {
      securityGroupId: sg.id,
      description: `Requests and health checks to ${resolved.targetDescription} on port ${resolved.targetPort}`,
      ipProtocol: 'tcp',
      fromPort: resolved.targetPort,
      toPort: resolved.targetPort,
      referencedSecurityGroupId: props.targetSecurityGroupId,
      tags: { Name: `${resolved.name}-to-targets` },
    });
    new VpcSecurityGroupIngressRule(this, 'TargetIngress', {
      securityGroupId: props.targetSecurityGroupId,
      description: `Requests and health checks from load balancer ${resolved.name} on port ${resolved.targetPort}`,
      ipProtocol: 'tcp',
      fromPort: resolved.targetPort,
      toPort: resolved.targetPort,
      referencedSecurityGroupId: sg.id,
      tags: { Name: `${resolved.name}-from-load-balancer` },
    });
    this.securityGroupId = sg.id;

    // ---- Access logs ----
    // The name is fixed here (not taken from the bucket) because the bucket policy that lets
    // ELB write must be known when the bucket is created.
    const bucketName = Naming.resourceName([resolved.name, 'access-logs', stack.accountId], 63);
    const bucketArn = `arn:${stack.partition}:s3:::${bucketName}`;
    const logs = new SecureBucket(this, 'AccessLogs', {
      purpose: `access logs of load balancer ${resolved.name}`,
      bucketName,
      s3ManagedEncryption: true,
      expirationDays: resolved.accessLogRetentionDays,
      extraPolicyStatementsJson: [
        JSON.stringify(
          elbLogDeliveryStatement(stack.partition, stack.region, `${bucketArn}/${ACCESS_LOG_PREFIX}/AWSLogs/${stack.accountId}/*`),
        ),
      ],
    });
    this.accessLogBucketName = logs.bucketName;
    // ELB checks that it may write to the bucket when access logs are turned on.
    const logsPolicy = logs.node.findChild('Policy') as S3BucketPolicy;

    // ---- The load balancer ----
    this.resource = new Lb(this, 'Resource', {
      name: resolved.name,
      loadBalancerType: 'application',
      internal: false,
      ipAddressType: 'ipv4',
      subnets: props.vpc.publicSubnetIds,
      securityGroups: [sg.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: resolved.deletionProtection,
      accessLogs: { bucket: logs.bucketName, prefix: ACCESS_LOG_PREFIX, enabled: true },
      tags: { Name: resolved.name },
      dependsOn: [logsPolicy],
    });
    this.loadBalancerArn = this.resource.arn;
    this.loadBalancerName = resolved.name;
    this.loadBalancerArnSuffix = this.resource.arnSuffix;
    this.loadBalancerDnsName = this.resource.dnsName;
    this.loadBalancerZoneId = this.resource.zoneId;
    this.targetPort = resolved.targetPort;
    this.deletionProtection = resolved.deletionProtection;
    this.deregistrationDelaySeconds = resolved.deregistrationDelaySeconds;
    this.blockedPaths = resolved.blockedPathRules.flat();

    // ---- Target group: pod IPs, registered by the AWS Load Balancer Controller ----
    // No fixed name: a change that replaces the target group (port, protocol) can then create
    // the new one before destroying the old one, which the listener still points at.
    const targetGroup = new LbTargetGroup(this, 'TargetGroup', {
      targetType: 'ip',
      protocol: 'HTTP',
      port: resolved.targetPort,
      vpcId: props.vpc.vpcId,
      // A drain longer than the pod lives after deregistration gains nothing (requests still in
      // flight die with the pod); the default fits AppWorkloadChart's preStop sleep + grace period.
      deregistrationDelay: Tokenization.stringifyNumber(resolved.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: resolved.healthCheckPath,
        // 2xx only: a /health that redirects (to a login page, say) is not healthy.
        matcher: '200-299',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: `${resolved.name}-app` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;

    // ---- Listeners ----
    const httpsListener = new LbListener(this, 'HttpsListener', {
      loadBalancerArn: this.resource.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags: { Name: `${resolved.name}-https` },
    });
    // The app serves these on the traffic port (metrics for in-cluster scrapers); the lowest
    // priorities put the 404 ahead of any forwarding rule.
    resolved.blockedPathRules.forEach((patterns, index) => {
      new LbListenerRule(this, `BlockedPaths-${index + 1}`, {
        listenerArn: httpsListener.arn,
        priority: index + 1,
        condition: [{ pathPattern: { values: patterns } }],
        action: [
          {
            type: 'fixed-response',
            fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' },
          },
        ],
        tags: { Name: `${resolved.name}-blocked-paths-${index + 1}` },
      });
    });
    new LbListener(this, 'HttpListener', {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
      ],
      tags: { Name: `${resolved.name}-http-redirect` },
    });
  }
}
