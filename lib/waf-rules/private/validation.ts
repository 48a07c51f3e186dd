import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkIntegerInRange, invalidCombination, invalidProp } from '../../core/private/errors';
import { RuleCapacity } from './capacity';
import { WAF_COUNTRY_CODES } from './country-codes';
import { IpCidr, parseIpCidr } from './ip-cidr';
import { allStatements, describeStatement, logicalDepth, StatementNode } from './statements';

/**
 * The checks WafRules runs on its props before creating any resource. Each throws the
 * library's standard ValidationError naming the construct, the property, the value and what
 * is allowed. Limits are those of the WAFv2 API, which otherwise rejects them at apply time.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
 */

/** Names of web ACLs, rules, IP sets and rule group rules. */
export const WAF_NAME = /^[\w-]{1,128}$/;

const URI_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const HTTP_METHOD = /^[A-Z]{1,32}$/;
const LABEL_KEY = /^[0-9A-Za-z_\-:]{1,1024}$/;
const IP_SET_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/ipset\/.+$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/;
const REGIONAL_SERVICES = ['elasticloadbalancing', 'apigateway', 'appsync', 'cognito-idp', 'apprunner', 'ec2'];
const EVALUATION_WINDOWS = [60, 120, 300, 600];
const MAX_IP_SET_ADDRESSES = 10_000;
const MAX_RESPONSE_BODY_BYTES = 4096;
const MAX_REDACTED_FIELDS = 100;
const MAX_SEARCH_STRING = 200;

/** Parses IPv4 / IPv6 CIDR blocks for an IP set; they must be literals, unique and valid. */
export function checkCidrs(scope: IConstruct, property: string, cidrs: string[]): IpCidr[] {
  const literalOnly = 'contain literal CIDRs (they are split into IPv4 and IPv6 IP sets at synth time)';
  if (Token.isUnresolved(cidrs)) {
    invalidProp(scope, property, literalOnly, cidrs);
  }
  const parsed: IpCidr[] = [];
  const seen = new Set<string>();
  for (const text of cidrs) {
    if (Token.isUnresolved(text)) {
      invalidProp(scope, property, literalOnly, text);
    }
    const cidr = parseIpCidr(text);
    if (!cidr) {
      invalidProp(
        scope,
        property,
        'contain IPv4 or IPv6 CIDR blocks such as 192.0.2.0/24 or 2001:db8::/32, without host bits set and not /0',
        text,
      );
    }
    if (seen.has(text)) {
      invalidProp(scope, property, 'not repeat a CIDR block', text);
    }
    seen.add(text);
    parsed.push(cidr);
  }
  for (const version of [4, 6]) {
    const count = parsed.filter((c) => c.version === version).length;
    if (count > MAX_IP_SET_ADDRESSES) {
      invalidProp(scope, property, `hold at most ${MAX_IP_SET_ADDRESSES} IPv${version} blocks (the IP set limit)`, count);
    }
  }
  return parsed;
}

/** Country codes for a geo match: known to WAF, upper case, unique. */
export function checkCountryCodes(scope: IConstruct, property: string, codes: string[], allowEmpty: boolean): string[] {
  if (Token.isUnresolved(codes)) return codes;
  if (!allowEmpty && codes.length === 0) {
    invalidProp(scope, property, 'list at least one country code', codes);
  }
  const seen = new Set<string>();
  for (const code of codes) {
    if (Token.isUnresolved(code)) continue;
    if (!WAF_COUNTRY_CODES.has(code)) {
      invalidProp(scope, property, 'contain ISO 3166-1 alpha-2 country codes in upper case, such as US or DE', code);
    }
    if (seen.has(code)) {
      invalidProp(scope, property, 'not repeat a country code', code);
    }
    seen.add(code);
  }
  return [...codes];
}

/** A custom response body: a known content type, 1 byte to 4 KB, and valid JSON when it says so. */
export function checkResponseBody(
  scope: IConstruct,
  property: string,
  content: string,
  contentType: string,
  contentTypes: string[],
): void {
  if (!contentTypes.includes(contentType)) {
    invalidProp(scope, `${property}.contentType`, `be one of ${contentTypes.join(', ')}`, contentType);
  }
  if (Token.isUnresolved(content)) return;
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes === 0 || bytes > MAX_RESPONSE_BODY_BYTES) {
    invalidProp(scope, property, `be 1 to ${MAX_RESPONSE_BODY_BYTES} bytes of UTF-8 (this one is ${bytes})`, content);
  }
  if (contentType === 'APPLICATION_JSON') {
    try {
      JSON.parse(content);
    } catch {
      invalidProp(scope, property, 'be valid JSON (its content type is APPLICATION_JSON)', content);
    }
  }
}

/** The headers to redact: the always-redacted ones plus valid extra names, lowercased, once each. */
export function checkRedactedHeaders(scope: IConstruct, alwaysRedacted: string[], extra: string[]): string[] {
  const headers = [...alwaysRedacted];
  for (const header of extra) {
    const name = header.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      invalidProp(scope, 'redactedHeaders', 'contain HTTP header names of 1-64 token characters, such as x-api-key', header);
    }
    if (!headers.includes(name)) headers.push(name);
  }
  if (headers.length > MAX_REDACTED_FIELDS) {
    invalidProp(scope, 'redactedHeaders', `redact at most ${MAX_REDACTED_FIELDS} headers in all`, headers.length);
  }
  return headers;
}

/**
 * A path as the statements compare it: requests are URL-decoded and normalized first, so a
 * search string with %-escapes or dot segments could never match.
 */
