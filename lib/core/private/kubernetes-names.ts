import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Kubernetes object names, checked the way the API server checks them
 * (k8s.io/apimachinery/pkg/util/validation): one rule per kind of name, for every construct.
 * A token (resolved by Terraform at apply time) is left to the API server; the cdk8s charts
 * reject tokens before they get here.
 */

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// Dot-separated DNS-1123 labels: "a..b" and "a.-b" are not subdomains.
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (namespaces, most object names): at most `max` (63) lowercase alphanumerics or '-'. */
export function checkDns1123Label(scope: IConstruct, property: string, value: string | undefined, max = 63): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length > max || !DNS_1123_LABEL.test(value)) {
    invalidProp(scope, property, `be a DNS-1123 label: 1-${max} lowercase letters, digits or "-", starting and ending with a letter or digit`, value);
  }
}

/** A DNS-1035 label (Service names): like a DNS-1123 label, but starting with a letter. */
export function checkDns1035Label(scope: IConstruct, property: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    invalidProp(
      scope,
      property,
      'be a DNS-1035 label (it names a Service): 1-63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit',
      value,
    );
  }
}

/** True for a DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/** A DNS-1123 subdomain (service accounts, ConfigMaps, Secrets): at most 253 characters, dot-separated labels. */
export function checkDns1123Subdomain(scope: IConstruct, property: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!isDns1123Subdomain(value)) {
    invalidProp(
      scope,
      property,
      'be a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", dot-separated labels that start and end with a letter or digit',
      value,
    );
  }
}

/** A key of a ConfigMap or Secret (and so an environment variable from `envFrom`): letters, digits, '-', '_' and '.', at most 253. */
export function isConfigKey(key: string): boolean {
  return key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key);
}
