import { parseCidr } from '../../core/private/cidr';

/** A CIDR block for a WAF IP set. */
export interface IpCidr {
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly text: string;
}

const IPV6_CIDR = /^([0-9a-fA-F:]+)\/(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Parses an IPv4 or IPv6 CIDR block as WAF IP sets take them. Returns undefined for anything
 * malformed, for host bits set (AWS would match a different block than the one written) and
 * for /0 (WAF does not accept it).
 *
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html
 */
export function parseIpCidr(text: string): IpCidr | undefined {
  if (text.includes('.')) {
    const v4 = parseCidr(text);
    return v4 && v4.prefix > 0 ? { version: 4, prefix: v4.prefix, text } : undefined;
  }
  const match = IPV6_CIDR.exec(text);
  if (!match) return undefined;
  const prefix = Number(match[2]);
  const address = parseIpv6(match[1]);
  if (address === undefined || prefix < 1 || prefix > 128) return undefined;
  const hostBits = BigInt(128 - prefix);
  if (address % (BigInt(1) << hostBits) !== BigInt(0)) return undefined;
  return { version: 6, prefix, text };
}

/** Parses an IPv6 address (with at most one `::`) into a 128-bit integer. */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => HEX_GROUP.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << BigInt(16)) + BigInt(parseInt(g, 16)), BigInt(0));
}
