import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { isLabelValue, isQualifiedName } from './kubernetes-labels';
import { checkDns1123Label, checkDns1123Subdomain, isConfigKey, isDns1123Subdomain } from './kubernetes-names';

/**
 * Checks of what the library writes into Kubernetes objects, for every construct that does
 * (the workload and monitoring charts, the bootstrap stack, the database jobs): literals only,
 * ConfigMap and Secret keys, label selectors, host names, HTTP paths and image references.
 * Object names are in kubernetes-names.ts, label syntax in kubernetes-labels.ts.
 */

/** True when the value is a token (cdktf) that only resolves at Terraform apply time. */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

/**
 * Throws when any string or number in `value` (walked recursively, keys included) is a
 * Terraform token or contains "${": Kubernetes YAML carries names and literals only, and
 * Terraform fills real values in through the bootstrap stack.
 */
export function checkNoTerraformTokens(scope: IConstruct, property: string, value: unknown): void {
  const rule =
    'be a literal without "${" (YAML is not Terraform: pass names and literal values, and let the bootstrap stack ' +
    'put Terraform values into Secrets and ConfigMaps)';
  if (typeof value === 'string') {
    if (value.includes('${') || isToken(value)) invalidProp(scope, property, rule, value);
  } else if (typeof value === 'number') {
    if (isToken(value)) invalidProp(scope, property, rule, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkNoTerraformTokens(scope, `${property}[${index}]`, item));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const itemProperty = property ? `${property}.${key}` : key;
      if (key.includes('${') || isToken(key)) invalidProp(scope, itemProperty, rule, key);
      checkNoTerraformTokens(scope, itemProperty, item);
    }
  }
}

/**
 * A single string that lands in Kubernetes YAML: a literal, never a Terraform token (the
 * trees meet by names only). Nothing to check when the option is not set.
 */
export function checkLiteral(scope: IConstruct, property: string, value: string | undefined): void {
  if (value !== undefined) checkNoTerraformTokens(scope, property, value);
}

/** A DNS-1123 label that a chart writes into YAML: a literal, never a token, and a valid label. */
export function checkLiteralDnsLabel(scope: IConstruct, property: string, value: string | undefined, max = 63): void {
  checkLiteral(scope, property, value);
  checkDns1123Label(scope, property, value, max);
}

/** A DNS-1123 subdomain (a Secret's name) that a chart writes into YAML: a literal and a valid subdomain. */
export function checkLiteralDnsSubdomain(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  checkDns1123Subdomain(scope, property, value);
}

/** A key of a ConfigMap or Secret: letters, digits, '-', '_' and '.', at most 253 characters. */
export function checkConfigKey(scope: IConstruct, property: string, key: string): void {
  checkLiteral(scope, property, key);
  if (!isConfigKey(key)) {
    invalidProp(scope, property, 'be a ConfigMap or Secret key: 1-253 letters, digits, "-", "_" or "."', key);
  }
}

/**
 * A label value that selects something (a selector or an alert matcher): what the API server
 * accepts as a label value, but not empty, since an empty value matches nothing useful.
 */
export function checkSelectorLabelValue(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  if (value === '' || !isLabelValue(value)) {
    invalidProp(scope, property, "be a non-empty label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters)", value);
  }
}

/** Label selectors (`matchLabels`): at least one pair, keys as the API server takes them, non-empty values. */
export function checkMatchLabels(scope: IConstruct, property: string, labels: { [key: string]: string }): void {
  const entries = Object.entries(labels);
  if (entries.length === 0) {
    invalidProp(scope, property, 'select with at least one label', labels);
  }
  for (const [key, value] of entries) {
    checkLiteral(scope, `${property}.${key}`, key);
    if (!isQualifiedName(key)) {
      invalidProp(scope, property, 'have Kubernetes label keys ([prefix/]name)', key);
    }
    checkSelectorLabelValue(scope, `${property}.${key}`, value);
  }
}

/** A host name for an Ingress rule: a DNS-1123 subdomain with at least one dot, optionally starting with "*.". */
export function checkHostName(scope: IConstruct, property: string, value: string): void {
  if (isToken(value)) return;
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (!isDns1123Subdomain(bare) || !bare.includes('.')) {
    invalidProp(scope, property, 'be a fully qualified lowercase DNS name such as shop.example.com (optionally "*." first)', value);
  }
}

/**
 * An absolute HTTP path: printable ASCII without spaces, at most 1024 characters (what an ALB
 * health check accepts). With `query: false` (a Prometheus `metrics_path`, which carries no
 * query: parameters go in `params`), also no '?' or '#'. A token is left to apply time.
 */
export function checkHttpPath(scope: IConstruct, property: string, value: string | undefined, options: { query: boolean }): void {
  if (value === undefined || isToken(value)) return;
  const printable = /^\/[\x21-\x7e]*$/.test(value) && value.length <= 1024;
  if (!printable || (!options.query && /[?#]/.test(value))) {
    const rule = options.query ? 'without spaces' : "without spaces, '?' or '#'";
    invalidProp(scope, property, `be an absolute HTTP path of at most 1024 characters ${rule}, e.g. "/health"`, value);
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/**
 * An image reference pinned to a version: `[registry/]repository:tag` with a tag other than
 * `latest`, or `[registry/]repository[:tag]@sha256:<digest>`. An untagged image means
 * `latest`, which changes under a running Deployment and makes rollbacks meaningless.
 */
export function checkImageReference(scope: IConstruct, property: string, image: string): void {
  const wellFormed = 'be an image reference such as registry.example.com/team/app:1.4.2 or registry.example.com/team/app@sha256:<64 hex digits>';
  let rest = image;
  let digest: string | undefined;
  const at = image.indexOf('@');
  if (at >= 0) {
    digest = image.slice(at + 1);
    rest = image.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const components = rest.split('/');
  const hasRegistry =
    components.length > 1 && (components[0].includes('.') || components[0].includes(':') || components[0] === 'localhost');
  const pathComponents = hasRegistry ? components.slice(1) : components;
  const valid =
    (!hasRegistry || REGISTRY.test(components[0])) &&
    pathComponents.every((c) => PATH_COMPONENT.test(c)) &&
    (tag === undefined || TAG.test(tag)) &&
    (digest === undefined || DIGEST.test(digest));
  if (!valid) {
    invalidProp(scope, property, wellFormed, image);
  }
  if (digest !== undefined) return;
  if (tag === undefined) {
    invalidProp(
      scope,
      property,
      'name an explicit version tag or a sha256 digest (an untagged image means "latest", which changes under a running Deployment)',
      image,
    );
  }
  if (tag.toLowerCase() === 'latest') {
    invalidProp(scope, property, 'not use the "latest" tag; pin a version tag or a sha256 digest', image);
  }
}
