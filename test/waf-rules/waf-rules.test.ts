import { Lb } from '@cdktf/provider-aws/lib/lb';
import { EnvironmentTier } from 'cdktf-groundwork';
import {
  BotControlInspectionLevel,
  ManagedRuleGroup,
  ManagedRuleGroupOptions,
  WafLoggingFilter,
  WafResponseBody,
  WafRuleAction,
  WafRules,
  WafRulesProps,
  WafScope,
  WafStatement,
} from '../../lib/waf-rules';
import {
  onlyResourceOf,
  policyOf,
  refTo,
  resolveIn,
  resourceAt,
  resourcesOf,
  synthStack,
  SynthesizedStack,
  testStack,
  warningsOf,
} from '../support/util';

const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-production/50dc6c495c0c9188';

function build(props: WafRulesProps = {}, overrides: { environment?: EnvironmentTier; region?: string } = {}) {
  const stack = testStack(overrides);
  const waf = new WafRules(stack, 'Waf', props);
  return { stack, waf, synth: synthStack(stack) };
}

function aclOf(synth: SynthesizedStack): any {
  return onlyResourceOf(synth, 'aws_wafv2_web_acl');
}

function ruleNamed(synth: SynthesizedStack, name: string): any {
  const rule = aclOf(synth).rule.find((r: any) => r.name === name);
  if (!rule) throw new Error(`no rule named ${name}`);
  return rule;
}

function ruleNamesOf(synth: SynthesizedStack): string[] {
  return aclOf(synth).rule.map((r: any) => r.name);
}

function managedStatement(synth: SynthesizedStack, groupName: string): any {
  return ruleNamed(synth, `AWS-${groupName}`).statement.managed_rule_group_statement;
}

const DEFAULT_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

const withDefaults = (...extra: ManagedRuleGroupOptions[]): ManagedRuleGroupOptions[] => [
  ...ManagedRuleGroup.defaults().map((group) => ({ group })),
  ...extra,
];

describe('WafRules defaults', () => {
  const { stack, waf, synth } = build();

  test('creates a regional web ACL named after the stack and construct path that allows by default', () => {
    expect(aclOf(synth)).toMatchObject({
      name: 'shop-production-waf',
      scope: 'REGIONAL',
      description: 'Web ACL shop-production-waf, managed by cdktf-groundwork',
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'shop-production-waf', sampled_requests_enabled: true },
      tags: expect.objectContaining({ Name: 'shop-production-waf', Project: 'shop', Environment: 'production' }),
    });
    expect(waf.scope).toBe(WafScope.REGIONAL);
    expect(waf.webAclName).toBe('shop-production-waf');
  });

  test('runs the body size limit, the per-IP rate limit and then the four default managed groups, in priority order', () => {
    expect(ruleNamesOf(synth)).toEqual([
      'BodySizeLimit',
      'RateLimitPerIp',
      ...DEFAULT_GROUPS.map((g) => `AWS-${g}`),
    ]);
    expect(aclOf(synth).rule.map((r: any) => r.priority)).toEqual([30, 50, 100, 110, 120, 130]);
    expect(waf.ruleNames).toEqual(ruleNamesOf(synth));
  });

  test('evaluates the default managed groups unpinned, without overrides or scope-down, and lets their actions stand', () => {
    for (const group of DEFAULT_GROUPS) {
      const rule = ruleNamed(synth, `AWS-${group}`);
      expect(rule.override_action).toEqual({ none: {} });
      expect(rule.action).toBeUndefined();
      expect(rule.statement).toEqual({ managed_rule_group_statement: { name: group, vendor_name: 'AWS' } });
    }
  });

  test('never excludes the Log4JRCE rules of KnownBadInputsRuleSet by default', () => {
    const statement = managedStatement(synth, 'AWSManagedRulesKnownBadInputsRuleSet');
    expect(statement.rule_action_override).toBeUndefined();
    expect(JSON.stringify(aclOf(synth))).not.toMatch(/Log4JRCE/);
  });

  test('rate limits each IP to 2000 requests per 5 minutes and answers 429 with Retry-After', () => {
    expect(ruleNamed(synth, 'RateLimitPerIp')).toMatchObject({
      priority: 50,
      statement: { rate_based_statement: { limit: 2000, evaluation_window_sec: 300, aggregate_key_type: 'IP' } },
      action: {
        block: {
          custom_response: {
            response_code: 429,
            custom_response_body_key: 'too-many-requests',
            response_header: [{ name: 'Retry-After', value: '300' }],
          },
        },
      },
    });
    expect(ruleNamed(synth, 'RateLimitPerIp').statement.rate_based_statement.scope_down_statement).toBeUndefined();
  });

  test('blocks request bodies over the 8 KB WAF inspects on a load balancer, oversize ones included, with 413', () => {
    expect(ruleNamed(synth, 'BodySizeLimit')).toMatchObject({
      statement: {
        size_constraint_statement: {
          comparison_operator: 'GT',
          size: 8192,
          field_to_match: { body: { oversize_handling: 'MATCH' } },
          text_transformation: [{ priority: 0, type: 'NONE' }],
        },
      },
      action: { block: { custom_response: { response_code: 413, custom_response_body_key: 'request-too-large' } } },
    });
  });

  test('defines JSON response bodies for 403, 429 and 413 under the keys the block actions use', () => {
    const bodies = Object.fromEntries(aclOf(synth).custom_response_body.map((b: any) => [b.key, b]));
    expect(Object.keys(bodies).sort()).toEqual(['forbidden', 'request-too-large', 'too-many-requests']);
    for (const body of Object.values(bodies) as any[]) {
      expect(body.content_type).toBe('APPLICATION_JSON');
      expect(() => JSON.parse(body.content)).not.toThrow();
    }
    expect(JSON.parse(bodies['too-many-requests'].content).error).toBe('too_many_requests');
    expect(JSON.parse(bodies.forbidden.content).error).toBe('forbidden');
  });

  test('gives every rule CloudWatch metrics named after it and sampled requests', () => {
    for (const rule of aclOf(synth).rule) {
      expect(rule.visibility_config).toEqual({
        cloudwatch_metrics_enabled: true,
        metric_name: rule.name,
        sampled_requests_enabled: true,
      });
    }
  });

  test('needs 1128 WCUs, within the default budget of 1500', () => {
    // CommonRuleSet 700 + KnownBadInputs 200 + SQLi 200 + IP reputation 25 + rate rule 2 + body size 1
    expect(waf.estimatedCapacity).toBe(1128);
    expect(waf.capacityBudget).toBe(1500);
  });

  test('creates no IP sets, geo rule, allowlist or association unless asked', () => {
    expect(resourcesOf(synth, 'aws_wafv2_ip_set')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_wafv2_web_acl_association')).toHaveLength(0);
    expect(ruleNamesOf(synth)).not.toContain('AllowListedIps');
    expect(ruleNamesOf(synth)).not.toContain('BlockedCountries');
  });

  test('logs to an aws-waf-logs- group encrypted with a rotating key, with the preset retention', () => {
    expect(onlyResourceOf(synth, 'aws_cloudwatch_log_group')).toMatchObject({
      name: 'aws-waf-logs-shop-production-waf',
      retention_in_days: 365,
      kms_key_id: refTo(synth, 'aws_kms_key', 'Waf/LogGroup/Key/Resource', 'arn'),
    });
    expect(onlyResourceOf(synth, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(waf.logGroupName).toBe('aws-waf-logs-shop-production-waf');
  });

  test('sends the logs to the log group ARN without :*, redacting the authorization and cookie headers, unfiltered', () => {
    const logging = onlyResourceOf(synth, 'aws_wafv2_web_acl_logging_configuration');
    expect(logging).toMatchObject({
      resource_arn: refTo(synth, 'aws_wafv2_web_acl', 'Waf/Resource', 'arn'),
      log_destination_configs: [refTo(synth, 'aws_cloudwatch_log_group', 'Waf/LogGroup/Resource', 'arn')],
      redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }],
    });
    expect(logging.log_destination_configs[0]).not.toMatch(/:\*$/);
    expect(logging.logging_filter).toBeUndefined();
  });

  test('lets only the log delivery service of this account write to this log group', () => {
    const policy = onlyResourceOf(synth, 'aws_cloudwatch_log_resource_policy');
    const logGroupArn = refTo(synth, 'aws_cloudwatch_log_group', 'Waf/LogGroup/Resource', 'arn');
    expect(policy.policy_name).toBe('aws-waf-logs-shop-production-waf-delivery');
    expect(policyOf(policy.policy_document).Statement).toEqual([
      {
        Sid: 'WafLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArn}:*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:123456789012:*' },
        },
      },
    ]);
    const logging = onlyResourceOf(synth, 'aws_wafv2_web_acl_logging_configuration');
    expect(logging.depends_on).toEqual([
      refTo(synth, 'aws_cloudwatch_log_resource_policy', 'Waf/LogDeliveryPolicy', 'id').replace(/^\$\{(.*)\.id\}$/, '$1'),
    ]);
  });

  test('outputs the web ACL ARN and the log group name for the pipeline', () => {
    const outputs = Object.values(synth.output ?? {});
    expect(outputs).toContainEqual({
      value: refTo(synth, 'aws_wafv2_web_acl', 'Waf/Resource', 'arn'),
      description: expect.stringMatching(/ARN of the WAF web ACL shop-production-waf/),
    });
    expect(outputs).toContainEqual({ value: 'aws-waf-logs-shop-production-waf', description: expect.stringMatching(/log/i) });
  });

  test('exposes the web ACL ARN and ID as typed attributes', () => {
    expect(resolveIn(stack, waf.webAclArn)).toBe(refTo(synth, 'aws_wafv2_web_acl', 'Waf/Resource', 'arn'));
    expect(resolveIn(stack, waf.webAclId)).toBe(refTo(synth, 'aws_wafv2_web_acl', 'Waf/Resource', 'id'));
    expect(resolveIn(stack, waf.logGroupArn)).toBe(refTo(synth, 'aws_cloudwatch_log_group', 'Waf/LogGroup/Resource', 'arn'));
    expect(waf.countOnly).toBe(false);
  });

  test('exposes the web ACL metric name, the WebACL dimension of its CloudWatch metrics', () => {
    expect(waf.webAclMetricName).toBe('shop-production-waf');
    expect(waf.webAclMetricName).toBe(aclOf(synth).visibility_config.metric_name);
  });

  test('records no warnings', () => {
    expect(warningsOf(stack)).toEqual([]);
  });

  test('matches the snapshot of a production web ACL protecting a load balancer', () => {
    const production = testStack();
    const productionWaf = new WafRules(production, 'Waf', {
      pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
      allowedIpCidrs: ['203.0.113.0/24'],
      blockedCountryCodes: ['KP'],
    });
    productionWaf.protect(ALB_ARN);
    expect(synthStack(production)).toMatchSnapshot();
  });
});

