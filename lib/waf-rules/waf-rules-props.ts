import type { ManagedRuleGroupOptions, PathRateLimitOptions, RateLimitOptions, WafLoggingFilter, WafResponseBody, WafScope } from './waf-rules';

/** Properties of a {@link WafRules}. */
export interface WafRulesProps {
  /**
   * Regional (load balancers, API Gateway, ...) or CloudFront. A CLOUDFRONT web ACL must be
   * created in us-east-1, so it needs a GroundworkStack whose region is us-east-1.
   *
   * @default WafScope.REGIONAL
   */
  readonly scope?: WafScope;

  /**
   * The web ACL name (1-128 letters, digits, `-`, `_`); also the prefix of the IP set and log
   * group names.
   *
   * @default - `<project>-<environment>-<construct path in the stack>`, lowercased
   */
  readonly webAclName?: string;

  /**
   * The web ACL description.
   *
   * @default - "Web ACL <name>, managed by cdktf-groundwork"
   */
  readonly description?: string;

  /**
   * Count instead of block, everywhere: managed groups are overridden to count and every
   * blocking rule counts. The allowlist still allows. For rolling the web ACL out safely:
   * watch the logs and metrics, then turn it off. A warning is recorded.
   *
   * @default false
   */
  readonly countOnly?: boolean;

  /**
   * The AWS managed rule groups, evaluated in this order after the IP, geo, body-size and
   * rate rules. Listing them replaces the default list; leaving out a default group records a
   * warning.
   *
   * @default - CommonRuleSet, KnownBadInputsRuleSet, SQLiRuleSet, AmazonIpReputationList, with no overrides
   */
  readonly managedRuleGroups?: ManagedRuleGroupOptions[];

  /**
   * The per-IP rate limit of the whole site.
   *
   * @default - 2000 requests per IP per 5 minutes, blocked with 429
   */
  readonly rateLimit?: RateLimitOptions;

  /**
   * Extra per-IP rate limits for paths such as `/api/login` (at most 10).
   *
   * @default - none
   */
  readonly pathRateLimits?: PathRateLimitOptions[];

  /**
   * IPv4 and IPv6 CIDR blocks that are always allowed: the allowlist rule runs first and
   * skips every other rule. Literal CIDRs without host bits, not /0; at most 10,000 per IP
   * version.
   *
   * @default - no allowlist
   */
  readonly allowedIpCidrs?: string[];

  /**
   * IPv4 and IPv6 CIDR blocks that are always blocked (403). Same format as `allowedIpCidrs`.
   *
   * @default - no denylist
   */
  readonly deniedIpCidrs?: string[];

  /**
   * Countries to block (403), as ISO 3166-1 alpha-2 codes such as `KP`.
   *
   * @default - no geo blocking
   */
  readonly blockedCountryCodes?: string[];

  /**
   * Block requests whose body is larger than `maxRequestBodySizeBytes` (413). Turning it off
   * records a warning.
   *
   * @default true
   */
  readonly bodySizeLimit?: boolean;

  /**
   * The largest request body allowed, in bytes. WAF inspects at most the first 8 KB of a body
   * for regional web ACLs on load balancers (16 KB for CloudFront), and bodies beyond that are
   * treated as too large, so the limit is at most 8192 (REGIONAL) or 16384 (CLOUDFRONT).
   *
   * @default - 8192 for REGIONAL, 16384 for CLOUDFRONT
   */
  readonly maxRequestBodySizeBytes?: number;

  /**
   * The body of 403 responses from the denylist and geo rules.
   *
   * @default - `{"error":"forbidden","message":"The request was blocked."}`
   */
  readonly forbiddenResponseBody?: WafResponseBody;

  /**
   * The body of 429 responses from the rate limits (they also carry `Retry-After`).
   *
   * @default - `{"error":"too_many_requests","message":"Too many requests, retry later."}`
   */
  readonly tooManyRequestsResponseBody?: WafResponseBody;

  /**
   * The body of 413 responses from the body size limit.
   *
   * @default - `{"error":"request_too_large","message":"The request body is too large."}`
   */
  readonly requestTooLargeResponseBody?: WafResponseBody;

  /**
   * Log requests to a KMS-encrypted CloudWatch Logs group named `aws-waf-logs-<web ACL name>`.
   * Turning it off leaves no record for incident response; a warning is recorded.
   *
   * @default true
   */
  readonly logging?: boolean;

  /**
   * Retention of the log group, in days (a value CloudWatch Logs accepts).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly logRetentionDays?: number;

  /**
   * Which requests are logged.
   *
   * @default WafLoggingFilter.ALL_REQUESTS
   */
  readonly loggingFilter?: WafLoggingFilter;

  /**
   * Request headers to redact from the logs, in addition to `authorization` and `cookie`,
   * which are always redacted.
   *
   * @default - only authorization and cookie
   */
  readonly redactedHeaders?: string[];

  /**
   * The most web ACL capacity units (WCUs) the rules may use (1-5000). Synth fails, with the
   * per-rule breakdown, when the configured rules need more. Web ACLs above 1500 WCUs cost
   * more per request.
   *
   * @default 1500
   */
  readonly capacityBudget?: number;
}
