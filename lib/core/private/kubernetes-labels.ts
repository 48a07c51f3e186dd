/**
 * Kubernetes label (and taint) keys and values, as the API server validates them
 * (k8s.io/apimachinery validation: IsQualifiedName, IsValidLabelValue).
 */

import { isDns1123Subdomain } from './kubernetes-names';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** `[prefix/]name`: a DNS subdomain prefix of at most 253 characters, a name of at most 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || !isDns1123Subdomain(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME.test(value));
}
