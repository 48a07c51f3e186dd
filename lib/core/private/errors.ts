import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Thrown at synth time for input that would otherwise produce a broken plan.
 *
 * The message always has the same shape, so a reader sees at once which construct, which
 * property, what it received and what is allowed:
 * `VpcStack prod/Network: cidr must be a valid IPv4 CIDR (a.b.c.d/n), got "10.0.0/16"`.
 */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Formats a received value for an error message: strings quoted, arrays and objects as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

/**
 * Builds and throws the library's standard validation error.
 *
 * @param scope the construct whose input is wrong (its kind and path are named)
 * @param property the prop, as the consumer wrote it
 * @param rule what is allowed, phrased to follow "must" (e.g. "be 1-35")
 * @param received the value received
 */
export function invalidProp(scope: IConstruct, property: string, rule: string, received: unknown): never {
  throw new ValidationError(`${constructLabel(scope)}: ${property} must ${rule}, got ${describeValue(received)}`);
}

/** Throws a validation error whose message is not about a single value (a combination of props). */
export function invalidCombination(scope: IConstruct, message: string): never {
  throw new ValidationError(`${constructLabel(scope)}: ${message}`);
}

/** "VpcStack prod/Network": the construct's class name and its path in the tree. */
export function constructLabel(scope: IConstruct): string {
  return `${scope.constructor.name} ${scope.node.path}`;
}

/** True when the value is a literal the construct can check at synth time (not a Terraform token). */
export function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' || typeof value === 'number') return !Token.isUnresolved(value);
  if (Array.isArray(value)) return !Token.isUnresolved(value) && value.every((v) => isLiteral(v));
  return !Token.isUnresolved(value);
}

/** Validates an integer within an inclusive range, unless the value is a token. */
export function checkIntegerInRange(
  scope: IConstruct,
  property: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    invalidProp(scope, property, `be an integer from ${min} to ${max}`, value);
  }
}