export function checkUriPath(scope: IConstruct, property: string, path: string): void {
  if (Token.isUnresolved(path)) return;
  const segments = path.split('/');
  if (
    !URI_PATH.test(path) ||
    path.length > MAX_SEARCH_STRING ||
    path.includes('//') ||
    segments.some((s) => s === '.' || s === '..')
  ) {
    invalidProp(
      scope,
      property,
      `be a decoded, normalized URI path of at most ${MAX_SEARCH_STRING} characters starting with "/", such as /api/login ` +
        '(no %-escapes, "//", "." or ".." segments: requests are decoded and normalized before comparison)',
      path,
    );
  }
}

/** A statement tree: nesting within `maxLogicalDepth`, two or more statements per and / or, valid leaves. */
export function checkStatement(scope: IConstruct, property: string, root: StatementNode, maxLogicalDepth: number): void {
  if (logicalDepth(root) > maxLogicalDepth) {
    invalidProp(
      scope,
      property,
      `nest at most ${maxLogicalDepth} levels of allOf / anyOf / negate (the limit for scope-down statements)`,
      describeStatement(root),
    );
  }
  for (const node of allStatements(root)) {
    switch (node.kind) {
      case 'and':
      case 'or':
        if (node.statements.length < 2) {
          const name = node.kind === 'and' ? 'allOf' : 'anyOf';
          invalidProp(scope, property, `combine at least 2 statements in ${name}`, describeStatement(node));
        }
        break;
      case 'byteMatch':
        if (node.field === 'uriPath') {
          checkUriPath(scope, property, node.searchString);
        } else if (Token.isUnresolved(node.searchString)) {
          break;
        } else if (node.field === 'hostHeader' && !HOST_NAME.test(node.searchString)) {
          invalidProp(scope, property, 'match a host name such as api.example.com', node.searchString);
        } else if (node.field === 'method' && !HTTP_METHOD.test(node.searchString)) {
          invalidProp(scope, property, 'match an HTTP method such as POST', node.searchString);
        }
        break;
      case 'geoMatch':
        checkCountryCodes(scope, property, [...node.countryCodes], false);
        break;
      case 'labelMatch':
        if (!Token.isUnresolved(node.key) && !LABEL_KEY.test(node.key)) {
          invalidProp(scope, property, 'match a label key of letters, digits, _, - and :', node.key);
        }
        break;
      case 'ipSetReference':
        if (!Token.isUnresolved(node.arn) && !IP_SET_ARN.test(node.arn)) {
          invalidProp(scope, property, 'reference a WAFv2 IP set ARN', node.arn);
        }
        break;
      case 'not':
        break;
    }
  }
}

/** A rate-based rule's request limit: 10 to 2,000,000,000. */
export function checkRateLimit(scope: IConstruct, property: string, limit: number): void {
  checkIntegerInRange(scope, property, limit, 10, 2_000_000_000);
}

/** A rate-based rule's evaluation window: 60, 120, 300 or 600 seconds. */
export function checkEvaluationWindow(scope: IConstruct, property: string, seconds: number): void {
  if (!Token.isUnresolved(seconds) && !EVALUATION_WINDOWS.includes(seconds)) {
    invalidProp(scope, property, `be one of ${EVALUATION_WINDOWS.join(', ')} seconds`, seconds);
  }
}

/** A rule priority: a non-negative 32-bit integer. */
export function checkPriority(scope: IConstruct, property: string, priority: number): void {
  checkIntegerInRange(scope, property, priority, 0, 2_147_483_647);
}

/** A planned rule, with the prop it comes from for error messages. */
export interface SourcedRule extends RuleCapacity {
  readonly source: string;
}

/** Rule names and priorities must be unique within a web ACL. */
export function checkUniqueRules(scope: IConstruct, rules: readonly SourcedRule[]): void {
  const byName = new Map<string, SourcedRule>();
  const byPriority = new Map<number, SourcedRule>();
  for (const rule of rules) {
    const sameName = byName.get(rule.ruleName);
    if (sameName) {
      invalidCombination(
        scope,
        `rule names must be unique, but ${sameName.source} and ${rule.source} are both named "${rule.ruleName}"; ` +
          'set ruleName on one of them',
      );
    }
    byName.set(rule.ruleName, rule);
    const samePriority = byPriority.get(rule.priority);
    if (samePriority) {
      invalidCombination(
        scope,
        `rule priorities must be unique, but ${samePriority.ruleName} (${samePriority.source}) and ` +
          `${rule.ruleName} (${rule.source}) both have priority ${rule.priority}; change one of them`,
      );
    }
    byPriority.set(rule.priority, rule);
  }
}

/**
 * The ARN of a resource a regional web ACL can protect, in the stack's region; Network and
 * Classic Load Balancers are not supported by WAF.
 */
export function checkRegionalResourceArn(scope: IConstruct, property: string, arn: string, region: string): void {
  if (Token.isUnresolved(arn)) return;
  const match = ARN.exec(arn);
  if (!match || !REGIONAL_SERVICES.includes(match[2])) {
    invalidProp(
      scope,
      property,
      `be the ARN of an Application Load Balancer or another regional resource WAF protects (${REGIONAL_SERVICES.join(', ')})`,
      arn,
    );
  }
  if (match[3] !== region) {
    const rule = `be in the stack's region ${region} (a regional web ACL protects resources in its own region)`;
    invalidProp(scope, property, rule, arn);
  }
  if (match[2] === 'elasticloadbalancing' && !match[5].startsWith('loadbalancer/app/')) {
    invalidProp(scope, property, 'be an Application Load Balancer (WAF cannot protect Network or Classic Load Balancers)', arn);
  }
}