describe('WafRules IP sets and geo blocking', () => {
  test('splits the allowlist into IPv4 and IPv6 IP sets and allows them first', () => {
    const { synth } = build({ allowedIpCidrs: ['192.0.2.0/24', '2001:db8::/32', '198.51.100.7/32'] });
    expect(resourceAt(synth, 'aws_wafv2_ip_set', 'Waf/AllowListIpv4')).toMatchObject({
      name: 'shop-production-waf-allow-ipv4',
      scope: 'REGIONAL',
      ip_address_version: 'IPV4',
      addresses: ['192.0.2.0/24', '198.51.100.7/32'],
    });
    expect(resourceAt(synth, 'aws_wafv2_ip_set', 'Waf/AllowListIpv6')).toMatchObject({
      ip_address_version: 'IPV6',
      addresses: ['2001:db8::/32'],
    });
    const rule = ruleNamed(synth, 'AllowListedIps');
    expect(rule.priority).toBe(0);
    expect(ruleNamesOf(synth)[0]).toBe('AllowListedIps');
    expect(rule.action).toEqual({ allow: {} });
    expect(rule.statement).toEqual({
      or_statement: {
        statement: [
          { ip_set_reference_statement: { arn: refTo(synth, 'aws_wafv2_ip_set', 'AllowListIpv4', 'arn') } },
          { ip_set_reference_statement: { arn: refTo(synth, 'aws_wafv2_ip_set', 'AllowListIpv6', 'arn') } },
        ],
      },
    });
  });

  test('references a single IP set directly when the list has one IP version', () => {
    const { synth, waf } = build({ allowedIpCidrs: ['192.0.2.0/24'] });
    expect(resourcesOf(synth, 'aws_wafv2_ip_set')).toHaveLength(1);
    expect(ruleNamed(synth, 'AllowListedIps').statement).toEqual({
      ip_set_reference_statement: { arn: refTo(synth, 'aws_wafv2_ip_set', 'AllowListIpv4', 'arn') },
    });
    expect(waf.estimatedCapacity).toBe(1129);
  });

  test('blocks the denylist with 403 and the forbidden body', () => {
    const { synth } = build({ deniedIpCidrs: ['2001:db8:1234::/48'] });
    expect(resourceAt(synth, 'aws_wafv2_ip_set', 'Waf/DenyListIpv6')).toMatchObject({
      name: 'shop-production-waf-deny-ipv6',
      addresses: ['2001:db8:1234::/48'],
    });
    expect(ruleNamed(synth, 'DenyListedIps')).toMatchObject({
      priority: 10,
      action: { block: { custom_response: { response_code: 403, custom_response_body_key: 'forbidden' } } },
      statement: { ip_set_reference_statement: { arn: refTo(synth, 'aws_wafv2_ip_set', 'DenyListIpv6', 'arn') } },
    });
  });

  test('blocks countries by ISO code with 403', () => {
    const { synth } = build({ blockedCountryCodes: ['KP', 'IR'] });
    expect(ruleNamed(synth, 'BlockedCountries')).toMatchObject({
      priority: 20,
      statement: { geo_match_statement: { country_codes: ['KP', 'IR'] } },
      action: { block: { custom_response: { response_code: 403, custom_response_body_key: 'forbidden' } } },
    });
  });

  test('warns when the allowlist lets large ranges past every rule', () => {
    const { stack } = build({ allowedIpCidrs: ['10.0.0.0/8', '192.0.2.0/24'] });
    expect(warningsOf(stack)).toContainEqual(expect.stringMatching(/^\[GW-WAF-BROAD-ALLOWLIST\] allowedIpCidrs \["10.0.0.0\/8"\]/));
  });
});

