/**
 * Kubernetes resource quantities ("250m", "1.5", "512Mi", "1G", "1e3"), parsed to plain numbers
 * so that requests and limits can be compared at synth time.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const SUFFIX_FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// A sign is legal in the grammar but meaningless for requests and limits, so it is not accepted.
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * The value of a quantity in base units (cores for CPU, bytes for memory), or undefined when
 * the text is not a quantity Kubernetes accepts.
 */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const factor = exponent !== undefined ? 10 ** Number(exponent) : SUFFIX_FACTORS[suffix ?? ''];
  return Number(number) * factor;
}
