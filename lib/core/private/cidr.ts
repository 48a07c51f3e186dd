/** IPv4 CIDR arithmetic for subnet planning. Addresses are unsigned 32-bit numbers. */

export interface ParsedCidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns undefined for anything malformed, including host bits set
 * (`10.0.0.1/16`), because AWS would silently use a different network than the one written.
 */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  if (address % blockSize(prefix) !== 0) return undefined;
  return { network: address, prefix };
}

/** Number of addresses in a block with this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Formats a network address and prefix as `a.b.c.d/n`. */
export function formatCidr(network: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** True when the two blocks share any address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  const aEnd = a.network + blockSize(a.prefix);
  const bEnd = b.network + blockSize(b.prefix);
  return a.network < bEnd && b.network < aEnd;
}
