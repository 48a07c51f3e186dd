import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl, Wafv2WebAclRule, Wafv2WebAclRuleAction } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { WAF_BROAD_ALLOWLIST } from '../checks/rules/constructs/waf-broad-allowlist';
import { WAF_CAPACITY_PRICING } from '../checks/rules/constructs/waf-capacity-pricing';
import { WAF_COUNT_ONLY } from '../checks/rules/constructs/waf-count-only';
import { WAF_DEFAULT_GROUP_REMOVED } from '../checks/rules/constructs/waf-default-group-removed';
import { WAF_GROUP_COUNT_ONLY } from '../checks/rules/constructs/waf-group-count-only';
import { WAF_LOG4J_OVERRIDDEN } from '../checks/rules/constructs/waf-log4j-overridden';
import { WAF_NO_BODY_LIMIT } from '../checks/rules/constructs/waf-no-body-limit';
import { WAF_NO_LOGGING } from '../checks/rules/constructs/waf-no-logging';
import { WAF_NO_RATE_LIMIT } from '../checks/rules/constructs/waf-no-rate-limit';
import { WAF_PAID_GROUP_UNSCOPED } from '../checks/rules/constructs/waf-paid-group-unscoped';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { Naming } from '../core/naming';
import { checkIntegerInRange, invalidCombination, invalidProp, ValidationError } from '../core/private/errors';
import { checkLogRetentionDays } from '../core/private/log-retention';
import { terraformIdentifier } from '../core/private/output-names';
import { pathInStack as pathOf } from '../core/private/paths';
import { policyDocument } from '../core/private/policy';
import { BASE_PRICE_CAPACITY, capacityBreakdown, MAX_CAPACITY, totalCapacity } from './private/capacity';
import { IpCidr } from './private/ip-cidr';
import {
  BOT_CONTROL_GROUP_NAME,
  findManagedRuleGroup,
  KNOWN_BAD_INPUTS_GROUP_NAME,
  LOG4J_RULE_PREFIX,
  MANAGED_RULE_GROUP_CATALOGUE,
  ManagedRuleGroupSpec,
} from './private/managed-rule-groups';
import {
  PATH_TRANSFORMATIONS,
  renderStatement,
  statementCapacity,
  StatementNode,
} from './private/statements';
import {
  checkCidrs,
  checkCountryCodes,
  checkEvaluationWindow,
  checkPriority,
  checkRateLimit,
  checkRedactedHeaders,
  checkRegionalResourceArn,
  checkResponseBody,
  checkStatement,
  checkUniqueRules,
  checkUriPath,
  SourcedRule,
  WAF_NAME,
} from './private/validation';
import { WafRulesProps } from './waf-rules-props';

// The props live in a file of their own; this module still exports them.
export { WafRulesProps } from './waf-rules-props';

/** Where a web ACL is used. */
export enum WafScope {
  /** Regional resources: Application Load Balancers, API Gateway stages, AppSync, Cognito, App Runner. */
  REGIONAL = 'REGIONAL',
  /** CloudFront distributions. The web ACL must be created in us-east-1. */
  CLOUDFRONT = 'CLOUDFRONT',
}

/** What a rule does with a request it matches. */
export enum WafRuleAction {
  /** Let the request through and stop evaluating. */
  ALLOW = 'ALLOW',
  /** Reject the request and stop evaluating. */
  BLOCK = 'BLOCK',
  /** Record the match and go on with the next rule. */
  COUNT = 'COUNT',
  /** Ask the client to solve a CAPTCHA puzzle. */
  CAPTCHA = 'CAPTCHA',
  /** Run a silent browser challenge. */
  CHALLENGE = 'CHALLENGE',
}

/**
 * The protection level of the Bot Control rule group.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-bot.html
 */
export enum BotControlInspectionLevel {
  /** Self-identifying bots, detected from static request data. */
  COMMON = 'COMMON',
  /** Adds detection of bots that do not identify themselves (browser interrogation, fingerprinting). */
  TARGETED = 'TARGETED',
}

/** Which requests the web ACL logs. */
export enum WafLoggingFilter {
  /** Every request the web ACL inspects. */
  ALL_REQUESTS = 'ALL_REQUESTS',
  /**
   * Requests that a rule blocked, counted (including rules overridden to count, so a count-only
   * rollout is visible), or sent a CAPTCHA or challenge; plain allowed requests are dropped.
   */
  BLOCKED_OR_COUNTED = 'BLOCKED_OR_COUNTED',
  /** Only blocked requests. */
  BLOCKED_ONLY = 'BLOCKED_ONLY',
}

/** The content type of a custom response body. */
export enum WafResponseContentType {
  /** `application/json`. */
  APPLICATION_JSON = 'APPLICATION_JSON',
  /** `text/plain`. */
  TEXT_PLAIN = 'TEXT_PLAIN',
  /** `text/html`. */
  TEXT_HTML = 'TEXT_HTML',
}

/**
 * The body of a response the web ACL sends when it blocks a request (at most 4 KB).
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
 */
export class WafResponseBody {
  /** A JSON body; it must parse as JSON. */
  public static json(content: string): WafResponseBody {
    return new WafResponseBody(content, WafResponseContentType.APPLICATION_JSON);
  }

  /** A plain-text body. */
  public static text(content: string): WafResponseBody {
    return new WafResponseBody(content, WafResponseContentType.TEXT_PLAIN);
  }

  /** An HTML body. */
  public static html(content: string): WafResponseBody {
    return new WafResponseBody(content, WafResponseContentType.TEXT_HTML);
  }

  /** The body. */
  public readonly content: string;
  /** Its content type. */
  public readonly contentType: WafResponseContentType;

  private constructor(content: string, contentType: WafResponseContentType) {
    this.content = content;
    this.contentType = contentType;
  }
}