describe('WafRules rate limits', () => {
  test('rateLimit sets the per-IP limit, window and priority', () => {
    const { synth } = build({ rateLimit: { limit: 500, evaluationWindowSeconds: 60, priority: 5 } });
    expect(ruleNamed(synth, 'RateLimitPerIp')).toMatchObject({
      priority: 5,
      statement: { rate_based_statement: { limit: 500, evaluation_window_sec: 60 } },
      action: { block: { custom_response: { response_header: [{ name: 'Retry-After', value: '60' }] } } },
    });
  });

  test('a path rate limit counts only requests under its decoded, normalized path, with its own limit', () => {
    const { synth, waf } = build({ pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100, evaluationWindowSeconds: 120 }] });
    expect(ruleNamed(synth, 'RateLimit-login')).toMatchObject({
      priority: 40,
      statement: {
        rate_based_statement: {
          limit: 100,
          evaluation_window_sec: 120,
          aggregate_key_type: 'IP',
          scope_down_statement: {
            byte_match_statement: {
              search_string: '/api/login',
              positional_constraint: 'STARTS_WITH',
              field_to_match: { uri_path: {} },
              text_transformation: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'NORMALIZE_PATH' },
              ],
            },
          },
        },
      },
      action: { block: { custom_response: { response_code: 429, custom_response_body_key: 'too-many-requests' } } },
    });
    // rate rule 2 + string match 2 + two transformations 20
    expect(waf.estimatedCapacity).toBe(1128 + 24);
  });

  test('several path rate limits take consecutive priorities before the per-IP limit', () => {
    const { synth } = build({
      pathRateLimits: [
        { name: 'login', pathPrefix: '/api/login', limit: 100 },
        { name: 'signup', pathPrefix: '/api/signup', limit: 20, priority: 45 },
        { name: 'reset', pathPrefix: '/api/password-reset', limit: 10 },
      ],
    });
    expect(ruleNamesOf(synth).slice(1, 5)).toEqual(['RateLimit-login', 'RateLimit-reset', 'RateLimit-signup', 'RateLimitPerIp']);
    expect(ruleNamed(synth, 'RateLimit-reset').priority).toBe(42);
  });

  test('rateLimit enabled: false removes the per-IP limit and warns', () => {
    const { synth, stack } = build({ rateLimit: { enabled: false } });
    expect(ruleNamesOf(synth)).not.toContain('RateLimitPerIp');
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-WAF-NO-RATE-LIMIT]'));
  });
});

