import { Annotations, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { GroundworkStack } from '../../core/groundwork-stack';
import { Naming } from '../../core/naming';
import { checkIntegerInRange, invalidProp } from '../../core/private/errors';
import type { AppLoadBalancerProps } from '../load-balancer';
import { checkAtLeastTwo, checkCertificateArn, checkHealthCheckPath, checkIpv4Cidrs } from './eks-validation';
import { pathInStack as pathOf } from '../../core/private/paths';
import { checkSecurityGroupName } from '../../core/private/security-group-name';

/** Load balancer settings after defaults, validated. */
export interface ResolvedLoadBalancerProps {
  readonly name: string;
  readonly targetPort: number;
  readonly targetDescription: string;
  readonly healthCheckPath: string;
  readonly ingressCidrs: string[];
  readonly deletionProtection: boolean;
  readonly accessLogRetentionDays: number;
}

const ALB_NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/**
 * Applies defaults to and validates load balancer props, throwing errors labelled with `scope`
 * and the consumer's property names, and records the advisory warnings on `scope`. An
 * AppCluster calls it before it creates anything; the AppLoadBalancer calls it again for itself.
 */
export function resolveLoadBalancerProps(
  scope: IConstruct,
  stack: GroundworkStack,
  props: AppLoadBalancerProps,
  names: { readonly [prop in keyof AppLoadBalancerProps]?: string } = {},
  warn: boolean = true,
): ResolvedLoadBalancerProps {
  const n = (prop: keyof AppLoadBalancerProps): string => names[prop] ?? prop;

  checkAtLeastTwo(scope, 'vpc.publicSubnetIds', props.vpc.publicSubnetIds, 'hold at least 2 public subnets in different zones (an Application Load Balancer spans two zones or more)');
  checkCertificateArn(scope, props.certificateArn, stack.partition, stack.region);

  const targetPort = props.targetPort ?? 8080;
  checkIntegerInRange(scope, n('targetPort'), targetPort, 1, 65535);

  const healthCheckPath = props.healthCheckPath ?? '/health';
  checkHealthCheckPath(scope, healthCheckPath);

  const ingressCidrs = props.ingressCidrs ?? ['0.0.0.0/0'];
  if (Token.isUnresolved(ingressCidrs)) {
    invalidProp(scope, n('ingressCidrs'), 'be a literal list (one described rule is created per CIDR block)', ingressCidrs);
  }
  checkIpv4Cidrs(scope, n('ingressCidrs'), ingressCidrs);
  if (ingressCidrs.length === 0) {
    invalidProp(scope, n('ingressCidrs'), 'list at least one CIDR block (the load balancer would be unreachable)', ingressCidrs);
  }

  const accessLogRetentionDays = props.accessLogRetentionDays ?? stack.preset.logRetentionDays;
  checkIntegerInRange(scope, n('accessLogRetentionDays'), accessLogRetentionDays, 1, 36500);

  const pathInStack = pathOf(scope, stack);
  const name = props.loadBalancerName ?? Naming.resourceName([stack.namePrefix, ...pathInStack], 32);
  if (!Token.isUnresolved(name) && (!ALB_NAME_PATTERN.test(name) || name.toLowerCase().startsWith('internal-'))) {
    invalidProp(
      scope,
      n('loadBalancerName'),
      'be 1-32 letters, digits or hyphens, not starting or ending with a hyphen and not starting with "internal-"',
      name,
    );
  }
  checkSecurityGroupName(scope, n('loadBalancerName'), name, `${name}-alb`);

  const deletionProtection = props.deletionProtection ?? stack.preset.deletionProtection;
  if (warn && !deletionProtection && stack.preset.deletionProtection) {
    Annotations.of(scope).addWarning(
      `[GW-ALB-NO-DELETION-PROTECTION] load balancer ${name} has deletion protection off in a ${stack.environment} stack: ` +
        'one mistaken apply can delete the public entry point and, with it, its DNS name.',
    );
  }

  return {
    name,
    targetPort,
    targetDescription: props.targetDescription ?? 'the targets',
    healthCheckPath,
    ingressCidrs,
    deletionProtection,
    accessLogRetentionDays,
  };
}