/**
 * An AWS managed rule group, with the web ACL capacity units (WCUs) AWS publishes for it.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
export class ManagedRuleGroup {
  /** Core rule set (CRS): OWASP Top 10 style exploits, size restrictions, bad bots. 700 WCUs. On by default. */
  public static readonly COMMON_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesCommonRuleSet');
  /** Known bad inputs: Log4Shell, Java deserialization, exploitable paths. 200 WCUs. On by default. */
  public static readonly KNOWN_BAD_INPUTS_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesKnownBadInputsRuleSet');
  /** SQL database: SQL injection in query, body, cookies and path. 200 WCUs. On by default. */
  public static readonly SQLI_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesSQLiRuleSet');
  /** Amazon IP reputation list: addresses seen in malicious activity. 25 WCUs, not versioned. On by default. */
  public static readonly AMAZON_IP_REPUTATION_LIST = ManagedRuleGroup.fromName('AWSManagedRulesAmazonIpReputationList');
  /** Anonymous IP list: VPNs, proxies, Tor, hosting providers. 50 WCUs, not versioned. */
  public static readonly ANONYMOUS_IP_LIST = ManagedRuleGroup.fromName('AWSManagedRulesAnonymousIpList');
  /** Bot Control. 50 WCUs; charged per request on top of basic WAF pricing. */
  public static readonly BOT_CONTROL_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesBotControlRuleSet');
  /** Linux operating system: Linux-specific local file inclusion. 200 WCUs. */
  public static readonly LINUX_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesLinuxRuleSet');
  /** POSIX operating system: shell command injection. 100 WCUs. */
  public static readonly UNIX_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesUnixRuleSet');
  /** Windows operating system: PowerShell and Windows shell command injection. 200 WCUs. */
  public static readonly WINDOWS_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesWindowsRuleSet');
  /** PHP application: unsafe PHP functions and variables. 100 WCUs. */
  public static readonly PHP_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesPHPRuleSet');
  /** WordPress application: WordPress-specific exploits. 100 WCUs. */
  public static readonly WORDPRESS_RULE_SET = ManagedRuleGroup.fromName('AWSManagedRulesWordPressRuleSet');

  /**
   * A managed rule group by name, e.g. from configuration. Names the library does not know
   * (so cannot price) are accepted here and rejected by {@link WafRules} at synth, with the
   * list of known groups.
   *
   * @param name the rule group name, e.g. `AWSManagedRulesCommonRuleSet`
   * @param vendorName the vendor, `AWS` when not given
   */
  public static fromName(name: string, vendorName: string = 'AWS'): ManagedRuleGroup {
    return new ManagedRuleGroup(name, vendorName);
  }

  /** The groups WafRules evaluates when `managedRuleGroups` is not given, in that order. */
  public static defaults(): ManagedRuleGroup[] {
    return MANAGED_RULE_GROUP_CATALOGUE.filter((g) => g.enabledByDefault).map((g) => ManagedRuleGroup.fromName(g.name));
  }

  /** The rule group name. */
  public readonly name: string;
  /** The vendor name. */
  public readonly vendorName: string;
  /** Web ACL capacity units the group consumes, when the library knows the group. */
  public readonly capacity?: number;
  /** Whether the group has static versions that `version` can pin. */
  public readonly versioned: boolean;
  /** Whether the library knows this group (and so its capacity). */
  public readonly isKnown: boolean;

  private constructor(name: string, vendorName: string) {
    const spec = findManagedRuleGroup(vendorName, name);
    this.name = name;
    this.vendorName = vendorName;
    this.capacity = spec?.capacity;
    this.versioned = spec?.versioned ?? false;
    this.isKnown = spec !== undefined;
  }
}

const STATEMENT_NODES = new WeakMap<WafStatement, StatementNode>();

/**
 * A condition on web requests, for scope-down statements of managed rule groups.
 *
 * Path conditions URL-decode and normalize the path first (`//`, `/./`, `/../`), so they see
 * the path the application routes, and are case-sensitive.
 *
 * @example
 * // inspect everything except static assets with the Bot Control group
 * WafStatement.negate(WafStatement.uriPathStartsWith('/static/'))
 */
export class WafStatement {
  /** Matches requests whose (decoded, normalized) URI path starts with `prefix`, e.g. `/api/`. */
  public static uriPathStartsWith(prefix: string): WafStatement {
    return WafStatement.of({
      kind: 'byteMatch',
      field: 'uriPath',
      positionalConstraint: 'STARTS_WITH',
      searchString: prefix,
      textTransformations: PATH_TRANSFORMATIONS,
    });
  }

  /** Matches requests whose (decoded, normalized) URI path is exactly `path`. */
  public static uriPathEquals(path: string): WafStatement {
    return WafStatement.of({
      kind: 'byteMatch',
      field: 'uriPath',
      positionalConstraint: 'EXACTLY',
      searchString: path,
      textTransformations: PATH_TRANSFORMATIONS,
    });
  }

  /** Matches requests for a host name (the `Host` header, compared in lower case). */
  public static hostEquals(host: string): WafStatement {
    return WafStatement.of({
      kind: 'byteMatch',
      field: 'hostHeader',
      positionalConstraint: 'EXACTLY',
      searchString: Token.isUnresolved(host) ? host : host.toLowerCase(),
      textTransformations: ['LOWERCASE'],
    });
  }

  /** Matches requests with an HTTP method, e.g. `POST`. */
  public static httpMethodEquals(method: string): WafStatement {
    return WafStatement.of({
      kind: 'byteMatch',
      field: 'method',
      positionalConstraint: 'EXACTLY',
      searchString: Token.isUnresolved(method) ? method : method.toUpperCase(),
      textTransformations: [],
    });
  }

  /** Matches requests from any of these countries (ISO 3166-1 alpha-2 codes). */
  public static fromCountries(countryCodes: string[]): WafStatement {
    return WafStatement.of({ kind: 'geoMatch', countryCodes: [...countryCodes] });
  }

  /** Matches requests from an address in an existing WAF IP set. */
  public static fromIpSet(ipSetArn: string): WafStatement {
    return WafStatement.of({ kind: 'ipSetReference', arn: ipSetArn });
  }

  /** Matches requests that an earlier rule labelled, e.g. `awswaf:managed:aws:bot-control:bot:verified`. */
  public static hasLabel(labelKey: string): WafStatement {
    return WafStatement.of({ kind: 'labelMatch', key: labelKey });
  }

  /** Matches requests that do not match the statement. */
  public static negate(statement: WafStatement): WafStatement {
    return WafStatement.of({ kind: 'not', statement: nodeOf(statement) });
  }

  /** Matches requests that match every statement (at least two). */
  public static allOf(statements: WafStatement[]): WafStatement {
    return WafStatement.of({ kind: 'and', statements: statements.map(nodeOf) });
  }

  /** Matches requests that match any statement (at least two). */
  public static anyOf(statements: WafStatement[]): WafStatement {
    return WafStatement.of({ kind: 'or', statements: statements.map(nodeOf) });
  }

  private static of(node: StatementNode): WafStatement {
    const statement = new WafStatement();
    STATEMENT_NODES.set(statement, node);
    return statement;
  }

  private constructor() {}

  /** The web ACL capacity units this statement adds to a rule. */
  public get capacity(): number {
    return statementCapacity(nodeOf(this));
  }
}

function nodeOf(statement: WafStatement): StatementNode {
  const node = STATEMENT_NODES.get(statement);
  if (!node) {
    throw new ValidationError('WafStatement: use the WafStatement factories (uriPathStartsWith, negate, ...), not a plain object');
  }
  return node;
}

/** Changes the action of one rule inside a managed rule group. */
export interface RuleActionOverride {
  /** The rule's name inside the group, e.g. `SizeRestrictions_BODY`. */
  readonly ruleName: string;
  /** The action to use instead of the rule's own. */
  readonly action: WafRuleAction;
}

/** One managed rule group in the web ACL, and how to run it. */
export interface ManagedRuleGroupOptions {
  /** The rule group, e.g. `ManagedRuleGroup.COMMON_RULE_SET`. */
  readonly group: ManagedRuleGroup;

  /**
   * Pin a static version, e.g. `Version_1.12`. Not allowed for unversioned groups (the IP
   * reputation lists).
   *
   * @default - the vendor's default version, which AWS updates
   */
  readonly version?: string;