describe('WafRules managed rule groups', () => {
  test('the catalogue carries the published WCU costs', () => {
    expect(
      [
        ManagedRuleGroup.COMMON_RULE_SET,
        ManagedRuleGroup.KNOWN_BAD_INPUTS_RULE_SET,
        ManagedRuleGroup.SQLI_RULE_SET,
        ManagedRuleGroup.AMAZON_IP_REPUTATION_LIST,
        ManagedRuleGroup.ANONYMOUS_IP_LIST,
        ManagedRuleGroup.BOT_CONTROL_RULE_SET,
        ManagedRuleGroup.LINUX_RULE_SET,
        ManagedRuleGroup.UNIX_RULE_SET,
        ManagedRuleGroup.WINDOWS_RULE_SET,
        ManagedRuleGroup.PHP_RULE_SET,
        ManagedRuleGroup.WORDPRESS_RULE_SET,
      ].map((g) => [g.name, g.capacity]),
    ).toEqual([
      ['AWSManagedRulesCommonRuleSet', 700],
      ['AWSManagedRulesKnownBadInputsRuleSet', 200],
      ['AWSManagedRulesSQLiRuleSet', 200],
      ['AWSManagedRulesAmazonIpReputationList', 25],
      ['AWSManagedRulesAnonymousIpList', 50],
      ['AWSManagedRulesBotControlRuleSet', 50],
      ['AWSManagedRulesLinuxRuleSet', 200],
      ['AWSManagedRulesUnixRuleSet', 100],
      ['AWSManagedRulesWindowsRuleSet', 200],
      ['AWSManagedRulesPHPRuleSet', 100],
      ['AWSManagedRulesWordPressRuleSet', 100],
    ]);
    expect(ManagedRuleGroup.defaults().map((g) => g.name)).toEqual(DEFAULT_GROUPS);
    expect(ManagedRuleGroup.fromName('AWSManagedRulesLinuxRuleSet')).toMatchObject({ isKnown: true, capacity: 200, versioned: true });
    expect(ManagedRuleGroup.fromName('AWSManagedRulesFooRuleSet')).toMatchObject({ isKnown: false, capacity: undefined });
  });

  test('opt-in groups run after the defaults and add their WCUs', () => {
    const { synth, waf } = build({
      managedRuleGroups: withDefaults({ group: ManagedRuleGroup.ANONYMOUS_IP_LIST }, { group: ManagedRuleGroup.LINUX_RULE_SET }),
    });
    expect(ruleNamesOf(synth).slice(-2)).toEqual(['AWS-AWSManagedRulesAnonymousIpList', 'AWS-AWSManagedRulesLinuxRuleSet']);
    expect(ruleNamed(synth, 'AWS-AWSManagedRulesLinuxRuleSet').priority).toBe(150);
    expect(waf.estimatedCapacity).toBe(1128 + 50 + 200);
  });

  test('a group can pin a version, override one rule to count, and take its own name and priority', () => {
    const { synth } = build({
      managedRuleGroups: [
        {
          group: ManagedRuleGroup.COMMON_RULE_SET,
          version: 'Version_1.12',
          ruleActionOverrides: [{ ruleName: 'SizeRestrictions_BODY', action: WafRuleAction.COUNT }],
          ruleName: 'CoreRules',
          priority: 200,
        },
        ...withDefaults().slice(1),
      ],
    });
    expect(ruleNamed(synth, 'CoreRules')).toMatchObject({
      priority: 200,
      visibility_config: { metric_name: 'CoreRules' },
      statement: {
        managed_rule_group_statement: {
          name: 'AWSManagedRulesCommonRuleSet',
          vendor_name: 'AWS',
          version: 'Version_1.12',
          rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
        },
      },
    });
  });

  test('a scope-down statement narrows the group and its WCUs are added', () => {
    const scopeDown = WafStatement.allOf([
      WafStatement.uriPathStartsWith('/api/'),
      WafStatement.negate(WafStatement.httpMethodEquals('options')),
    ]);
    const { synth, waf } = build({
      managedRuleGroups: [{ group: ManagedRuleGroup.SQLI_RULE_SET, scopeDownStatement: scopeDown }],
    });
    expect(managedStatement(synth, 'AWSManagedRulesSQLiRuleSet').scope_down_statement).toEqual({
      and_statement: {
        statement: [
          {
            byte_match_statement: {
              search_string: '/api/',
              positional_constraint: 'STARTS_WITH',
              field_to_match: { uri_path: {} },
              text_transformation: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'NORMALIZE_PATH' },
              ],
            },
          },
          {
            not_statement: {
              statement: [
                {
                  byte_match_statement: {
                    search_string: 'OPTIONS',
                    positional_constraint: 'EXACTLY',
                    field_to_match: { method: {} },
                    text_transformation: [{ priority: 0, type: 'NONE' }],
                  },
                },
              ],
            },
          },
        ],
      },
    });
    expect(scopeDown.capacity).toBe(22 + 2);
    // SQLi 200 + scope-down 24 + rate rule 2 + body size 1
    expect(waf.estimatedCapacity).toBe(227);
  });

  test('statements for hosts, countries, IP sets and labels render the provider blocks and price them', () => {
    const host = WafStatement.hostEquals('API.Example.com');
    const countries = WafStatement.fromCountries(['DE', 'FR']);
    const ipSet = WafStatement.fromIpSet('arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/office/0f1e2d3c');
    const label = WafStatement.hasLabel('awswaf:managed:aws:bot-control:bot:verified');
    const { synth } = build({
      managedRuleGroups: [
        { group: ManagedRuleGroup.COMMON_RULE_SET, scopeDownStatement: WafStatement.anyOf([host, countries]) },
        { group: ManagedRuleGroup.SQLI_RULE_SET, scopeDownStatement: WafStatement.negate(WafStatement.anyOf([ipSet, label])) },
      ],
    });
    expect(managedStatement(synth, 'AWSManagedRulesCommonRuleSet').scope_down_statement).toEqual({
      or_statement: {
        statement: [
          {
            byte_match_statement: {
              search_string: 'api.example.com',
              positional_constraint: 'EXACTLY',
              field_to_match: { single_header: { name: 'host' } },
              text_transformation: [{ priority: 0, type: 'LOWERCASE' }],
            },
          },
          { geo_match_statement: { country_codes: ['DE', 'FR'] } },
        ],
      },
    });
    expect(managedStatement(synth, 'AWSManagedRulesSQLiRuleSet').scope_down_statement).toEqual({
      not_statement: {
        statement: [
          {
            or_statement: {
              statement: [
                { ip_set_reference_statement: { arn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/office/0f1e2d3c' } },
                { label_match_statement: { scope: 'LABEL', key: 'awswaf:managed:aws:bot-control:bot:verified' } },
              ],
            },
          },
        ],
      },
    });
    expect([host.capacity, countries.capacity, ipSet.capacity, label.capacity]).toEqual([12, 1, 1, 1]);
  });

  test('a group in count mode is overridden to count and warns', () => {
    const { synth, stack } = build({
      managedRuleGroups: withDefaults({ group: ManagedRuleGroup.ANONYMOUS_IP_LIST, countOnly: true }),
    });
    expect(ruleNamed(synth, 'AWS-AWSManagedRulesAnonymousIpList').override_action).toEqual({ count: {} });
    expect(ruleNamed(synth, 'AWS-AWSManagedRulesCommonRuleSet').override_action).toEqual({ none: {} });
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^\[GW-WAF-GROUP-COUNT-ONLY\] AWSManagedRulesAnonymousIpList/)]);
  });

  test('Bot Control gets its inspection level, COMMON unless TARGETED is asked for', () => {
    const common = build({ managedRuleGroups: withDefaults({ group: ManagedRuleGroup.BOT_CONTROL_RULE_SET }) });
    expect(managedStatement(common.synth, 'AWSManagedRulesBotControlRuleSet').managed_rule_group_configs).toEqual([
      { aws_managed_rules_bot_control_rule_set: { inspection_level: 'COMMON' } },
    ]);
    const targeted = build({
      managedRuleGroups: withDefaults({
        group: ManagedRuleGroup.BOT_CONTROL_RULE_SET,
        botControlInspectionLevel: BotControlInspectionLevel.TARGETED,
        scopeDownStatement: WafStatement.negate(WafStatement.uriPathStartsWith('/static/')),
      }),
    });
    expect(managedStatement(targeted.synth, 'AWSManagedRulesBotControlRuleSet').managed_rule_group_configs).toEqual([
      { aws_managed_rules_bot_control_rule_set: { inspection_level: 'TARGETED' } },
    ]);
    expect(warningsOf(targeted.stack)).toEqual([]);
  });

  test('Bot Control without a scope-down statement warns about its per-request cost', () => {
    const { stack } = build({ managedRuleGroups: withDefaults({ group: ManagedRuleGroup.BOT_CONTROL_RULE_SET }) });
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/^\[GW-WAF-PAID-GROUP-UNSCOPED\] AWSManagedRulesBotControlRuleSet is charged per request/),
    ]);
  });

  test('leaving out a default group warns and names it', () => {
    const { stack } = build({ managedRuleGroups: [{ group: ManagedRuleGroup.COMMON_RULE_SET }, { group: ManagedRuleGroup.SQLI_RULE_SET }] });
    expect(warningsOf(stack)).toContainEqual(
      '[GW-WAF-DEFAULT-GROUP-REMOVED] managedRuleGroups leaves out default groups AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList.',
    );
  });

  test('overriding a Log4JRCE rule to anything but block warns', () => {
    const { stack } = build({
      managedRuleGroups: [
        ...withDefaults().filter((o) => o.group.name !== 'AWSManagedRulesKnownBadInputsRuleSet'),
        {
          group: ManagedRuleGroup.KNOWN_BAD_INPUTS_RULE_SET,
          ruleActionOverrides: [
            { ruleName: 'Log4JRCE_BODY', action: WafRuleAction.COUNT },
            { ruleName: 'Host_localhost_HEADER', action: WafRuleAction.COUNT },
          ],
        },
      ],
    });
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^\[GW-WAF-LOG4J-OVERRIDDEN\] Log4JRCE_BODY → COUNT: Log4Shell/)]);
  });

  test('a larger capacityBudget admits more groups, and above 1500 WCUs warns about pricing', () => {
    const { waf, stack } = build({
      capacityBudget: 2000,
      managedRuleGroups: withDefaults({ group: ManagedRuleGroup.LINUX_RULE_SET }, { group: ManagedRuleGroup.WINDOWS_RULE_SET }),
    });
    expect(waf.estimatedCapacity).toBe(1528);
    expect(warningsOf(stack)).toContainEqual(expect.stringMatching(/^\[GW-WAF-CAPACITY-PRICING\] the rules need 1528 WCUs/));
  });
});

