import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { parseCidr } from './cidr';
import { invalidProp } from './errors';

/** Throws unless every entry is an IPv4 CIDR block; returns the list. Tokens are skipped. */
export function checkIpv4Cidrs(scope: IConstruct, property: string, cidrs: string[]): string[] {
  if (Token.isUnresolved(cidrs)) return cidrs;
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    if (!parseCidr(cidr)) {
      invalidProp(scope, property, 'contain IPv4 CIDR blocks (a.b.c.d/n with no host bits set)', cidr);
    }
  }
  if (new Set(cidrs).size !== cidrs.length) {
    invalidProp(scope, property, 'not repeat a CIDR block', cidrs);
  }
  return cidrs;
}

