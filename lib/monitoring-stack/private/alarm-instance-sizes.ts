/**
 * Memory and vCPU counts of the instance classes and node types the alarm thresholds derive
 * from, as data. A class or type not listed here gets a fixed fallback threshold and a warning
 * (the alarm still exists), never a guess.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
 */

const GIB = 1024 ** 3;

/** vCPUs of the sizes that scale linearly in the current (non-burstable) families. */
const VCPUS_BY_SIZE: Readonly<Record<string, number>> = {
  'large': 2,
  'xlarge': 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

/** GiB of memory per vCPU of the RDS families: general purpose (m) 4, memory optimized (r) 8, x2g 16. */
const RDS_GIB_PER_VCPU: Readonly<Record<string, number>> = {
  m5: 4,
  m5d: 4,
  m6g: 4,
  m6gd: 4,
  m6i: 4,
  m6id: 4,
  m7g: 4,
  m7i: 4,
  m8g: 4,
  r5: 8,
  r5b: 8,
  r5d: 8,
  r6g: 8,
  r6gd: 8,
  r6i: 8,
  r6id: 8,
  r7g: 8,
  r7i: 8,
  r8g: 8,
  x2g: 16,
};

/** The burstable RDS classes do not scale linearly: memory by size, in GiB. */
const RDS_BURSTABLE_GIB: Readonly<Record<string, number>> = {
  'micro': 1,
  'small': 2,
  'medium': 4,
  'large': 8,
  'xlarge': 16,
  '2xlarge': 32,
};
const RDS_BURSTABLE_FAMILIES: readonly string[] = ['t3', 't4g'];

/**
 * The memory of an RDS instance class in bytes (the nominal memory of the class, which RDS
 * calls DBInstanceClassMemory before its own reservation), or undefined when the class is not
 * in the table.
 */
export function rdsInstanceMemoryBytes(instanceClass: string): number | undefined {
  const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size] = match;
  if (RDS_BURSTABLE_FAMILIES.includes(family)) {
    const gib = RDS_BURSTABLE_GIB[size];
    return gib === undefined ? undefined : gib * GIB;
  }
  const perVcpu = RDS_GIB_PER_VCPU[family];
  const vcpus = VCPUS_BY_SIZE[size];
  return perVcpu === undefined || vcpus === undefined ? undefined : perVcpu * vcpus * GIB;
}

/** ElastiCache node families whose sizes follow {@link VCPUS_BY_SIZE}. */
const CACHE_LINEAR_FAMILIES: readonly string[] = ['m4', 'm5', 'm6g', 'm7g', 'r4', 'r5', 'r6g', 'r6gd', 'r7g', 'c7gn'];

/** Burstable and small ElastiCache node types, by exact type. */
const CACHE_SMALL_NODE_VCPUS: Readonly<Record<string, number>> = {
  'cache.t2.micro': 1,
  'cache.t2.small': 1,
  'cache.t2.medium': 2,
  'cache.t3.micro': 2,
  'cache.t3.small': 2,
  'cache.t3.medium': 2,
  'cache.t4g.micro': 2,
  'cache.t4g.small': 2,
  'cache.t4g.medium': 2,
};

/** vCPUs of an ElastiCache node type, or undefined when the type is not in the table. */
export function cacheNodeVcpus(nodeType: string): number | undefined {
  const small = CACHE_SMALL_NODE_VCPUS[nodeType];
  if (small !== undefined) return small;
  const match = /^cache\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  if (!match || !CACHE_LINEAR_FAMILIES.includes(match[1])) return undefined;
  return VCPUS_BY_SIZE[match[2]];
}