describe('WafRules count-only rollout', () => {
  const { synth, stack, waf } = build({
    countOnly: true,
    allowedIpCidrs: ['192.0.2.0/24'],
    deniedIpCidrs: ['198.51.100.0/24'],
    blockedCountryCodes: ['KP'],
    pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
  });

  test('turns every block into count and overrides every managed group to count', () => {
    for (const name of ['DenyListedIps', 'BlockedCountries', 'BodySizeLimit', 'RateLimit-login', 'RateLimitPerIp']) {
      expect(ruleNamed(synth, name).action).toEqual({ count: {} });
    }
    for (const group of DEFAULT_GROUPS) {
      expect(ruleNamed(synth, `AWS-${group}`).override_action).toEqual({ count: {} });
    }
    expect(waf.countOnly).toBe(true);
  });

  test('keeps the allowlist allowing', () => {
    expect(ruleNamed(synth, 'AllowListedIps').action).toEqual({ allow: {} });
  });

  test('warns that nothing is blocked', () => {
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-WAF-COUNT-ONLY]'));
  });
});

describe('WafRules options', () => {
  test('custom response bodies replace the defaults, in their content type', () => {
    const { synth } = build({
      forbiddenResponseBody: WafResponseBody.html('<h1>Forbidden</h1>'),
      tooManyRequestsResponseBody: WafResponseBody.text('Slow down'),
      requestTooLargeResponseBody: WafResponseBody.json('{"error":"too big"}'),
    });
    expect(aclOf(synth).custom_response_body).toEqual([
      { key: 'forbidden', content: '<h1>Forbidden</h1>', content_type: 'TEXT_HTML' },
      { key: 'too-many-requests', content: 'Slow down', content_type: 'TEXT_PLAIN' },
      { key: 'request-too-large', content: '{"error":"too big"}', content_type: 'APPLICATION_JSON' },
    ]);
  });

  test('maxRequestBodySizeBytes lowers the body size limit', () => {
    const { synth } = build({ maxRequestBodySizeBytes: 1024 });
    expect(ruleNamed(synth, 'BodySizeLimit').statement.size_constraint_statement.size).toBe(1024);
  });

  test('bodySizeLimit: false removes the rule and warns', () => {
    const { synth, stack } = build({ bodySizeLimit: false });
    expect(ruleNamesOf(synth)).not.toContain('BodySizeLimit');
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-WAF-NO-BODY-LIMIT]'));
  });

  test('webAclName and description are used for the web ACL, its IP sets and its log group', () => {
    const { synth, waf } = build({ webAclName: 'shop_api', description: 'Public API, shop', deniedIpCidrs: ['198.51.100.0/24'] });
    expect(aclOf(synth)).toMatchObject({ name: 'shop_api', description: 'Public API, shop' });
    expect(onlyResourceOf(synth, 'aws_wafv2_ip_set').name).toBe('shop-api-deny-ipv4');
    expect(waf.logGroupName).toBe('aws-waf-logs-shop_api');
  });

  test('loggingFilter BLOCKED_OR_COUNTED keeps blocked, counted and challenged requests and drops the rest', () => {
    const { synth } = build({ loggingFilter: WafLoggingFilter.BLOCKED_OR_COUNTED });
    expect(onlyResourceOf(synth, 'aws_wafv2_web_acl_logging_configuration').logging_filter).toEqual({
      default_behavior: 'DROP',
      filter: [
        {
          behavior: 'KEEP',
          requirement: 'MEETS_ANY',
          condition: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT', 'CAPTCHA', 'CHALLENGE'].map((action) => ({
            action_condition: { action },
          })),
        },
      ],
    });
  });

  test('loggingFilter BLOCKED_ONLY keeps only blocked requests', () => {
    const { synth } = build({ loggingFilter: WafLoggingFilter.BLOCKED_ONLY });
    expect(onlyResourceOf(synth, 'aws_wafv2_web_acl_logging_configuration').logging_filter.filter[0].condition).toEqual([
      { action_condition: { action: 'BLOCK' } },
    ]);
  });

  test('redactedHeaders adds headers, lowercased, to authorization and cookie', () => {
    const { synth } = build({ redactedHeaders: ['X-Api-Key', 'Cookie'] });
    expect(onlyResourceOf(synth, 'aws_wafv2_web_acl_logging_configuration').redacted_fields).toEqual([
      { single_header: { name: 'authorization' } },
      { single_header: { name: 'cookie' } },
      { single_header: { name: 'x-api-key' } },
    ]);
  });

  test('logRetentionDays sets the log retention', () => {
    expect(onlyResourceOf(build({ logRetentionDays: 90 }).synth, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
  });

  test('development takes the shorter preset retention and a destroyable key', () => {
    const { synth } = build({}, { environment: EnvironmentTier.DEVELOPMENT });
    expect(onlyResourceOf(synth, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
    expect(onlyResourceOf(synth, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('logging: false removes the log group, policy, logging configuration and output, and warns', () => {
    const { synth, stack, waf } = build({ logging: false });
    expect(resourcesOf(synth, 'aws_wafv2_web_acl_logging_configuration')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_cloudwatch_log_group')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_cloudwatch_log_resource_policy')).toHaveLength(0);
    expect(Object.values(synth.output ?? {})).toHaveLength(1);
    expect(waf.logGroupName).toBeUndefined();
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-WAF-NO-LOGGING]'));
  });

  test('CLOUDFRONT in us-east-1 scopes the web ACL and IP sets to CloudFront and inspects up to 16 KB of body', () => {
    const { synth, waf } = build({ scope: WafScope.CLOUDFRONT, allowedIpCidrs: ['192.0.2.0/24'] }, { region: 'us-east-1' });
    expect(aclOf(synth).scope).toBe('CLOUDFRONT');
    expect(onlyResourceOf(synth, 'aws_wafv2_ip_set').scope).toBe('CLOUDFRONT');
    expect(ruleNamed(synth, 'BodySizeLimit').statement.size_constraint_statement.size).toBe(16384);
    expect(waf.scope).toBe(WafScope.CLOUDFRONT);
  });
});

describe('WafRules outputs', () => {
  test('have readable names derived from the construct path, as the other constructs\' outputs', () => {
    const stack = testStack();
    new WafRules(stack, 'EdgeWaf');
    const synth = synthStack(stack) as any;
    expect(Object.keys(synth.output).sort()).toEqual(['edge_waf_log_group_name', 'edge_waf_web_acl_arn']);
    expect(synth.output.edge_waf_web_acl_arn.value).toBe(refTo(synth, 'aws_wafv2_web_acl', 'EdgeWaf/Resource', 'arn'));
  });
});

describe('WafRules protect()', () => {
  test('associates a load balancer under the construct ID Association', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    waf.protect(ALB_ARN);
    const synth = synthStack(stack);
    expect(resourceAt(synth, 'aws_wafv2_web_acl_association', 'Waf/Association')).toEqual({
      resource_arn: ALB_ARN,
      web_acl_arn: refTo(synth, 'aws_wafv2_web_acl', 'Waf/Resource', 'arn'),
    });
  });

  test('a further association takes the id it is given, so both IDs stay stable', () => {
    const stack = testStack();
    const waf = new WafRules(stack, 'Waf');
    waf.protect(ALB_ARN);
    waf.protect('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/admin/1234567890abcdef', 'Admin');
    const synth = synthStack(stack);
    expect(resourceAt(synth, 'aws_wafv2_web_acl_association', 'Waf/Association-Admin').resource_arn).toMatch(/app\/admin\//);
    expect(resourcesOf(synth, 'aws_wafv2_web_acl_association')).toHaveLength(2);
  });

  test('takes the ARN of a load balancer created in the same stack', () => {
    const stack = testStack();
    const alb = new Lb(stack, 'Alb', { loadBalancerType: 'application', subnets: ['subnet-0a', 'subnet-0b'] });
    new WafRules(stack, 'Waf').protect(alb.arn);
    const synth = synthStack(stack);
    expect(onlyResourceOf(synth, 'aws_wafv2_web_acl_association').resource_arn).toBe(refTo(synth, 'aws_lb', 'Alb', 'arn'));
  });
});

describe('WafRules validation', () => {
  const expectError = (props: WafRulesProps, message: string | RegExp, overrides?: { region?: string }) =>
    expect(() => build(props, overrides)).toThrow(message);

  test('throws for a CLOUDFRONT web ACL outside us-east-1', () => {
    expectError(
      { scope: WafScope.CLOUDFRONT },
      "WafRules test/Waf: scope CLOUDFRONT needs the web ACL in us-east-1, but the stack's region is eu-west-1; " +
        'create this WafRules in a GroundworkStack for us-east-1 and give its webAclArn to the distribution',
    );
  });

  test('throws on an unknown scope', () => {
    expectError({ scope: 'GLOBAL' as WafScope }, 'WafRules test/Waf: scope must be one of REGIONAL, CLOUDFRONT, got "GLOBAL"');
  });

  test('throws on a web ACL name or description WAF rejects', () => {
    expectError({ webAclName: 'shop api' }, 'WafRules test/Waf: webAclName must be 1-128 letters, digits, hyphens or underscores, got "shop api"');
    expectError({ description: 'Shop (API)' }, /description must be 3-256 characters .*, got "Shop \(API\)"/);
  });

  test('throws when capacityBudget is outside 1-5000', () => {
    expectError({ capacityBudget: 5001 }, 'WafRules test/Waf: capacityBudget must be an integer from 1 to 5000, got 5001');
    expectError({ capacityBudget: 0 }, /capacityBudget must be an integer from 1 to 5000, got 0/);
  });

  test('throws above the capacity budget and lists the WCUs of every rule', () => {
    expectError(
      { managedRuleGroups: withDefaults({ group: ManagedRuleGroup.LINUX_RULE_SET }, { group: ManagedRuleGroup.WINDOWS_RULE_SET }) },
      'WafRules test/Waf: the rules need 1528 WCUs, more than capacityBudget 1500: BodySizeLimit 1, RateLimitPerIp 2, ' +
        'AWS-AWSManagedRulesCommonRuleSet 700, AWS-AWSManagedRulesKnownBadInputsRuleSet 200, AWS-AWSManagedRulesSQLiRuleSet 200, ' +
        'AWS-AWSManagedRulesAmazonIpReputationList 25, AWS-AWSManagedRulesLinuxRuleSet 200, AWS-AWSManagedRulesWindowsRuleSet 200; ' +
        'raise capacityBudget (at most 5000; above 1500 WCUs a web ACL costs more per request), remove rule groups, or scope them down',
    );
  });

  test('throws when a smaller budget does not fit the defaults', () => {
    expectError({ capacityBudget: 1000 }, /the rules need 1128 WCUs, more than capacityBudget 1000/);
  });

  test('throws on duplicate rule names', () => {
    expectError(
      { managedRuleGroups: withDefaults({ group: ManagedRuleGroup.SQLI_RULE_SET }) },
      'WafRules test/Waf: rule names must be unique, but managedRuleGroups[2] and managedRuleGroups[4] are both named ' +
        '"AWS-AWSManagedRulesSQLiRuleSet"; set ruleName on one of them',
    );
  });

  test('throws on duplicate priorities', () => {
    expectError(
      { managedRuleGroups: withDefaults({ group: ManagedRuleGroup.PHP_RULE_SET, priority: 50 }) },
      'WafRules test/Waf: rule priorities must be unique, but RateLimitPerIp (rateLimit) and AWS-AWSManagedRulesPHPRuleSet ' +
        '(managedRuleGroups[4]) both have priority 50; change one of them',
    );
    expectError({ rateLimit: { priority: 30 } }, /but BodySizeLimit \(maxRequestBodySizeBytes\) and RateLimitPerIp \(rateLimit\) both have priority 30/);
  });

  test('throws on a negative or fractional priority', () => {
    expectError({ rateLimit: { priority: -1 } }, /rateLimit.priority must be an integer from 0 to 2147483647, got -1/);
  });

  test('throws on an unknown managed rule group and lists the known ones', () => {
    expectError(
      { managedRuleGroups: [{ group: ManagedRuleGroup.fromName('AWSManagedRulesFooRuleSet') }] },
      /managedRuleGroups\[0\]\.group must be one of the AWS managed rule groups whose capacity is known \(AWSManagedRulesCommonRuleSet, .*AWSManagedRulesWordPressRuleSet\), got "AWS\/AWSManagedRulesFooRuleSet"/,
    );
    expectError(
      { managedRuleGroups: [{ group: ManagedRuleGroup.fromName('AWSManagedRulesCommonRuleSet', 'SomeVendor') }] },
      /got "SomeVendor\/AWSManagedRulesCommonRuleSet"/,
    );
  });

  test('throws on a version for an unversioned group, or a malformed version', () => {
    expectError(
      { managedRuleGroups: [{ group: ManagedRuleGroup.AMAZON_IP_REPUTATION_LIST, version: 'Version_1.0' }] },
      'WafRules test/Waf: managedRuleGroups[0].version must not be set: AWSManagedRulesAmazonIpReputationList is not versioned, got "Version_1.0"',
    );
    expectError(
      { managedRuleGroups: [{ group: ManagedRuleGroup.COMMON_RULE_SET, version: '1.12' }] },
      /managedRuleGroups\[0\]\.version must be a static version such as "Version_1.12", got "1.12"/,
    );
  });

  test('throws on a repeated, malformed or unknown-action rule override', () => {
    const group = ManagedRuleGroup.COMMON_RULE_SET;
    expectError(
      {
        managedRuleGroups: [
          {
            group,
            ruleActionOverrides: [
              { ruleName: 'NoUserAgent_HEADER', action: WafRuleAction.COUNT },
              { ruleName: 'NoUserAgent_HEADER', action: WafRuleAction.BLOCK },
            ],
          },
        ],
      },
      /managedRuleGroups\[0\]\.ruleActionOverrides must override each rule once, got "NoUserAgent_HEADER"/,
    );
    expectError(
      { managedRuleGroups: [{ group, ruleActionOverrides: [{ ruleName: 'No User Agent', action: WafRuleAction.COUNT }] }] },
      /ruleActionOverrides\[0\]\.ruleName must be 1-128 letters, digits, hyphens or underscores, got "No User Agent"/,
    );
    expectError(
      { managedRuleGroups: [{ group, ruleActionOverrides: [{ ruleName: 'NoUserAgent_HEADER', action: 'IGNORE' as WafRuleAction }] }] },
      /ruleActionOverrides\[0\]\.action must be one of ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE, got "IGNORE"/,
    );
  });

  test('throws on a Bot Control inspection level for another group', () => {
    expectError(
      { managedRuleGroups: [{ group: ManagedRuleGroup.COMMON_RULE_SET, botControlInspectionLevel: BotControlInspectionLevel.TARGETED }] },
      /botControlInspectionLevel must be set only for AWSManagedRulesBotControlRuleSet, not AWSManagedRulesCommonRuleSet, got "TARGETED"/,
    );
  });

  test('throws on a rate limit below 10 or not an integer', () => {
    expectError({ rateLimit: { limit: 9 } }, 'WafRules test/Waf: rateLimit.limit must be an integer from 10 to 2000000000, got 9');
    expectError({ rateLimit: { limit: 99.5 } }, /rateLimit.limit must be an integer from 10 to 2000000000, got 99.5/);
    expectError({ pathRateLimits: [{ name: 'login', pathPrefix: '/login', limit: 5 }] }, /pathRateLimits\[0\]\.limit must be an integer from 10/);
  });

  test('throws on an evaluation window other than 60, 120, 300 or 600 seconds', () => {
    expectError({ rateLimit: { evaluationWindowSeconds: 900 } }, 'WafRules test/Waf: rateLimit.evaluationWindowSeconds must be one of 60, 120, 300, 600 seconds, got 900');
    expectError(
      { pathRateLimits: [{ name: 'login', pathPrefix: '/login', limit: 50, evaluationWindowSeconds: 30 }] },
      /pathRateLimits\[0\]\.evaluationWindowSeconds must be one of 60, 120, 300, 600 seconds, got 30/,
    );
  });

  test('throws on rate limit options when the rate limit is disabled', () => {
    expectError({ rateLimit: { enabled: false, limit: 100 } }, /rateLimit.enabled is false but other rateLimit options are set/);
  });

  test('throws on a path rate limit with a bad name or a path that is not decoded and normalized', () => {
    expectError({ pathRateLimits: [{ name: 'log in', pathPrefix: '/login', limit: 50 }] }, /pathRateLimits\[0\]\.name must be 1-64 letters, digits, hyphens or underscores, got "log in"/);
    for (const bad of ['api/login', '/api/%6Cogin', '/api//login', '/api/../login', '/api/login?x=1']) {
      expectError(
        { pathRateLimits: [{ name: 'login', pathPrefix: bad, limit: 50 }] },
        'WafRules test/Waf: pathRateLimits[0].pathPrefix must be a decoded, normalized URI path of at most 200 characters ' +
          'starting with "/", such as /api/login (no %-escapes, "//", "." or ".." segments: requests are decoded and ' +
          `normalized before comparison), got "${bad}"`,
      );
    }
  });

  test('throws on more than 10 path rate limits', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, pathPrefix: `/p${i}`, limit: 100 }));
    expectError({ pathRateLimits: many }, /pathRateLimits must have at most 10 entries/);
  });

  test('throws on invalid or repeated country codes', () => {
    expectError({ blockedCountryCodes: ['UK'] }, 'WafRules test/Waf: blockedCountryCodes must contain ISO 3166-1 alpha-2 country codes in upper case, such as US or DE, got "UK"');
    expectError({ blockedCountryCodes: ['us'] }, /blockedCountryCodes must contain ISO 3166-1 alpha-2 country codes .*, got "us"/);
    expectError({ blockedCountryCodes: ['KP', 'KP'] }, /blockedCountryCodes must not repeat a country code, got "KP"/);
  });

  test('throws on invalid CIDRs in the IP sets', () => {
    const rule = 'contain IPv4 or IPv6 CIDR blocks such as 192.0.2.0/24 or 2001:db8::/32, without host bits set and not /0';
    expectError({ allowedIpCidrs: ['10.0.0.1/16'] }, `WafRules test/Waf: allowedIpCidrs must ${rule}, got "10.0.0.1/16"`);
    for (const bad of ['300.0.0.0/8', '10.0.0.0', '0.0.0.0/0', '::/0', '2001:db8::1/32', '2001:db8:::/48', '2001:db8::/129', 'office']) {
      expectError({ deniedIpCidrs: [bad] }, `WafRules test/Waf: deniedIpCidrs must ${rule}, got "${bad}"`);
    }
  });

  test('throws on repeated CIDRs and on CIDRs in both lists', () => {
    expectError({ allowedIpCidrs: ['192.0.2.0/24', '192.0.2.0/24'] }, /allowedIpCidrs must not repeat a CIDR block, got "192.0.2.0\/24"/);
    expectError(
      { allowedIpCidrs: ['192.0.2.0/24'], deniedIpCidrs: ['192.0.2.0/24'] },
      'WafRules test/Waf: ["192.0.2.0/24"] appear in both allowedIpCidrs and deniedIpCidrs; the allowlist runs first, so the deny would never apply: remove them from one list',
    );
  });

  test('throws on CIDRs that are Terraform tokens, since the IP sets are split at synth', () => {
    const stack = testStack();
    const alb = new Lb(stack, 'Alb', { loadBalancerType: 'application' });
    expect(() => new WafRules(stack, 'Waf', { allowedIpCidrs: [alb.dnsName] })).toThrow(
      /allowedIpCidrs must contain literal CIDRs \(they are split into IPv4 and IPv6 IP sets at synth time\)/,
    );
  });

  test('throws on a body size limit above what WAF inspects, or set while the limit is off', () => {
    expectError(
      { maxRequestBodySizeBytes: 16384 },
      'WafRules test/Waf: maxRequestBodySizeBytes must be an integer from 1 to 8192 (WAF inspects at most the first 8192 bytes of a body for REGIONAL web ACLs), got 16384',
    );
    expectError({ maxRequestBodySizeBytes: 0 }, /maxRequestBodySizeBytes must be an integer from 1 to 8192/);
    expectError({ bodySizeLimit: false, maxRequestBodySizeBytes: 1024 }, /maxRequestBodySizeBytes is set but bodySizeLimit is false/);
  });

  test('throws on a response body that is empty, over 4 KB, or not the JSON it claims', () => {
    expectError({ forbiddenResponseBody: WafResponseBody.text('') }, /forbiddenResponseBody must be 1 to 4096 bytes of UTF-8 \(this one is 0\)/);
    expectError({ tooManyRequestsResponseBody: WafResponseBody.text('x'.repeat(4097)) }, /tooManyRequestsResponseBody must be 1 to 4096 bytes of UTF-8 \(this one is 4097\)/);
    expectError(
      { requestTooLargeResponseBody: WafResponseBody.json('{error: too big}') },
      'WafRules test/Waf: requestTooLargeResponseBody must be valid JSON (its content type is APPLICATION_JSON), got "{error: too big}"',
    );
  });

  test('throws on a log retention CloudWatch Logs rejects, or logging options without logging', () => {
    expectError({ logRetentionDays: 42 }, /logRetentionDays must be one of 1, 3, 5, 7, 14, 30, .*, got 42/);
    expectError({ logging: false, logRetentionDays: 90 }, 'WafRules test/Waf: logRetentionDays is set but logging is false; remove logRetentionDays or turn logging on');
    expectError({ logging: false, loggingFilter: WafLoggingFilter.BLOCKED_ONLY }, /loggingFilter is set but logging is false/);
  });

  test('throws on an unknown logging filter or a malformed redacted header', () => {
    expectError({ loggingFilter: 'ERRORS' as WafLoggingFilter }, /loggingFilter must be one of ALL_REQUESTS, BLOCKED_OR_COUNTED, BLOCKED_ONLY, got "ERRORS"/);
    expectError({ redactedHeaders: ['x api key'] }, /redactedHeaders must contain HTTP header names of 1-64 token characters, such as x-api-key, got "x api key"/);
  });

  describe('scope-down statements', () => {
    const withScopeDown = (statement: WafStatement) => ({
      managedRuleGroups: [{ group: ManagedRuleGroup.SQLI_RULE_SET, scopeDownStatement: statement }],
    });
    const path = WafStatement.uriPathStartsWith('/api/');

    test('throws when logical statements nest deeper than two levels', () => {
      expectError(
        withScopeDown(WafStatement.negate(WafStatement.allOf([WafStatement.negate(path), WafStatement.httpMethodEquals('GET')]))),
        'WafRules test/Waf: managedRuleGroups[0].scopeDownStatement must nest at most 2 levels of allOf / anyOf / negate ' +
          '(the limit for scope-down statements), got "negate(allOf(negate(uriPath starts with \\"/api/\\"), method equals \\"GET\\"))"',
      );
    });

    test('throws when allOf or anyOf combine fewer than two statements', () => {
      expectError(withScopeDown(WafStatement.anyOf([path])), /scopeDownStatement must combine at least 2 statements in anyOf/);
      expectError(withScopeDown(WafStatement.allOf([])), /scopeDownStatement must combine at least 2 statements in allOf/);
    });

    test('throws on a malformed path, host, method, country, label or IP set ARN', () => {
      expectError(withScopeDown(WafStatement.uriPathEquals('health')), /scopeDownStatement must be a decoded, normalized URI path/);
      expectError(withScopeDown(WafStatement.hostEquals('*.example.com')), /scopeDownStatement must match a host name such as api.example.com, got "\*.example.com"/);
      expectError(withScopeDown(WafStatement.httpMethodEquals('GET /')), /scopeDownStatement must match an HTTP method such as POST, got "GET \/"/);
      expectError(withScopeDown(WafStatement.fromCountries(['XX'])), /scopeDownStatement must contain ISO 3166-1 alpha-2 country codes .*, got "XX"/);
      expectError(withScopeDown(WafStatement.fromCountries([])), /scopeDownStatement must list at least one country code, got \[\]/);
      expectError(withScopeDown(WafStatement.hasLabel('bot verified')), /scopeDownStatement must match a label key .*, got "bot verified"/);
      expectError(withScopeDown(WafStatement.fromIpSet('office-ips')), /scopeDownStatement must reference a WAFv2 IP set ARN, got "office-ips"/);
    });

    test('throws on an object that was not built with the factories', () => {
      expectError(withScopeDown({} as WafStatement), /scopeDownStatement must be built with the WafStatement factories/);
    });
  });

  describe('protect()', () => {
    test('throws for a CLOUDFRONT web ACL', () => {
      const stack = testStack({ region: 'us-east-1' });
      const waf = new WafRules(stack, 'Waf', { scope: WafScope.CLOUDFRONT });
      expect(() => waf.protect(ALB_ARN)).toThrow(
        "WafRules test/Waf: protect() associates regional resources, but this web ACL has scope CLOUDFRONT; set the CloudFront distribution's web_acl_id to webAclArn instead",
      );
    });

    test('throws on a second call without an id, and on a repeated or malformed id', () => {
      const waf = new WafRules(testStack(), 'Waf');
      waf.protect(ALB_ARN);
      expect(() => waf.protect(ALB_ARN)).toThrow(
        'WafRules test/Waf: protect() was already called without an id; give each further association a stable id, e.g. protect(arn, "Admin")',
      );
      waf.protect(ALB_ARN, 'Admin');
      expect(() => waf.protect(ALB_ARN, 'Admin')).toThrow('WafRules test/Waf: protect(id) "Admin" is already used; give each association its own id');
      expect(() => waf.protect(ALB_ARN, 'admin alb')).toThrow(/protect\(id\) must be 1-64 letters, digits or hyphens, starting with a letter or digit, got "admin alb"/);
    });

    test('throws on a Network Load Balancer, another region, or something that is not a regional resource ARN', () => {
      const waf = new WafRules(testStack(), 'Waf');
      expect(() => waf.protect('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188')).toThrow(
        /protect\(\) resourceArn must be an Application Load Balancer \(WAF cannot protect Network or Classic Load Balancers\)/,
      );
      expect(() => waf.protect('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/50dc6c495c0c9188')).toThrow(
        /protect\(\) resourceArn must be in the stack's region eu-west-1/,
      );
      expect(() => waf.protect('arn:aws:s3:::my-bucket')).toThrow(/protect\(\) resourceArn must be the ARN of an Application Load Balancer or another regional resource/);
      expect(() => waf.protect('my-alb')).toThrow(/protect\(\) resourceArn must be the ARN of an Application Load Balancer/);
    });
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const stack = testStack();
    expect(() => new WafRules(stack, 'Bad', { allowedIpCidrs: ['192.0.2.0/24'], blockedCountryCodes: ['ZZ'] })).toThrow();
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});

// Offline terraform plan: this construct's configuration, with every option, is planned with
// the others in one stack, in test/offline/constructs-plan.test.ts.
