import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Lazy, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Checks } from '../checks/checks';
import { S3_NO_KMS_ENCRYPTION } from '../checks/rules/terraform/s3-no-kms-encryption';
import { GroundworkStack } from '../core/groundwork-stack';
import { ResourceMoves } from '../core/moves';
import { Naming } from '../core/naming';
import { invalidCombination, invalidProp } from '../core/private/errors';
import { SecureBucket } from '../core/secure-bucket';
import { AppLoadBalancerProps } from './load-balancer-props';
import { elbLogDeliveryStatement } from './private/eks-elb-log-delivery';
import { ResolvedLoadBalancerProps, resolveLoadBalancerProps } from './private/eks-load-balancer-props';
import { AllowTrafficOptions, ResolvedRouteConditions, routeClaims, RouteRegistration, TargetGroupOptions, TrafficRuleIds } from './private/route-validation';

// The props live in a file of their own; this module still exports them.
export { AppLoadBalancerProps } from './load-balancer-props';

/**
 * The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Prefix of the access log objects in the bucket (`<prefix>/AWSLogs/<account>/...`). */
const ACCESS_LOG_PREFIX = 'alb';


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
  /** The load balancer's security group ID. */
  public readonly securityGroupId: string;
  /** The name of the bucket holding the access logs. */
  public readonly accessLogBucketName: string;
  /** The deletion protection in effect. */
  public readonly deletionProtection: boolean;
  /** True for an internal load balancer (private subnets, private addresses). */
  public readonly internal: boolean;
  /** The ARN of the HTTPS listener, for listener rules of your own (priorities above 10). */
  public readonly httpsListenerArn: string;
  /** The path patterns answered with 404 instead of being forwarded. */
  public readonly blockedPaths: string[];
  /** The underlying load balancer resource. */
  public readonly resource: Lb;

  private readonly name: string;
  private readonly vpcId: string;
  private readonly httpsListener: LbListener;
  private readonly allowedTargets = new Map<string, [VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule]>();
  private readonly targetGroupOptions = new Map<LbTargetGroup, TargetGroupOptions>();
  private readonly adoptedTargets = new Set<string>();
  private readonly routes: RouteRegistration[] = [];
  private defaultTarget?: DefaultTarget;

  constructor(scope: Construct, id: string, props: AppLoadBalancerProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = resolveLoadBalancerProps(this, stack, props);

    // ---- Security group: 80/443 in from the allowed CIDRs, out only to the targets ----
    const sg = this.createSecurityGroup(props, resolved);
    this.securityGroupId = sg.id;
    this.name = resolved.name;

    // ---- Access logs ----
    const logs = this.createAccessLogs(stack, resolved);
    this.accessLogBucketName = logs.bucketName;

    // ---- The load balancer ----
    this.resource = this.createLoadBalancer(props, resolved, sg, logs);
    this.loadBalancerArn = this.resource.arn;
    this.loadBalancerName = resolved.name;
    this.loadBalancerArnSuffix = this.resource.arnSuffix;
    this.loadBalancerDnsName = this.resource.dnsName;
    this.loadBalancerZoneId = this.resource.zoneId;
    this.deletionProtection = resolved.deletionProtection;
    this.blockedPaths = resolved.blockedPathRules.flat();
    this.internal = resolved.internal;
    this.vpcId = props.vpc.vpcId;

    // ---- Listeners ----
    this.httpsListener = this.createHttpsListener(props, resolved);
    this.httpsListenerArn = this.httpsListener.arn;
    this.createBlockedPathRules(resolved);
    this.createHttpListener(resolved);

    // ---- One app behind the load balancer: its target group is the default action ----
    if (props.targetSecurityGroupId !== undefined) {
      this.createDefaultTarget(props.targetSecurityGroupId, resolved);
    }
  }

  /** True when a target group is the HTTPS listener's default action. */
  public get hasDefaultTargetGroup(): boolean {
    return this.defaultTarget !== undefined;
  }

  /**
   * The ARN of the default target group (what the HTTPS listener forwards to when no rule
   * matches), for a TargetGroupBinding. Resolved at synth: an error when the load balancer has no
   * default target group by then.
   */
  public get targetGroupArn(): string {
    return Lazy.stringValue({ produce: () => this.requireDefaultTarget('targetGroupArn').targetGroup.arn });
  }

  /**
   * The last part of the default target group's ARN (`targetgroup/<name>/<id>`): the
   * `TargetGroup` dimension of its CloudWatch metrics.
   */
  public get targetGroupArnSuffix(): string {
    return Lazy.stringValue({ produce: () => this.requireDefaultTarget('targetGroupArnSuffix').targetGroup.arnSuffix });
  }

  /** The port of the default target group's targets. Throws when there is no default target group. */
  public get targetPort(): number {
    return this.requireDefaultTarget('targetPort').port;
  }

  /** The default target group's deregistration delay in seconds. Throws when there is no default target group. */
  public get deregistrationDelaySeconds(): number {
    return this.requireDefaultTarget('deregistrationDelaySeconds').deregistrationDelaySeconds;
  }

  /**
   * Lets the load balancer send requests and health checks to a security group on one port: an
   * egress rule from the load balancer's group and an ingress rule on the targets' group, both
   * described. Calling it again for the same group and port does nothing, so services that share
   * a port (and the nodes' security group) share the rules.
   *
   * @param targetSecurityGroupId the targets' security group (the EKS nodes', or a service's pod security group)
   * @param port the port the targets listen on
   * @param targetDescription what the targets are, for the rule descriptions
   */
  public allowTrafficTo(targetSecurityGroupId: string, port: number, targetDescription: string): void {
    this._allowTrafficTo(targetSecurityGroupId, port, targetDescription);
  }

  /**
   * allowTrafficTo, with the rules' construct IDs or their former addresses given.
   *
   * @internal
   */
  public _allowTrafficTo(targetSecurityGroupId: string, port: number, targetDescription: string, options: AllowTrafficOptions = {}): void {
    const key = `${targetSecurityGroupId} ${port}`;
    const existing = this.allowedTargets.get(key);
    if (existing !== undefined) {
      // The rules exist for another service on the same group and port: they carry the old
      // addresses over as well as new ones would.
      if (options.movedFrom && !this.adoptedTargets.has(key)) {
        this.adoptedTargets.add(key);
        ResourceMoves.moveFrom(existing[0], options.movedFrom.egress);
        ResourceMoves.moveFrom(existing[1], options.movedFrom.ingress);
      }
      return;
    }
    const ids = options.ruleIds ?? {
      egress: `EgressTo-${Naming.resourceName([targetDescription], 80)}-${port}`,
      ingress: `IngressFrom-${Naming.resourceName([targetDescription], 80)}-${port}`,
    };
    const egress = new VpcSecurityGroupEgressRule(this, ids.egress, {
      securityGroupId: this.securityGroupId,
      description: `Requests and health checks to ${targetDescription} on port ${port}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: targetSecurityGroupId,
      tags: { Name: `${this.name}-to-targets${options.ruleIds ? '' : `-${port}`}` },
    });
    const ingress = new VpcSecurityGroupIngressRule(this, ids.ingress, {
      securityGroupId: targetSecurityGroupId,
      description: `Requests and health checks from load balancer ${this.name} on port ${port}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: this.securityGroupId,
      tags: { Name: `${this.name}-from-load-balancer${options.ruleIds ? '' : `-${port}`}` },
    });
    this.allowedTargets.set(key, [egress, ingress]);
    if (options.movedFrom) {
      this.adoptedTargets.add(key);
      ResourceMoves.moveFrom(egress, options.movedFrom.egress);
      ResourceMoves.moveFrom(ingress, options.movedFrom.ingress);
    }
  }

  /**
   * Creates an IP target group for pods that listen on `port`, with the health check and drain
   * this library uses everywhere: HTTP on the traffic port, 2xx only, every 15 s.
   *
   * @internal
   */
  public _createTargetGroup(scope: Construct, id: string, options: TargetGroupOptions): LbTargetGroup {
    // No fixed name: a change that replaces the target group (port, protocol) can then create
    // the new one before destroying the old one, which the listener still points at.
    const targetGroup = new LbTargetGroup(scope, id, {
      targetType: 'ip',
      protocol: 'HTTP',
      port: options.port,
      vpcId: this.vpcId,
      // A drain longer than the pod lives after deregistration gains nothing (requests still in
      // flight die with the pod); the default fits AppWorkloadChart's preStop sleep + grace period.
      deregistrationDelay: Tokenization.stringifyNumber(options.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: options.healthCheckPath,
        // 2xx only: a /health that redirects (to a login page, say) is not healthy.
        matcher: '200-299',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: options.nameTag },
      lifecycle: { createBeforeDestroy: true },
    });
    this.targetGroupOptions.set(targetGroup, options);
    return targetGroup;
  }

  /**
   * Makes a target group the HTTPS listener's default action: it gets every request that no
   * listener rule takes. At most one per load balancer.
   *
   * @internal
   */
  public _setDefaultTargetGroup(targetGroup: LbTargetGroup, owner: string): void {
    this._checkDefaultTargetGroupFree(this);
    const options = this.targetGroupOptions.get(targetGroup);
    if (options === undefined) {
      invalidCombination(this, `${owner}: the default target group must be one this load balancer created (_createTargetGroup)`);
    }
    this.defaultTarget = {
      targetGroup,
      owner,
      port: options.port,
      deregistrationDelaySeconds: options.deregistrationDelaySeconds,
    };
    this.httpsListener.putDefaultAction([{ type: 'forward', targetGroupArn: targetGroup.arn }]);
  }

  /**
   * Throws, labelled with `scope`, when the default action is taken already.
   *
   * @internal
   */
  public _checkDefaultTargetGroupFree(scope: IConstruct): void {
    if (this.defaultTarget !== undefined) {
      invalidCombination(
        scope,
        `route asks for the default action of load balancer ${this.name}, but ${this.defaultTarget.owner} already has it; ` +
          'a load balancer has one default action: give one of them a host or path route (ServiceRoute.sharedLoadBalancer)',
      );
    }
  }

  /**
   * Throws, labelled with `scope`, when another route has the same priority or claims the same
   * host and path. Services call it before they create anything.
   *
   * @internal
   */
  public _checkRoute(scope: IConstruct, conditions: ResolvedRouteConditions): void {
    const claims = routeClaims(conditions);
    for (const existing of this.routes) {
      if (existing.conditions.priority === conditions.priority) {
        invalidProp(
          scope,
          'route.priority',
          `differ from the priorities of the other routes on load balancer ${this.name}, but ${existing.owner} has it`,
          conditions.priority,
        );
      }
      const shared = routeClaims(existing.conditions).filter((c) => claims.includes(c));
      if (shared.length > 0) {
        invalidCombination(
          scope,
          `route claims ${JSON.stringify(shared)} on load balancer ${this.name}, which ${existing.owner} already claims; ` +
            'two services cannot serve the same host and path',
        );
      }
    }
  }

  /**
   * Adds a listener rule that forwards the requests matching `hosts` and `paths` to a target
   * group. Throws when another route claims the same host and path, or the same priority.
   *
   * @internal
   */
  public _addRoute(scope: Construct, id: string, route: RouteRegistration): LbListenerRule {
    this._checkRoute(scope, route.conditions);
    this.routes.push(route);
    const conditions: LbListenerRuleCondition[] = [];
    if (route.conditions.hosts.length > 0) conditions.push({ hostHeader: { values: route.conditions.hosts } });
    if (route.conditions.paths.length > 0) conditions.push({ pathPattern: { values: route.conditions.paths } });
    return new LbListenerRule(scope, id, {
      listenerArn: this.httpsListenerArn,
      priority: route.conditions.priority,
      condition: conditions,
      action: [{ type: 'forward', targetGroupArn: route.targetGroupArn }],
      tags: { Name: route.nameTag },
    });
  }

  /** The load balancer's security group, with HTTPS and HTTP in from each allowed CIDR block. */
  private createSecurityGroup(props: AppLoadBalancerProps, resolved: ResolvedLoadBalancerProps): SecurityGroup {
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
    return sg;
  }

  /** The access log bucket, with the policy that lets Elastic Load Balancing write to it. */
  private createAccessLogs(stack: GroundworkStack, resolved: ResolvedLoadBalancerProps): SecureBucket {
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
    // The one bucket of the library without a KMS key, for a reason no option can change.
    Checks.acknowledge(logs.resource, S3_NO_KMS_ENCRYPTION.id, 'Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 (S3-managed keys)');
    return logs;
  }

  /** The application load balancer, created after its access log bucket's policy. */
  private createLoadBalancer(props: AppLoadBalancerProps, resolved: ResolvedLoadBalancerProps, sg: SecurityGroup, logs: SecureBucket): Lb {
    // ELB checks that it may write to the bucket when access logs are turned on.
    const logsPolicy = logs.node.findChild('Policy') as S3BucketPolicy;
    return new Lb(this, 'Resource', {
      name: resolved.name,
      loadBalancerType: 'application',
      internal: resolved.internal,
      ipAddressType: 'ipv4',
      subnets: resolved.internal ? props.vpc.privateSubnetIds : props.vpc.publicSubnetIds,
      securityGroups: [sg.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: resolved.deletionProtection,
      accessLogs: { bucket: logs.bucketName, prefix: ACCESS_LOG_PREFIX, enabled: true },
      tags: { Name: resolved.name },
      dependsOn: [logsPolicy],
    });
  }

  /** The HTTPS listener: 404 for what no rule matches. */
  private createHttpsListener(props: AppLoadBalancerProps, resolved: ResolvedLoadBalancerProps): LbListener {
    return new LbListener(this, 'HttpsListener', {
      loadBalancerArn: this.resource.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: props.certificateArn,
      // What no rule matches: 404, until a target group becomes the default (below, or
      // _setDefaultTargetGroup from the service with the default route).
      defaultAction: [NOT_FOUND_ACTION],
      tags: { Name: `${resolved.name}-https` },
    });
  }

  /** One 404 rule per group of blocked paths, ahead of every forwarding rule. */
  private createBlockedPathRules(resolved: ResolvedLoadBalancerProps): void {
    const httpsListener = this.httpsListener;
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
            fixedResponse: NOT_FOUND_ACTION.fixedResponse,
          },
        ],
        tags: { Name: `${resolved.name}-blocked-paths-${index + 1}` },
      });
    });
  }

  /** The HTTP listener, which only redirects to HTTPS. */
  private createHttpListener(resolved: ResolvedLoadBalancerProps): void {
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

  /** Release 0.1's single app: traffic to its security group, and its target group as the default action. */
  private createDefaultTarget(targetSecurityGroupId: string, resolved: ResolvedLoadBalancerProps): void {
    this._allowTrafficTo(targetSecurityGroupId, resolved.targetPort, resolved.targetDescription, { ruleIds: LEGACY_TARGET_RULE_IDS });
    const targetGroup = this._createTargetGroup(this, 'TargetGroup', {
      port: resolved.targetPort,
      healthCheckPath: resolved.healthCheckPath,
      deregistrationDelaySeconds: resolved.deregistrationDelaySeconds,
      nameTag: `${resolved.name}-app`,
    });
    this._setDefaultTargetGroup(targetGroup, `the targets (${resolved.targetDescription})`);
  }

  private requireDefaultTarget(attribute: string): DefaultTarget {
    if (this.defaultTarget === undefined) {
      invalidCombination(
        this,
        `${attribute} is the default target group's, but this load balancer has none (every service on it has a host or ` +
          "path route): use the service's targetGroupArn instead",
      );
    }
    return this.defaultTarget;
  }
}

/** The IDs the single-app load balancer of release 0.1 gave its rule pair. */
const LEGACY_TARGET_RULE_IDS: TrafficRuleIds = { egress: 'EgressToTargets', ingress: 'TargetIngress' };

interface DefaultTarget {
  readonly targetGroup: LbTargetGroup;
  readonly owner: string;
  readonly port: number;
  readonly deregistrationDelaySeconds: number;
}

const NOT_FOUND_ACTION = {
  type: 'fixed-response',
  fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' },
};
