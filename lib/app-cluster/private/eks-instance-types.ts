/** An EC2 instance type name, e.g. `m6i.large`, `c7i-flex.xlarge`, `u-6tb1.metal`. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * The architecture of an instance type, from the family name: AWS Graviton families carry a
 * `g` among the letters after the generation digit (`m7g`, `c6gn`, `r7gd`, `t4g`, `is4gen`),
 * and `a1` is the first Graviton. Everything else is x86_64 (`g5` is a GPU family whose `g`
 * comes before the digit).
 */
export function architectureOf(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  if (family === 'a1') return 'arm64';
  const match = /^[a-z]+\d+([a-z]*)/.exec(family);
  return match && match[1].includes('g') ? 'arm64' : 'x86_64';
}