  /**
   * Per-rule action overrides, e.g. `{ ruleName: 'SizeRestrictions_BODY', action: WafRuleAction.COUNT }`
   * for an API that takes large bodies. At most 100.
   *
   * @default - every rule uses its own action
   */
  readonly ruleActionOverrides?: RuleActionOverride[];

  /**
   * Evaluate the group only for requests that match this statement (its WCUs are added to
   * the group's). At most two levels of `allOf` / `anyOf` / `negate`.
   *
   * @default - every request
   */
  readonly scopeDownStatement?: WafStatement;

  /**
   * Override the whole group to count: matches are recorded, nothing is blocked. For trying
   * a new group; a warning is recorded.
   *
   * @default false
   */
  readonly countOnly?: boolean;

  /**
   * The rule's priority in the web ACL (lower runs first).
   *
   * @default - 100 + 10 × the group's position in `managedRuleGroups`
   */
  readonly priority?: number;

  /**
   * The rule's name in the web ACL, also its CloudWatch metric name.
   *
   * @default - `AWS-<group name>`, e.g. `AWS-AWSManagedRulesCommonRuleSet`
   */
  readonly ruleName?: string;

  /**
   * Protection level, for `ManagedRuleGroup.BOT_CONTROL_RULE_SET` only.
   *
   * @default BotControlInspectionLevel.COMMON
   */
  readonly botControlInspectionLevel?: BotControlInspectionLevel;
}

/** The per-IP rate limit of the whole site. */
export interface RateLimitOptions {
  /**
   * Apply the per-IP rate limit. Turning it off leaves the site open to request floods from
   * a single address; a warning is recorded.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Requests one IP address may send in the evaluation window before it is blocked (at least 10).
   *
   * @default 2000
   */
  readonly limit?: number;

  /**
   * The evaluation window in seconds: 60, 120, 300 or 600.
   *
   * @default 300
   */
  readonly evaluationWindowSeconds?: number;

  /**
   * The rule's priority in the web ACL.
   *
   * @default 50
   */
  readonly priority?: number;
}

/** A per-IP rate limit for the requests to one path, such as a login endpoint. */
export interface PathRateLimitOptions {
  /** A short name; the rule is named `RateLimit-<name>`. Letters, digits, `-` and `_`, up to 64. */
  readonly name: string;

  /** The path prefix, e.g. `/api/login`; decoded and normalized before comparison, case-sensitive. */
  readonly pathPrefix: string;

  /** Requests one IP address may send to the path in the evaluation window (at least 10). */
  readonly limit: number;

  /**
   * The evaluation window in seconds: 60, 120, 300 or 600.
   *
   * @default 300
   */
  readonly evaluationWindowSeconds?: number;

  /**
   * The rule's priority in the web ACL.
   *
   * @default - 40 + the limit's position in `pathRateLimits`
   */
  readonly priority?: number;
}


/** A rule planned before any resource exists: its name, priority, price, and how to build it. */
interface PlannedRule extends SourcedRule {
  readonly build: (ipSets: IpSetArns) => Wafv2WebAclRule;
}

interface IpSetArns {
  readonly allow: string[];
  readonly deny: string[];
}

const DESCRIPTION_PATTERN = /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/;
const PATH_RATE_LIMIT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION_PATTERN = /^Version_\d+\.\d+$/;
const ASSOCIATION_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const MAX_PATH_RATE_LIMITS = 10;
const SCOPE_DOWN_MAX_LOGICAL_DEPTH = 2;
const BODY_INSPECTION_LIMIT: Record<WafScope, number> = { [WafScope.REGIONAL]: 8192, [WafScope.CLOUDFRONT]: 16384 };
const ALWAYS_REDACTED = ['authorization', 'cookie'];

/** Fixed priorities of the rules that are not configurable; gaps leave room for later rules. */
const PRIORITY = {
  allowList: 0,
  denyList: 10,
  geoBlock: 20,
  bodySize: 30,
  pathRateLimits: 40,
  rateLimit: 50,
  managedGroups: 100,
};

/** Custom response body keys, referenced by the block actions. */
const BODY_KEY = { forbidden: 'forbidden', tooManyRequests: 'too-many-requests', requestTooLarge: 'request-too-large' };

const DEFAULT_BODIES = {
  forbidden: WafResponseBody.json('{"error":"forbidden","message":"The request was blocked."}'),
  tooManyRequests: WafResponseBody.json('{"error":"too_many_requests","message":"Too many requests, retry later."}'),
  requestTooLarge: WafResponseBody.json('{"error":"request_too_large","message":"The request body is too large."}'),
};

const LOGGED_ACTIONS: Record<WafLoggingFilter, string[]> = {
  [WafLoggingFilter.ALL_REQUESTS]: [],
  [WafLoggingFilter.BLOCKED_OR_COUNTED]: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT', 'CAPTCHA', 'CHALLENGE'],
  [WafLoggingFilter.BLOCKED_ONLY]: ['BLOCK'],
};

/** A custom response body, checked. */
interface ResponseBodyContent {
  readonly content: string;
  readonly contentType: WafResponseContentType;
}

/** The props of a WafRules after defaults, validated before any resource exists. */
interface ResolvedWafProps {
  readonly wafScope: WafScope;
  readonly webAclName: string;
  readonly description: string;
  readonly countOnly: boolean;
  readonly capacityBudget: number;
  readonly bodies: {
    readonly forbidden: ResponseBodyContent;
    readonly tooManyRequests: ResponseBodyContent;
    readonly requestTooLarge: ResponseBodyContent;
  };
  readonly allowed: IpCidr[];
  readonly denied: IpCidr[];
  readonly countries: string[];
  readonly bodySizeLimit: boolean;
  readonly maxBodyBytes: number;
  readonly rateLimit: RateLimitOptions;
  readonly rateLimitEnabled: boolean;
  readonly pathRateLimits: PathRateLimitOptions[];
  readonly logging: boolean;
  readonly logRetentionDays: number;
  readonly loggingFilter: WafLoggingFilter;
  readonly redactedHeaders: string[];
  readonly groupOptions: ManagedRuleGroupOptions[];
}

/** A rule's action: block with a custom response, or only count in a count-only web ACL. */
function blockAction(
  countOnly: boolean,
  responseCode: number,
  bodyKey: string,
  headers?: Array<{ name: string; value: string }>,
): Wafv2WebAclRuleAction {
  return countOnly
    ? { count: {} }
    : { block: { customResponse: { responseCode, customResponseBodyKey: bodyKey, responseHeader: headers } } };
}

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function ipSetStatement(arns: string[]) {
  return arns.length === 1
    ? { ip_set_reference_statement: { arn: arns[0] } }
    : { or_statement: { statement: arns.map((arn) => ({ ip_set_reference_statement: { arn } })) } };
}

function ipSetCount(cidrs: IpCidr[]): number {
  return new Set(cidrs.map((c) => c.version)).size;
}

