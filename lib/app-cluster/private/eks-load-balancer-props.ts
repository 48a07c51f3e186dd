import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { reportFinding } from '../../checks/report';
import { ALB_NO_DELETION_PROTECTION } from '../../checks/rules/constructs/alb-no-deletion-protection';
import { GroundworkStack } from '../../core/groundwork-stack';
import { Naming } from '../../core/naming';
import { checkIpv4Cidrs } from '../../core/private/cidr-checks';
import { checkIntegerInRange, invalidProp } from '../../core/private/errors';
import { checkHttpPath } from '../../core/private/kubernetes-checks';
import { pathInStack as pathOf } from '../../core/private/paths';
import { checkSecurityGroupName } from '../../core/private/security-group-name';
import type { AppLoadBalancerProps } from '../load-balancer-props';
import { checkAtLeastTwo, checkCertificateArn } from './eks-validation';

/** Load balancer settings after defaults, validated. */
export interface ResolvedLoadBalancerProps {
  readonly name: string;
  readonly internal: boolean;
  readonly targetPort: number;
  readonly targetDescription: string;
  readonly healthCheckPath: string;
  readonly ingressCidrs: string[];
  readonly deletionProtection: boolean;
  readonly accessLogRetentionDays: number;
  readonly deregistrationDelaySeconds: number;
  /** The blocked path patterns, grouped into the conditions of one listener rule each, in priority order. */
  readonly blockedPathRules: string[][];
}

const ALB_NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** What the public must not reach by default: the app's Prometheus endpoint on the traffic port. */
const DEFAULT_BLOCKED_PATHS = ['/metrics', '/metrics/*'];

/**
 * A path pattern as an ALB listener rule takes it: an absolute path of letters, digits and
 * `_ - . $ / ~ " ' @ : +`, with `*` and `?` as wildcards, at most 128 characters. (ALB also takes
 * `&` written as `&amp;`; it is left out rather than guessed at.)
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#path-conditions
 */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?]*$/;
const PATH_PATTERN_MAX_LENGTH = 128;
/** ALB: up to three match evaluations per condition and five wildcards per rule. */
export const PATTERNS_PER_RULE = 3;
export const WILDCARDS_PER_RULE = 5;
/** Block rules take priorities 1 to this number, ahead of any rule a consumer adds. */
export const MAX_BLOCKED_PATH_RULES = 10;

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

  const internal = props.internal ?? false;
  if (internal) {
    checkAtLeastTwo(scope, 'vpc.privateSubnetIds', props.vpc.privateSubnetIds, 'hold at least 2 private subnets in different zones (an internal Application Load Balancer spans two zones or more)');
  } else {
    checkAtLeastTwo(scope, 'vpc.publicSubnetIds', props.vpc.publicSubnetIds, 'hold at least 2 public subnets in different zones (an Application Load Balancer spans two zones or more)');
  }
  checkCertificateArn(scope, props.certificateArn, stack.partition, stack.region);

  const targetPort = props.targetPort ?? 8080;
  checkIntegerInRange(scope, n('targetPort'), targetPort, 1, 65535);

  const healthCheckPath = props.healthCheckPath ?? '/health';
  checkHttpPath(scope, 'healthCheckPath', healthCheckPath, { query: true });

  // An internal load balancer serves the VPC; the public entry point serves everyone.
  const ingressCidrs = props.ingressCidrs ?? (internal ? [props.vpc.cidr] : ['0.0.0.0/0']);
  if (Token.isUnresolved(ingressCidrs)) {
    invalidProp(scope, n('ingressCidrs'), 'be a literal list (one described rule is created per CIDR block)', ingressCidrs);
  }
  checkIpv4Cidrs(scope, n('ingressCidrs'), ingressCidrs);
  if (ingressCidrs.length === 0) {
    invalidProp(scope, n('ingressCidrs'), 'list at least one CIDR block (the load balancer would be unreachable)', ingressCidrs);
  }

  const accessLogRetentionDays = props.accessLogRetentionDays ?? stack.preset.logRetentionDays;
  checkIntegerInRange(scope, n('accessLogRetentionDays'), accessLogRetentionDays, 1, 36500);

  const deregistrationDelaySeconds = props.deregistrationDelaySeconds ?? 30;
  checkIntegerInRange(scope, n('deregistrationDelaySeconds'), deregistrationDelaySeconds, 0, 3600);

  const blockedPathRules = groupBlockedPaths(scope, n('blockedPaths'), props.blockedPaths ?? DEFAULT_BLOCKED_PATHS);

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
    reportFinding(
      scope,
      ALB_NO_DELETION_PROTECTION,
      `load balancer ${name} has deletion protection off in a ${stack.environment} stack: ` +
        'one mistaken apply can delete the public entry point and, with it, its DNS name.',
    );
  }

  return {
    name,
    internal,
    targetPort,
    targetDescription: props.targetDescription ?? 'the targets',
    healthCheckPath,
    ingressCidrs,
    deletionProtection,
    accessLogRetentionDays,
    deregistrationDelaySeconds,
    blockedPathRules,
  };
}

