import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { parseCidr } from '../../core/private/cidr';
import { checkIntegerInRange, invalidProp } from '../../core/private/errors';
import { isConfigKey } from '../../core/private/kubernetes-names';

/**
 * Checks shared by the workload chart and the bootstrap stack: Kubernetes object names, image
 * references, CIDRs, and the rule that Terraform tokens never reach YAML.
 */

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when the value is a token (cdktf) that only resolves at Terraform apply time. */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

// The Kubernetes name checks are the library's one rule per kind of name, in lib/core.
export { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain } from '../../core/private/kubernetes-names';

/** A host name for an Ingress rule: a DNS-1123 subdomain with at least one dot, optionally starting with "*.". */
export function checkHostName(scope: IConstruct, property: string, value: string): void {
  if (isToken(value)) return;
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (bare.length > 253 || !DNS_1123_SUBDOMAIN.test(bare) || !bare.includes('.')) {
    invalidProp(scope, property, 'be a fully qualified lowercase DNS name such as shop.example.com (optionally "*." first)', value);
  }
}

/** Keys of ConfigMaps and Secrets. */
export function checkConfigKey(scope: IConstruct, property: string, key: string): void {
  if (!isConfigKey(key)) {
    invalidProp(scope, property, 'have keys of letters, digits, "-", "_" or "." (at most 253 characters)', key);
  }
}

/** A TCP/UDP port, 1-65535. */
export function checkPort(scope: IConstruct, property: string, port: number | undefined): void {
  checkIntegerInRange(scope, property, port, 1, 65535);
}

/** A list of IPv4 CIDR blocks. */
export function checkCidrList(scope: IConstruct, property: string, cidrs: string[]): void {
  for (const cidr of cidrs) {
    if (isToken(cidr)) continue;
    if (!parseCidr(cidr)) {
      invalidProp(scope, property, 'contain IPv4 CIDR blocks (a.b.c.d/n with no host bits set)', cidr);
    }
  }
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
