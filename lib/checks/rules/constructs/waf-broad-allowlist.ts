import { CheckSeverity, ConstructRule } from '../../rule';

/** An allowlist entry shorter than /16 (IPv4) or /32 (IPv6). */
export const WAF_BROAD_ALLOWLIST: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-BROAD-ALLOWLIST',
  severity: CheckSeverity.WARNING,
  title: 'Large address ranges in the WAF allowlist',
  rationale: 'Allowed addresses skip every rule, the managed rule groups and the rate limit included, so a large range lets many hosts past the WAF.',
  fix: 'Narrow allowedIpCidrs on WafRules to IPv4 prefixes of /16 or longer and IPv6 prefixes of /32 or longer.',
};
