import { blockSize, formatCidr, ParsedCidr } from '../../core/private/cidr';

/** The subnet tiers, in the fixed order in which the address plan lays them out. */
export const TIER_ORDER = ['private', 'public', 'isolated'] as const;
export type TierName = (typeof TIER_ORDER)[number];

/** One tier's block in the address plan. */
export interface TierBlock {
  readonly tier: TierName;
  /** Prefix length of each subnet in the tier. */
  readonly subnetPrefix: number;
  /** First address of the tier's block. */
  readonly base: number;
}

/** The outcome of laying the tiers out in the VPC. */
export interface AddressPlan {
  readonly tiers: Record<TierName, TierBlock>;
  /** Addresses the plan needs, from the VPC's first address to the end of the last tier. */
  readonly addressesNeeded: number;
  /** Addresses in the VPC. */
  readonly addressesAvailable: number;
}

/**
 * Lays the three tiers out in the VPC, each tier a block of `zoneSlots` equal subnets.
 *
 * Why this shape: every tier is reserved whether or not it is enabled, and every tier has a
 * slot for each zone letter (a, b, c, ...) whether or not that zone is used. A subnet's
 * address therefore depends only on the VPC CIDR, the tier masks, its tier and its zone
 * letter. Adding a zone, reordering zones or enabling a tier later never re-addresses an
 * existing subnet (which would replace it, and everything in it).
 */
export function planAddresses(
  vpc: ParsedCidr,
  subnetPrefixes: Record<TierName, number>,
  zoneSlots: number,
): AddressPlan {
  let cursor = vpc.network;
  const tiers = {} as Record<TierName, TierBlock>;
  for (const tier of TIER_ORDER) {
    const size = blockSize(subnetPrefixes[tier]);
    // Align the tier's base to its subnet size so that every subnet is a valid CIDR block.
    cursor = Math.ceil(cursor / size) * size;
    tiers[tier] = { tier, subnetPrefix: subnetPrefixes[tier], base: cursor };
    cursor += size * zoneSlots;
  }
  return {
    tiers,
    addressesNeeded: cursor - vpc.network,
    addressesAvailable: blockSize(vpc.prefix),
  };
}

/** The CIDR of the subnet of `block` in zone slot `slot` (0 for zone letter a). */
export function subnetCidr(block: TierBlock, slot: number): string {
  return formatCidr(block.base + slot * blockSize(block.subnetPrefix), block.subnetPrefix);
}
