import { CheckSeverity, TerraformRule, TerraformSubject } from '../../rule';
import { blocks, isWorld } from './private/helpers';

/** The web ports a public load balancer legitimately opens to everyone. */
const WEB_PORTS = [80, 443];

/** GW-SG-OPEN-TO-WORLD: ingress from 0.0.0.0/0 or ::/0 on a port other than 80 and 443. */
export const SG_OPEN_TO_WORLD: TerraformRule = {
  kind: 'terraform',
  id: 'GW-SG-OPEN-TO-WORLD',
  severity: CheckSeverity.ERROR,
  title: 'Security group open to the world beyond ports 80/443',
  rationale: 'SSH, database and admin ports open to the internet are scanned within minutes and brute-forced from then on.',
  fix: 'Allow the port from a security group or a known CIDR; reach instances through SSM Session Manager, not SSH from anywhere.',
  equivalents: ['checkov CKV_AWS_24', 'checkov CKV_AWS_25', 'checkov CKV_AWS_277', 'trivy AVD-AWS-0107'],
  resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check(subject) {
    const open = openings(subject).filter((o) => o.cidrs.some(isWorld) && !onlyWebPorts(o));
    if (open.length === 0) return undefined;
    return open.map((o) => `${o.protocol === '-1' ? 'all traffic' : `${o.protocol} ${describePorts(o)}`} from ${o.cidrs.filter(isWorld).join(', ')}`).join('; ');
  },
};

interface Opening {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs: string[];
}

function openings(subject: TerraformSubject): Opening[] {
  const c = subject.config;
  switch (subject.type) {
    case 'aws_security_group':
      return blocks(c.ingress).map((i) => opening(i.protocol, i.from_port, i.to_port, [...(i.cidr_blocks ?? []), ...(i.ipv6_cidr_blocks ?? [])]));
    case 'aws_security_group_rule':
      return c.type === 'ingress' ? [opening(c.protocol, c.from_port, c.to_port, [...(c.cidr_blocks ?? []), ...(c.ipv6_cidr_blocks ?? [])])] : [];
    default:
      return [opening(c.ip_protocol, c.from_port, c.to_port, [c.cidr_ipv4, c.cidr_ipv6].filter((x) => x !== undefined))];
  }
}

function opening(protocol: unknown, from: unknown, to: unknown, cidrs: unknown[]): Opening {
  const p = String(protocol ?? '-1').toLowerCase();
  return { protocol: p === 'all' || p === '-1' ? '-1' : p, from: numberOr(from), to: numberOr(to), cidrs: cidrs.map(String) };
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

function onlyWebPorts(o: Opening): boolean {
  if (o.protocol !== 'tcp' && o.protocol !== '6') return false;
  if (o.from === undefined || o.to === undefined) return false;
  for (let port = o.from; port <= o.to; port++) {
    if (!WEB_PORTS.includes(port)) return false;
  }
  return true;
}

function describePorts(o: Opening): string {
  if (o.from === undefined) return 'all ports';
  return o.from === o.to ? `port ${o.from}` : `ports ${o.from}-${o.to}`;
}