/**
 * Throws unless `pattern` is an ALB path pattern (see PATH_PATTERN); returns its wildcard count.
 * Listener rules of services use it as the blocked paths do.
 */
export function checkPathPattern(scope: IConstruct, property: string, pattern: string): number {
  if (Token.isUnresolved(pattern)) {
    invalidProp(scope, property, 'contain literal path patterns', pattern);
  }
  if (pattern.length > PATH_PATTERN_MAX_LENGTH || !PATH_PATTERN.test(pattern)) {
    invalidProp(
      scope,
      property,
      `contain ALB path patterns: a "/" first, at most ${PATH_PATTERN_MAX_LENGTH} characters of letters, digits, ` +
        '_ - . $ / ~ " \' @ : + and the wildcards * and ?',
      pattern,
    );
  }
  return wildcardsOf(pattern);
}

function wildcardsOf(pattern: string): number {
  return pattern.replace(/[^*?]/g, '').length;
}

/**
 * Validates the blocked path patterns and groups them, in the order given, into as few listener
 * rules as ALB allows (three patterns and five wildcards per rule).
 */
function groupBlockedPaths(scope: IConstruct, property: string, paths: string[]): string[][] {
  if (Token.isUnresolved(paths)) {
    invalidProp(scope, property, 'be a literal list (the listener rules are built from it)', paths);
  }
  for (const pattern of paths) {
    checkPathPattern(scope, property, pattern);
    if (/^\/[*]+$/.test(pattern)) {
      invalidProp(scope, property, 'not contain a pattern that matches every path (the whole application would answer 404)', pattern);
    }
    if (wildcardsOf(pattern) > WILDCARDS_PER_RULE) {
      invalidProp(scope, property, `contain patterns of at most ${WILDCARDS_PER_RULE} wildcards (an ALB rule takes no more)`, pattern);
    }
  }
  if (new Set(paths).size !== paths.length) {
    invalidProp(scope, property, 'not repeat a path pattern', paths);
  }

  const rules: string[][] = [];
  let wildcards = 0;
  for (const pattern of paths) {
    const current = rules[rules.length - 1];
    if (current && current.length < PATTERNS_PER_RULE && wildcards + wildcardsOf(pattern) <= WILDCARDS_PER_RULE) {
      current.push(pattern);
      wildcards += wildcardsOf(pattern);
    } else {
      rules.push([pattern]);
      wildcards = wildcardsOf(pattern);
    }
  }
  if (rules.length > MAX_BLOCKED_PATH_RULES) {
    invalidProp(
      scope,
      property,
      `fit in ${MAX_BLOCKED_PATH_RULES} listener rules (each takes at most ${PATTERNS_PER_RULE} patterns and ` +
        `${WILDCARDS_PER_RULE} wildcards), but ${paths.length} patterns need ${rules.length}`,
      paths,
    );
  }
  return rules;
}