/**
 * A WAFv2 web ACL in front of an application: AWS managed rule groups, a per-IP rate limit,
 * IP allow and deny lists, geo blocking, a body size limit, custom 403 / 413 / 429 responses,
 * and logging to a KMS-encrypted CloudWatch Logs group with credentials redacted.
 *
 * The default action is allow; rules run in this priority order:
 *
 * | priority | rule | action |
 * | --- | --- | --- |
 * | 0 | `AllowListedIps` (when `allowedIpCidrs`) | allow |
 * | 10 | `DenyListedIps` (when `deniedIpCidrs`) | block 403 |
 * | 20 | `BlockedCountries` (when `blockedCountryCodes`) | block 403 |
 * | 30 | `BodySizeLimit` | block 413 |
 * | 40+ | `RateLimit-<name>` per `pathRateLimits` entry | block 429 |
 * | 50 | `RateLimitPerIp` (2000 / 5 min) | block 429 |
 * | 100, 110, ... | `AWS-<group>` per managed rule group | the group's |
 *
 * Capacity: the rules' web ACL capacity units are added up at synth time from the published
 * costs (CommonRuleSet 700, KnownBadInputs 200, SQLi 200, IP reputation 25, rate rule 2, ...)
 * and synth fails above `capacityBudget` (1500) with the per-rule breakdown. The defaults
 * need 1128 WCUs.
 *
 * A CLOUDFRONT web ACL must live in us-east-1: this construct throws when the stack's region
 * is another, rather than creating a second provider, because the log group, its key and
 * their policies all take their region from the stack.
 *
 * Construct IDs: `Resource` (the web ACL), `AllowListIpv4`, `AllowListIpv6`, `DenyListIpv4`,
 * `DenyListIpv6` (IP sets, when used), `LogGroup` (with `LogGroup/Key`), `LogDeliveryPolicy`,
 * `Logging`, `Association` / `Association-<id>` (from {@link protect}), outputs `WebAclArn` and
 * `LogGroupName`.
 *
 * @example
 * const waf = new WafRules(aws, 'Waf', {
 *   pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
 * });
 * waf.protect(loadBalancerArn);
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html
 */
