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

/** Longest rendering of a received value in an error message; the rest is cut. */
const MAX_VALUE_LENGTH = 120;

/**
 * What looks like a credential inside a value: a URL with user:password, a webhook URL whose path
 * is the secret (Slack, Discord, Teams, PagerDuty events), a bearer or API token, a private key.
 */
const CREDENTIAL_PATTERNS: RegExp[] = [
  // user:password@ (the user may be empty, as in redis://:password@host; the password may hold "/").
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^\s@]+@/i,
  // A key in a query string: ?token=, &sig=, ?apiKey=, ?access_token=, ?password=.
  /[?&](token|access_token|sig|signature|key|api_?key|secret|password|code)=[^&\s]{8,}/i,
  /\bgithub_pat_[0-9A-Za-z_]{20,}/,
  /\bASIA[0-9A-Z]{16}\b/,
  /hooks\.slack\.com\/services\//i,
  /discord(app)?\.com\/api\/webhooks\//i,
  /webhook\.office\.com\//i,
  /events\.pagerduty\.com\/.*[0-9a-f]{32}/i,
  /\b(xox[abprs]-[0-9A-Za-z-]+|gh[pousr]_[0-9A-Za-z]{20,}|sk_(live|test)_[0-9A-Za-z]+|AKIA[0-9A-Z]{16})\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** True when a value (a string, or any string inside an array or object) looks like a credential. */
export function looksLikeCredential(value: unknown): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return CREDENTIAL_PATTERNS.some((pattern) => pattern.test(text));
}

/**
 * Formats a received value for an error message: strings quoted, arrays and objects as JSON,
 * cut past 120 characters, and never a credential: a value that looks like one is replaced.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (looksLikeCredential(value)) return '(a value that looks like a credential, not shown)';
  // Functions and symbols have no JSON: name their type rather than fail while reporting.
  const text = JSON.stringify(value) ?? `(a ${typeof value})`;
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}… (${text.length} characters)` : text;
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

/** A finite number in the closed range [min, max]; nothing to check when unset or a token. */
export function checkNumberInRange(scope: IConstruct, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalidProp(scope, property, `be a number from ${min} to ${max}`, value);
  }
}

/** A finite number in the open-closed range (min, max]; nothing to check when unset or a token. */
export function checkNumberAbove(scope: IConstruct, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min || value > max) {
    invalidProp(scope, property, `be a number greater than ${min} and at most ${max}`, value);
  }
}

/** A TCP/UDP port, 1-65535. */
export function checkPort(scope: IConstruct, property: string, port: number | undefined): void {
  checkIntegerInRange(scope, property, port, 1, 65535);
}
