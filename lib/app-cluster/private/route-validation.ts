import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkIntegerInRange, invalidProp } from '../../core/private/errors';
import { checkPathPattern, MAX_BLOCKED_PATH_RULES, PATTERNS_PER_RULE, WILDCARDS_PER_RULE } from './eks-load-balancer-props';

/**
 * A host header pattern as an ALB listener rule takes it: at most 128 characters of letters,
 * digits, `-` and `.`, with `*` and `?` as wildcards, and at least one `.`. Matching is
 * case-insensitive.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions
 */
const HOST_PATTERN = /^[A-Za-z0-9*?]([A-Za-z0-9*?.-]*[A-Za-z0-9*?])?$/;
const HOST_PATTERN_MAX_LENGTH = 128;

/** An ALB rule takes at most five match evaluations over all its conditions. */
const VALUES_PER_RULE = 5;
/** Listener rule priorities: 1-10 are the blocked paths' 404 rules, the ALB's maximum is 50000. */
export const MIN_ROUTE_PRIORITY = MAX_BLOCKED_PATH_RULES + 1;
export const MAX_ROUTE_PRIORITY = 50000;

/** A listener rule's conditions after validation: host patterns lowercased. */
export interface ResolvedRouteConditions {
  readonly hosts: string[];
  readonly paths: string[];
  readonly priority: number;
}

/**
 * Validates the conditions of one listener rule as the consumer wrote them (`<at>.hosts`,
 * `<at>.paths`, `<at>.priority`) against ALB's limits: at least one condition, at most three
 * values per condition, five values and five wildcards per rule, a priority above the blocked
 * paths' rules.
 */
export function resolveRouteConditions(
  scope: IConstruct,
  at: string,
  hosts: string[] | undefined,
  paths: string[] | undefined,
  priority: number,
): ResolvedRouteConditions {
  const hostList = hosts ?? [];
  const pathList = paths ?? [];
  for (const [name, list] of [['hosts', hostList], ['paths', pathList]] as const) {
    if (Token.isUnresolved(list) || list.some((v) => Token.isUnresolved(v))) {
      invalidProp(scope, `${at}.${name}`, 'be a literal list (the listener rule and its conflict checks are built from it)', list);
    }
    if (list.length > PATTERNS_PER_RULE) {
      invalidProp(scope, `${at}.${name}`, `list at most ${PATTERNS_PER_RULE} patterns (an ALB rule condition takes no more)`, list);
    }
    if (new Set(list.map((v) => v.toLowerCase())).size !== list.length) {
      invalidProp(scope, `${at}.${name}`, 'not repeat a pattern', list);
    }
  }
  if (hostList.length === 0 && pathList.length === 0) {
    invalidProp(
      scope,
      `${at}.hosts`,
      'or paths list at least one pattern (a rule without conditions would take every request; use ServiceRoute.defaultRoute() for that)',
      hostList,
    );
  }
  if (hostList.length + pathList.length > VALUES_PER_RULE) {
    invalidProp(
      scope,
      at,
      `have at most ${VALUES_PER_RULE} host and path patterns together (an ALB rule takes no more match evaluations)`,
      { hosts: hostList, paths: pathList },
    );
  }
  let wildcards = 0;
  hostList.forEach((host, i) => {
    if (host.length > HOST_PATTERN_MAX_LENGTH || !HOST_PATTERN.test(host) || !host.includes('.')) {
      invalidProp(
        scope,
        `${at}.hosts[${i}]`,
        `be a host name pattern such as "shop.example.com" or "*.example.com": at most ${HOST_PATTERN_MAX_LENGTH} letters, ` +
          'digits, "-" and "." with at least one ".", and the wildcards * and ?',
        host,
      );
    }
    wildcards += host.replace(/[^*?]/g, '').length;
  });
  pathList.forEach((path, i) => {
    wildcards += checkPathPattern(scope, `${at}.paths[${i}]`, path);
  });
  if (wildcards > WILDCARDS_PER_RULE) {
    invalidProp(scope, at, `use at most ${WILDCARDS_PER_RULE} wildcards over all its patterns (an ALB rule takes no more)`, { hosts: hostList, paths: pathList });
  }
  checkIntegerInRange(scope, `${at}.priority`, priority, MIN_ROUTE_PRIORITY, MAX_ROUTE_PRIORITY);
  return { hosts: hostList.map((h) => h.toLowerCase()), paths: pathList, priority };
}

/**
 * The (host, path) pairs a rule claims, `*` standing for "any", so two rules that would match
 * exactly the same requests are found by comparing their claims.
 */
export function routeClaims(conditions: ResolvedRouteConditions): string[] {
  const hosts = conditions.hosts.length > 0 ? conditions.hosts : ['<any host>'];
  const paths = conditions.paths.length > 0 ? conditions.paths : ['<any path>'];
  return hosts.flatMap((host) => paths.map((path) => `${host} ${path}`));
}

/** Options of AppLoadBalancer._allowTrafficTo. */
export interface AllowTrafficOptions {
  /** Construct IDs of the two rules; by default derived from the target description and port. */
  readonly ruleIds?: TrafficRuleIds;
  /** Terraform addresses the two rules had before, carried over with moved blocks. */
  readonly movedFrom?: TrafficRuleIds;
}

/** Construct IDs or Terraform addresses of the rule pair between a load balancer and its targets. */
export interface TrafficRuleIds {
  /** The egress rule on the load balancer's security group. */
  readonly egress: string;
  /** The ingress rule on the targets' security group. */
  readonly ingress: string;
}

/** A target group for pods, as AppLoadBalancer._createTargetGroup makes it. */
export interface TargetGroupOptions {
  readonly port: number;
  readonly healthCheckPath: string;
  readonly deregistrationDelaySeconds: number;
  readonly nameTag: string;
}

/** A listener rule a service asks for on a load balancer. */
export interface RouteRegistration {
  /** Who asks, for error messages ("AppService test/App/orders"). */
  readonly owner: string;
  readonly targetGroupArn: string;
  readonly conditions: ResolvedRouteConditions;
  readonly nameTag: string;
}