export class WafRules extends Construct {
  /** The web ACL ARN. */
  public readonly webAclArn: string;
  /** The web ACL ID. */
  public readonly webAclId: string;
  /** The web ACL name. */
  public readonly webAclName: string;
  /**
   * The web ACL's CloudWatch metric name (its `visibility_config.metric_name`): the `WebACL`
   * dimension of its `AWS/WAFV2` metrics. Totals over all rules carry the dimension `Rule=ALL`.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
   */
  public readonly webAclMetricName: string;
  /** The scope in effect. */
  public readonly scope: WafScope;
  /** True when every blocking rule only counts. */
  public readonly countOnly: boolean;
  /** The WCUs the configured rules need, from the published costs (an upper bound). */
  public readonly estimatedCapacity: number;
  /** The capacity budget in effect. */
  public readonly capacityBudget: number;
  /** The rule names, in priority order. */
  public readonly ruleNames: string[];
  /** The log group name, when logging is on. */
  public readonly logGroupName?: string;
  /** The log group ARN (without `:*`), when logging is on. */
  public readonly logGroupArn?: string;
  /** The underlying web ACL resource. */
  public readonly resource: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WafRulesProps = {}) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(stack, props);

    // ---- Plan the rules: names, priorities and capacity, still without resources ----
    const planned = this.planRules(resolved);
    const estimatedCapacity = this.checkCapacity(planned, resolved.capacityBudget);

    // ---- Advisory findings ----
    this.recordWarnings(props, {
      countOnly: resolved.countOnly,
      rateLimitEnabled: resolved.rateLimitEnabled,
      bodySizeLimit: resolved.bodySizeLimit,
      logging: resolved.logging,
      estimatedCapacity,
      allowed: resolved.allowed,
      groupOptions: resolved.groupOptions,
    });

    // ---- Resources ----
    const ipSets = this.createIpSets(resolved);
    const ordered = [...planned].sort((a, b) => a.priority - b.priority);
    this.resource = this.createWebAcl(resolved, ordered, ipSets);
    this.webAclMetricName = resolved.webAclName;
    this.webAclArn = this.resource.arn;
    this.webAclId = this.resource.id;
    this.webAclName = resolved.webAclName;
    this.scope = resolved.wafScope;
    this.countOnly = resolved.countOnly;
    this.estimatedCapacity = estimatedCapacity;
    this.capacityBudget = resolved.capacityBudget;
    this.ruleNames = ordered.map((r) => r.ruleName);

    // Readable names, as the other constructs' (`waf_web_acl_arn` for a construct `Waf`), not
    // cdktf's hashed logical IDs.
    const outputPrefix = terraformIdentifier(pathOf(this, GroundworkStack.ofConstruct(this)));
    new TerraformOutput(this, 'WebAclArn', {
      value: this.webAclArn,
      description: `ARN of the WAF web ACL ${resolved.webAclName}, for associations and CloudFront distributions`,
    }).overrideLogicalId(`${outputPrefix}_web_acl_arn`);

    if (resolved.logging) {
      const { logGroupName, logGroup } = this.createLogging(stack, resolved, outputPrefix);
      this.logGroupName = logGroupName;
      this.logGroupArn = logGroup.logGroupArn;
    }
  }

  /**
   * Puts a regional resource behind this web ACL: an Application Load Balancer (or an API
   * Gateway stage, AppSync API, Cognito user pool, App Runner service). Adds one
   * `aws_wafv2_web_acl_association` per call.
   *
   * The association's construct ID is `Association` when `id` is not given, and
   * `Association-<id>` otherwise. Construct IDs must stay stable (a new ID replaces the
   * association, leaving the resource briefly unprotected), so only one call may omit `id`;
   * name the others, e.g. `waf.protect(adminAlb.arn, 'Admin')`.
   *
   * CloudFront distributions are not associated this way: set the distribution's
   * `web_acl_id` to {@link webAclArn}.
   *
   * @param resourceArn the ARN of the load balancer or other regional resource
   * @param id a stable name for the association
   * @default id - none: the association's ID is `Association`
   */
  public protect(resourceArn: string, id?: string): Wafv2WebAclAssociation {
    if (this.scope === WafScope.CLOUDFRONT) {
      invalidCombination(
        this,
        'protect() associates regional resources, but this web ACL has scope CLOUDFRONT; ' +
          "set the CloudFront distribution's web_acl_id to webAclArn instead",
      );
    }
    if (id !== undefined && !ASSOCIATION_ID.test(id)) {
      invalidProp(this, 'protect(id)', 'be 1-64 letters, digits or hyphens, starting with a letter or digit', id);
    }
    const childId = id === undefined ? 'Association' : `Association-${id}`;
    if (this.node.tryFindChild(childId)) {
      invalidCombination(
        this,
        id === undefined
          ? 'protect() was already called without an id; give each further association a stable id, e.g. protect(arn, "Admin")'
          : `protect(id) "${id}" is already used; give each association its own id`,
      );
    }
    checkRegionalResourceArn(this, 'protect() resourceArn', resourceArn, GroundworkStack.ofConstruct(this).region);
    return new Wafv2WebAclAssociation(this, childId, { resourceArn, webAclArn: this.webAclArn });
  }

  /** Every prop checked and given its default, in the order of the errors: before any resource exists. */
  private resolveProps(stack: GroundworkStack, props: WafRulesProps): ResolvedWafProps {
    const { wafScope, webAclName, description } = this.resolveWebAcl(stack, props);
    const countOnly = props.countOnly ?? false;
    const capacityBudget = props.capacityBudget ?? BASE_PRICE_CAPACITY;
    checkIntegerInRange(this, 'capacityBudget', capacityBudget, 1, MAX_CAPACITY);

    const responseBody = (property: string, body: WafResponseBody) => {
      checkResponseBody(this, property, body.content, body.contentType, Object.values(WafResponseContentType));
      return { content: body.content, contentType: body.contentType };
    };
    const bodies = {
      forbidden: responseBody('forbiddenResponseBody', props.forbiddenResponseBody ?? DEFAULT_BODIES.forbidden),
      tooManyRequests: responseBody(
        'tooManyRequestsResponseBody',
        props.tooManyRequestsResponseBody ?? DEFAULT_BODIES.tooManyRequests,
      ),
      requestTooLarge: responseBody(
        'requestTooLargeResponseBody',
        props.requestTooLargeResponseBody ?? DEFAULT_BODIES.requestTooLarge,
      ),
    };

    const allowed = checkCidrs(this, 'allowedIpCidrs', props.allowedIpCidrs ?? []);
    const denied = checkCidrs(this, 'deniedIpCidrs', props.deniedIpCidrs ?? []);
    const alsoDenied = allowed.filter((a) => denied.some((d) => d.text === a.text));
    if (alsoDenied.length > 0) {
      invalidCombination(
        this,
        `${JSON.stringify(alsoDenied.map((c) => c.text))} appear in both allowedIpCidrs and deniedIpCidrs; ` +
          'the allowlist runs first, so the deny would never apply: remove them from one list',
      );
    }
    const countries = checkCountryCodes(this, 'blockedCountryCodes', props.blockedCountryCodes ?? [], true);

    const { bodySizeLimit, maxBodyBytes } = this.resolveBodySizeLimit(props, wafScope);

    const rateLimit = props.rateLimit ?? {};
    const rateLimitEnabled = rateLimit.enabled ?? true;
    const pathRateLimits = props.pathRateLimits ?? [];
    if (pathRateLimits.length > MAX_PATH_RATE_LIMITS) {
      invalidProp(this, 'pathRateLimits', `have at most ${MAX_PATH_RATE_LIMITS} entries`, pathRateLimits.map((p) => p.name));
    }

    const logging = this.resolveLogging(stack, props);
    return {
      wafScope,
      webAclName,
      description,
      countOnly,
      capacityBudget,
      bodies,
      allowed,
      denied,
      countries,
      bodySizeLimit,
      maxBodyBytes,
      rateLimit,
      rateLimitEnabled,
      pathRateLimits,
      ...logging,
      groupOptions: props.managedRuleGroups ?? ManagedRuleGroup.defaults().map((group) => ({ group })),
    };
  }

  /** The web ACL's scope (CLOUDFRONT only in us-east-1), name and description. */
  private resolveWebAcl(stack: GroundworkStack, props: WafRulesProps): Pick<ResolvedWafProps, 'wafScope' | 'webAclName' | 'description'> {
    const wafScope = props.scope ?? WafScope.REGIONAL;
    if (!Object.values(WafScope).includes(wafScope)) {
      invalidProp(this, 'scope', `be one of ${Object.values(WafScope).join(', ')}`, wafScope);
    }
    if (wafScope === WafScope.CLOUDFRONT && stack.region !== 'us-east-1') {
      invalidCombination(
        this,
        `scope CLOUDFRONT needs the web ACL in us-east-1, but the stack's region is ${stack.region}; ` +
          'create this WafRules in a GroundworkStack for us-east-1 and give its webAclArn to the distribution',
      );
    }
    const pathInStack = pathOf(this, stack);
    const webAclName = props.webAclName ?? Naming.resourceName([stack.namePrefix, ...pathInStack], 128);
    if (!Token.isUnresolved(webAclName) && !WAF_NAME.test(webAclName)) {
      invalidProp(this, 'webAclName', 'be 1-128 letters, digits, hyphens or underscores', webAclName);
    }
    const description = props.description ?? `Web ACL ${webAclName}, managed by cdktf-groundwork`;
    if (!Token.isUnresolved(description) && (description.length > 256 || !DESCRIPTION_PATTERN.test(description))) {
      invalidProp(this, 'description', 'be 3-256 characters of letters, digits, spaces and + = : # @ / - , .', description);
    }
    return { wafScope, webAclName, description };
  }

  /** The body size rule, within what WAF inspects of a body for the scope. */
  private resolveBodySizeLimit(props: WafRulesProps, wafScope: WafScope): Pick<ResolvedWafProps, 'bodySizeLimit' | 'maxBodyBytes'> {
    const bodySizeLimit = props.bodySizeLimit ?? true;
    const inspectionLimit = BODY_INSPECTION_LIMIT[wafScope];
    const maxBodyBytes = props.maxRequestBodySizeBytes ?? inspectionLimit;
    const bodyInRange = Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1 && maxBodyBytes <= inspectionLimit;
    if (!Token.isUnresolved(maxBodyBytes) && !bodyInRange) {
      invalidProp(
        this,
        'maxRequestBodySizeBytes',
        `be an integer from 1 to ${inspectionLimit} ` +
          `(WAF inspects at most the first ${inspectionLimit} bytes of a body for ${wafScope} web ACLs)`,
        maxBodyBytes,
      );
    }
    if (props.maxRequestBodySizeBytes !== undefined && !bodySizeLimit) {
      invalidCombination(this, 'maxRequestBodySizeBytes is set but bodySizeLimit is false; remove one of them');
    }
    return { bodySizeLimit, maxBodyBytes };
  }

  /** Logging: retention, filter and redacted headers, which need logging on. */
  private resolveLogging(
    stack: GroundworkStack,
    props: WafRulesProps,
  ): Pick<ResolvedWafProps, 'logging' | 'logRetentionDays' | 'loggingFilter' | 'redactedHeaders'> {
    const logging = props.logging ?? true;
    const logRetentionDays = props.logRetentionDays ?? stack.preset.logRetentionDays;
    checkLogRetentionDays(this, 'logRetentionDays', logRetentionDays);
    const loggingFilter = props.loggingFilter ?? WafLoggingFilter.ALL_REQUESTS;
    if (!Object.values(WafLoggingFilter).includes(loggingFilter)) {
      invalidProp(this, 'loggingFilter', `be one of ${Object.values(WafLoggingFilter).join(', ')}`, loggingFilter);
    }
    const redactedHeaders = checkRedactedHeaders(this, ALWAYS_REDACTED, props.redactedHeaders ?? []);
    if (!logging) {
      for (const [name, value] of Object.entries({
        logRetentionDays: props.logRetentionDays,
        loggingFilter: props.loggingFilter,
        redactedHeaders: props.redactedHeaders,
      })) {
        if (value !== undefined) {
          invalidCombination(this, `${name} is set but logging is false; remove ${name} or turn logging on`);
        }
      }
    }
    return { logging, logRetentionDays, loggingFilter, redactedHeaders };
  }

  /** Every rule, in the order of the props: lists, countries, body size, path rate limits, rate limit, managed groups. */
  private planRules(resolved: ResolvedWafProps): PlannedRule[] {
    const planned: PlannedRule[] = this.planMatchRules(resolved);
    resolved.pathRateLimits.forEach((pathLimit, index) => {
      planned.push(this.planPathRateLimit(pathLimit, index, resolved.countOnly));
    });
    const rateLimitRule = this.planRateLimit(resolved);
    if (rateLimitRule !== undefined) planned.push(rateLimitRule);
    resolved.groupOptions.forEach((options, index) => {
      planned.push(this.planManagedRuleGroup(options, index, resolved.countOnly, visibility));
    });
    return planned;
  }

  /** The rules that match on the source address, the country and the body size. */
  private planMatchRules(resolved: ResolvedWafProps): PlannedRule[] {
    const { allowed, denied, countries, countOnly } = resolved;
    const planned: PlannedRule[] = [];
    if (allowed.length > 0) {
      planned.push({
        ruleName: 'AllowListedIps',
        priority: PRIORITY.allowList,
        capacity: ipSetCount(allowed),
        source: 'allowedIpCidrs',
        build: (ipSets) => ({
          name: 'AllowListedIps',
          priority: PRIORITY.allowList,
          action: { allow: {} },
          statement: ipSetStatement(ipSets.allow),
          visibilityConfig: visibility('AllowListedIps'),
        }),
      });
    }
    if (denied.length > 0) {
      planned.push({
        ruleName: 'DenyListedIps',
        priority: PRIORITY.denyList,
        capacity: ipSetCount(denied),
        source: 'deniedIpCidrs',
        build: (ipSets) => ({
          name: 'DenyListedIps',
          priority: PRIORITY.denyList,
          action: blockAction(countOnly, 403, BODY_KEY.forbidden),
          statement: ipSetStatement(ipSets.deny),
          visibilityConfig: visibility('DenyListedIps'),
        }),
      });
    }
    if (countries.length > 0) {
      planned.push({
        ruleName: 'BlockedCountries',
        priority: PRIORITY.geoBlock,
        capacity: 1,
        source: 'blockedCountryCodes',
        build: () => ({
          name: 'BlockedCountries',
          priority: PRIORITY.geoBlock,
          action: blockAction(countOnly, 403, BODY_KEY.forbidden),
          statement: { geo_match_statement: { country_codes: countries } },
          visibilityConfig: visibility('BlockedCountries'),
        }),
      });
    }
    if (resolved.bodySizeLimit) {
      planned.push({
        ruleName: 'BodySizeLimit',
        priority: PRIORITY.bodySize,
        capacity: 1,
        source: 'maxRequestBodySizeBytes',
        build: () => ({
          name: 'BodySizeLimit',
          priority: PRIORITY.bodySize,
          action: blockAction(countOnly, 413, BODY_KEY.requestTooLarge),
          statement: {
            size_constraint_statement: {
              comparison_operator: 'GT',
              size: resolved.maxBodyBytes,
              // Bodies beyond what WAF inspects count as too large rather than slipping through.
              field_to_match: { body: { oversize_handling: 'MATCH' } },
              text_transformation: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodySizeLimit'),
        }),
      });
    }
    return planned;
  }

  /** A rate limit on the requests under one path prefix. */
  private planPathRateLimit(pathLimit: PathRateLimitOptions, index: number, countOnly: boolean): PlannedRule {
    const property = `pathRateLimits[${index}]`;
    if (!PATH_RATE_LIMIT_NAME.test(pathLimit.name)) {
      invalidProp(this, `${property}.name`, 'be 1-64 letters, digits, hyphens or underscores', pathLimit.name);
    }
    checkUriPath(this, `${property}.pathPrefix`, pathLimit.pathPrefix);
    checkRateLimit(this, `${property}.limit`, pathLimit.limit);
    const window = pathLimit.evaluationWindowSeconds ?? 300;
    checkEvaluationWindow(this, `${property}.evaluationWindowSeconds`, window);
    const priority = pathLimit.priority ?? PRIORITY.pathRateLimits + index;
    checkPriority(this, `${property}.priority`, priority);
    const ruleName = `RateLimit-${pathLimit.name}`;
    const scopeDown: StatementNode = {
      kind: 'byteMatch',
      field: 'uriPath',
      positionalConstraint: 'STARTS_WITH',
      searchString: pathLimit.pathPrefix,
      textTransformations: PATH_TRANSFORMATIONS,
    };
    return {
      ruleName,
      priority,
      capacity: 2 + statementCapacity(scopeDown),
      source: property,
      build: () => ({
        name: ruleName,
        priority,
        action: blockAction(countOnly, 429, BODY_KEY.tooManyRequests, [{ name: 'Retry-After', value: String(window) }]),
        statement: {
          rate_based_statement: {
            limit: pathLimit.limit,
            evaluation_window_sec: window,
            aggregate_key_type: 'IP',
            scope_down_statement: renderStatement(scopeDown),
          },
        },
        visibilityConfig: visibility(ruleName),
      }),
    };
  }

  /** The per-IP rate limit, unless it is turned off. */
  private planRateLimit(resolved: ResolvedWafProps): PlannedRule | undefined {
    const rateLimit = resolved.rateLimit;
    if (resolved.rateLimitEnabled) {
      const limit = rateLimit.limit ?? 2000;
      checkRateLimit(this, 'rateLimit.limit', limit);
      const window = rateLimit.evaluationWindowSeconds ?? 300;
      checkEvaluationWindow(this, 'rateLimit.evaluationWindowSeconds', window);
      const priority = rateLimit.priority ?? PRIORITY.rateLimit;
      checkPriority(this, 'rateLimit.priority', priority);
      return {
        ruleName: 'RateLimitPerIp',
        priority,
        capacity: 2,
        source: 'rateLimit',
        build: () => ({
          name: 'RateLimitPerIp',
          priority,
          action: blockAction(resolved.countOnly, 429, BODY_KEY.tooManyRequests, [{ name: 'Retry-After', value: String(window) }]),
          statement: { rate_based_statement: { limit, evaluation_window_sec: window, aggregate_key_type: 'IP' } },
          visibilityConfig: visibility('RateLimitPerIp'),
        }),
      };
    } else if ([rateLimit.limit, rateLimit.evaluationWindowSeconds, rateLimit.priority].some((v) => v !== undefined)) {
      invalidCombination(
        this,
        'rateLimit.enabled is false but other rateLimit options are set; remove them or enable the rate limit',
      );
    }
    return undefined;
  }

  /** Unique names and priorities, and a total capacity within the budget; returns the total. */
  private checkCapacity(planned: PlannedRule[], capacityBudget: number): number {
    checkUniqueRules(this, planned);
    const estimatedCapacity = totalCapacity(planned);
    if (estimatedCapacity > capacityBudget) {
      invalidCombination(
        this,
        `the rules need ${estimatedCapacity} WCUs, more than capacityBudget ${capacityBudget}: ${capacityBreakdown(planned)}; ` +
          `raise capacityBudget (at most ${MAX_CAPACITY}; above ${BASE_PRICE_CAPACITY} WCUs a web ACL costs more per request), ` +
          'remove rule groups, or scope them down',
      );
    }
    return estimatedCapacity;
  }

  /** The IP sets of the allow and deny lists, one per IP version in use. */
  private createIpSets(resolved: ResolvedWafProps): IpSetArns {
    const { webAclName, wafScope } = resolved;
    const ipSetOf = (constructId: string, suffix: string, cidrs: IpCidr[], version: 4 | 6, purpose: string) => {
      const addresses = cidrs.filter((c) => c.version === version).map((c) => c.text);
      if (addresses.length === 0) return [];
      const name = Naming.resourceName([webAclName, suffix], 128);
      return [
        new Wafv2IpSet(this, constructId, {
          name,
          description: `${purpose} of web ACL ${webAclName}`,
          scope: wafScope,
          ipAddressVersion: version === 4 ? 'IPV4' : 'IPV6',
          addresses,
          tags: { Name: name },
        }).arn,
      ];
    };
    return {
      allow: [
        ...ipSetOf('AllowListIpv4', 'allow-ipv4', resolved.allowed, 4, 'IPv4 allowlist'),
        ...ipSetOf('AllowListIpv6', 'allow-ipv6', resolved.allowed, 6, 'IPv6 allowlist'),
      ],
      deny: [
        ...ipSetOf('DenyListIpv4', 'deny-ipv4', resolved.denied, 4, 'IPv4 denylist'),
        ...ipSetOf('DenyListIpv6', 'deny-ipv6', resolved.denied, 6, 'IPv6 denylist'),
      ],
    };
  }

  /** The web ACL, with the rules in priority order and the custom response bodies. */
  private createWebAcl(resolved: ResolvedWafProps, ordered: PlannedRule[], ipSets: IpSetArns): Wafv2WebAcl {
    const { webAclName, bodies } = resolved;
    return new Wafv2WebAcl(this, 'Resource', {
      name: webAclName,
      description: resolved.description,
      scope: resolved.wafScope,
      defaultAction: { allow: {} },
      rule: ordered.map((r) => r.build(ipSets)),
      customResponseBody: [
        { key: BODY_KEY.forbidden, ...bodies.forbidden },
        { key: BODY_KEY.tooManyRequests, ...bodies.tooManyRequests },
        { key: BODY_KEY.requestTooLarge, ...bodies.requestTooLarge },
      ],
      visibilityConfig: visibility(webAclName),
      tags: { Name: webAclName },
    });
  }

  /** Logging to an encrypted log group, which only this web ACL's log delivery may write to. */
  private createLogging(
    stack: GroundworkStack,
    resolved: ResolvedWafProps,
    outputPrefix: string,
  ): { logGroupName: string; logGroup: EncryptedLogGroup } {
    const webAclName = resolved.webAclName;
    const logGroupName = `aws-waf-logs-${webAclName}`;
    const logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      logGroupName,
      retentionDays: resolved.logRetentionDays,
      description: `WAF logs of web ACL ${webAclName}`,
    });
    // WAF delivers logs through CloudWatch Logs' log delivery service. Managing its resource
    // policy here, scoped to this log group and account, keeps WAF from growing the shared
    // AWSWAF-LOGS policy of the account (which fails once it reaches the 5120-character limit).
    const deliveryPolicy = new CloudwatchLogResourcePolicy(this, 'LogDeliveryPolicy', {
      policyName: `${logGroupName}-delivery`,
      policyDocument: policyDocument([
        {
          Sid: 'WafLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroup.logGroupArn}:*`,
          Condition: {
            StringEquals: { 'aws:SourceAccount': stack.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:logs:${stack.region}:${stack.accountId}:*` },
          },
        },
      ]),
    });
    const loggedActions = LOGGED_ACTIONS[resolved.loggingFilter];
    new Wafv2WebAclLoggingConfiguration(this, 'Logging', {
      resourceArn: this.resource.arn,
      // The log group ARN without the `:*` suffix, which WAF rejects.
      logDestinationConfigs: [logGroup.logGroupArn],
      redactedFields: resolved.redactedHeaders.map((name) => ({ singleHeader: { name } })),
      loggingFilter:
        loggedActions.length === 0
          ? undefined
          : {
              defaultBehavior: 'DROP',
              filter: [
                {
                  behavior: 'KEEP',
                  requirement: 'MEETS_ANY',
                  condition: loggedActions.map((action) => ({ actionCondition: { action } })),
                },
              ],
            },
      dependsOn: [deliveryPolicy],
    });
    new TerraformOutput(this, 'LogGroupName', {
      value: logGroupName,
      description: `CloudWatch Logs group of the WAF web ACL ${webAclName}`,
    }).overrideLogicalId(`${outputPrefix}_log_group_name`);
    return { logGroupName, logGroup };
  }

  private planManagedRuleGroup(
    options: ManagedRuleGroupOptions,
    index: number,
    countOnly: boolean,
    visibility: (metricName: string) => Wafv2WebAclRule['visibilityConfig'],
  ): PlannedRule {
    const property = `managedRuleGroups[${index}]`;
    const spec = this.managedRuleGroupSpec(options, property);
    this.checkRuleActionOverrides(options.ruleActionOverrides ?? [], property);
    const scopeDown = this.scopeDownNode(options.scopeDownStatement, `${property}.scopeDownStatement`);
    this.checkBotControlInspectionLevel(options.botControlInspectionLevel, spec, property);
    const ruleName = options.ruleName ?? `AWS-${spec.name}`;
    if (!WAF_NAME.test(ruleName)) {
      invalidProp(this, `${property}.ruleName`, 'be 1-128 letters, digits, hyphens or underscores', ruleName);
    }
    const priority = options.priority ?? PRIORITY.managedGroups + 10 * index;
    checkPriority(this, `${property}.priority`, priority);
    const statement = managedRuleGroupStatement(spec, options, scopeDown);
    return {
      ruleName,
      priority,
      capacity: spec.capacity + (scopeDown ? statementCapacity(scopeDown) : 0),
      source: property,
      build: () => ({
        name: ruleName,
        priority,
        overrideAction: countOnly || options.countOnly ? { count: {} } : { none: {} },
        statement: { managed_rule_group_statement: statement },
        visibilityConfig: visibility(ruleName),
      }),
    };
  }

  /** The catalogue entry of a managed rule group (its capacity is needed), and a valid version. */
  private managedRuleGroupSpec(options: ManagedRuleGroupOptions, property: string): ManagedRuleGroupSpec {
    const group = options.group;
    const spec = group ? findManagedRuleGroup(group.vendorName, group.name) : undefined;
    if (!spec) {
      invalidProp(
        this,
        `${property}.group`,
        'be one of the AWS managed rule groups whose capacity is known ' +
          `(${MANAGED_RULE_GROUP_CATALOGUE.map((g) => g.name).join(', ')})`,
        group ? `${group.vendorName}/${group.name}` : group,
      );
    }
    if (options.version !== undefined && !Token.isUnresolved(options.version)) {
      if (!spec.versioned) {
        invalidProp(this, `${property}.version`, `not be set: ${spec.name} is not versioned`, options.version);
      }
      if (!VERSION_PATTERN.test(options.version)) {
        invalidProp(this, `${property}.version`, 'be a static version such as "Version_1.12"', options.version);
      }
    }
    return spec;
  }

  private checkRuleActionOverrides(overrides: RuleActionOverride[], property: string): void {
    if (overrides.length > 100) {
      invalidProp(this, `${property}.ruleActionOverrides`, 'have at most 100 entries', overrides.length);
    }
    const overridden = new Set<string>();
    overrides.forEach((override, i) => {
      if (!WAF_NAME.test(override.ruleName)) {
        invalidProp(
          this,
          `${property}.ruleActionOverrides[${i}].ruleName`,
          'be 1-128 letters, digits, hyphens or underscores',
          override.ruleName,
        );
      }
      if (overridden.has(override.ruleName)) {
        invalidProp(this, `${property}.ruleActionOverrides`, 'override each rule once', override.ruleName);
      }
      overridden.add(override.ruleName);
      if (!Object.values(WafRuleAction).includes(override.action)) {
        invalidProp(
          this,
          `${property}.ruleActionOverrides[${i}].action`,
          `be one of ${Object.values(WafRuleAction).join(', ')}`,
          override.action,
        );
      }
    });
  }

  /** The checked statement tree of a scope-down statement; undefined when there is none. */
  private scopeDownNode(statement: WafStatement | undefined, property: string): StatementNode | undefined {
    if (statement === undefined) return undefined;
    const node = STATEMENT_NODES.get(statement);
    if (!node) {
      invalidProp(this, property, 'be built with the WafStatement factories', statement);
    }
    checkStatement(this, property, node, SCOPE_DOWN_MAX_LOGICAL_DEPTH);
    return node;
  }

  private checkBotControlInspectionLevel(level: BotControlInspectionLevel | undefined, spec: ManagedRuleGroupSpec, property: string): void {
    if (level === undefined) return;
    if (spec.name !== BOT_CONTROL_GROUP_NAME) {
      invalidProp(this, `${property}.botControlInspectionLevel`, `be set only for ${BOT_CONTROL_GROUP_NAME}, not ${spec.name}`, level);
    }
    if (!Object.values(BotControlInspectionLevel).includes(level)) {
      invalidProp(this, `${property}.botControlInspectionLevel`, `be one of ${Object.values(BotControlInspectionLevel).join(', ')}`, level);
    }
  }

  private recordWarnings(
    props: WafRulesProps,
    facts: {
      countOnly: boolean;
      rateLimitEnabled: boolean;
      bodySizeLimit: boolean;
      logging: boolean;
      estimatedCapacity: number;
      allowed: IpCidr[];
      groupOptions: ManagedRuleGroupOptions[];
    },
  ): void {
    if (facts.countOnly) {
      reportFinding(
        this,
        WAF_COUNT_ONLY,
        'countOnly is on: the web ACL only counts matches and blocks nothing. ' +
          'Turn it off once the logs show no false positives.',
      );
    }
    if (!facts.rateLimitEnabled) {
      reportFinding(this, WAF_NO_RATE_LIMIT, 'the per-IP rate limit is off: a single address can flood the application.');
    }
    if (!facts.bodySizeLimit) {
      reportFinding(
        this,
        WAF_NO_BODY_LIMIT,
        'the body size limit is off: ' +
          'bodies beyond what WAF inspects reach the application uninspected.',
      );
    }
    if (!facts.logging) {
      reportFinding(this, WAF_NO_LOGGING, 'logging is off: there is no record of blocked or allowed requests for incident response.');
    }
    if (facts.estimatedCapacity > BASE_PRICE_CAPACITY) {
      reportFinding(
        this,
        WAF_CAPACITY_PRICING,
        `the rules need ${facts.estimatedCapacity} WCUs; above ${BASE_PRICE_CAPACITY} WCUs ` +
          'AWS charges more per million requests.',
      );
    }
    const broad = facts.allowed.filter((c) => (c.version === 4 ? c.prefix < 16 : c.prefix < 32)).map((c) => c.text);
    if (broad.length > 0) {
      reportFinding(
        this,
        WAF_BROAD_ALLOWLIST,
        `allowedIpCidrs ${JSON.stringify(broad)} allow large address ranges past every rule, ` +
          'including the managed rule groups and the rate limit.',
      );
    }
    if (props.managedRuleGroups !== undefined) {
      const listed = new Set(facts.groupOptions.map((o) => o.group.name));
      const missing = MANAGED_RULE_GROUP_CATALOGUE.filter((g) => g.enabledByDefault && !listed.has(g.name)).map((g) => g.name);
      if (missing.length > 0) {
        reportFinding(this, WAF_DEFAULT_GROUP_REMOVED, `managedRuleGroups leaves out default groups ${missing.join(', ')}.`);
      }
    }
    for (const options of facts.groupOptions) {
      if (options.countOnly && !facts.countOnly) {
        reportFinding(this, WAF_GROUP_COUNT_ONLY, `${options.group.name} only counts: its rules block nothing.`);
      }
      if (options.group.name === KNOWN_BAD_INPUTS_GROUP_NAME) {
        const log4j = (options.ruleActionOverrides ?? []).filter(
          (o) => o.ruleName.startsWith(LOG4J_RULE_PREFIX) && o.action !== WafRuleAction.BLOCK,
        );
        if (log4j.length > 0) {
          reportFinding(
            this,
            WAF_LOG4J_OVERRIDDEN,
            `${log4j.map((o) => `${o.ruleName} → ${o.action}`).join(', ')}: ` +
              'Log4Shell (CVE-2021-44228) exploits are no longer blocked.',
          );
        }
      }
      const spec = findManagedRuleGroup(options.group.vendorName, options.group.name);
      if (spec?.paid && options.scopeDownStatement === undefined) {
        reportFinding(
          this,
          WAF_PAID_GROUP_UNSCOPED,
          `${spec.name} is charged per request it inspects and has no scopeDownStatement; ` +
            'scope it down (e.g. away from static assets) to control the cost.',
        );
      }
    }
  }
}

/** The `managed_rule_group_statement` of a checked managed rule group. */
function managedRuleGroupStatement(
  spec: ManagedRuleGroupSpec,
  options: ManagedRuleGroupOptions,
  scopeDown: StatementNode | undefined,
): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    name: spec.name,
    vendor_name: spec.vendorName,
  };
  if (options.version !== undefined) statement.version = options.version;
  const overrides = options.ruleActionOverrides ?? [];
  if (overrides.length > 0) {
    statement.rule_action_override = overrides.map((o) => ({
      name: o.ruleName,
      action_to_use: { [o.action.toLowerCase()]: {} },
    }));
  }
  if (scopeDown) statement.scope_down_statement = renderStatement(scopeDown);
  if (spec.name === BOT_CONTROL_GROUP_NAME) {
    statement.managed_rule_group_configs = [
      {
        aws_managed_rules_bot_control_rule_set: {
          inspection_level: options.botControlInspectionLevel ?? BotControlInspectionLevel.COMMON,
        },
      },
    ];
  }
  return statement;
}
