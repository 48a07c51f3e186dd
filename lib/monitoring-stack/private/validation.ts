import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/private/errors';
import { isQualifiedName } from '../../core/private/kubernetes-labels';
import { checkDns1123Label, checkDns1123Subdomain, isConfigKey } from '../../core/private/kubernetes-names';

/**
 * Synth-time checks shared by the monitoring chart's builders. Every failure goes through
 * the library's `invalidProp`, so messages name the chart, the property, the value received
 * and what is allowed.
 */

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Kubernetes YAML must never carry a Terraform token: the trees meet by names only, and a
 * `${...}` in a manifest would reach the cluster unresolved.
 */
export function checkLiteral(scope: IConstruct, property: string, value: string | undefined): void {
  if (value === undefined) return;
  if (Token.isUnresolved(value) || value.includes('${')) {
    invalidProp(
      scope,
      property,
      'be a literal known at synth time (Kubernetes manifests refer to objects by name; a Terraform token cannot appear in them)',
      value,
    );
  }
}

/** A DNS-1123 label (namespaces, object name parts), known at synth: the library's rule (lib/core). */
export function checkDnsLabel(scope: IConstruct, property: string, value: string | undefined, max = 63): void {
  if (value === undefined) return;
  checkLiteral(scope, property, value);
  checkDns1123Label(scope, property, value, max);
}

/** A DNS-1123 subdomain, as Secret names are, known at synth: the library's rule (lib/core). */
export function checkDnsSubdomain(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  checkDns1123Subdomain(scope, property, value);
}

/** A key inside a Secret or ConfigMap. */
export function checkSecretKey(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  if (!isConfigKey(value)) {
    invalidProp(scope, property, "be a Secret key (letters, digits, '-', '_' and '.')", value);
  }
}

/**
 * A value usable both as a Prometheus label value in a matcher and as a Kubernetes label
 * value: letters, digits, '-', '_' and '.', at most 63 characters, not empty.
 */
export function checkLabelValue(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    invalidProp(scope, property, "be a non-empty label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters)", value);
  }
}

/** A Prometheus label name. */
export function checkPromLabelName(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  if (!LABEL_NAME.test(value) || value.startsWith('__')) {
    invalidProp(scope, property, 'be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")', value);
  }
}

/** A Prometheus metric name. */
export function checkMetricName(scope: IConstruct, property: string, value: string): void {
  checkLiteral(scope, property, value);
  if (!METRIC_NAME.test(value)) {
    invalidProp(scope, property, 'be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)', value);
  }
}

/** Kubernetes label selectors (`matchLabels`): valid keys and values, at least one pair. */
export function checkMatchLabels(scope: IConstruct, property: string, labels: { [key: string]: string }): void {
  const entries = Object.entries(labels);
  if (entries.length === 0) {
    invalidProp(scope, property, 'select with at least one label', labels);
  }
  for (const [key, value] of entries) {
    checkLiteral(scope, `${property}.${key}`, value);
    if (!isQualifiedName(key)) {
      invalidProp(scope, property, 'have Kubernetes label keys ([prefix/]name)', key);
    }
    checkLabelValue(scope, `${property}.${key}`, value);
  }
}

/** An HTTP path starting with '/'. */
export function checkPath(scope: IConstruct, property: string, value: string | undefined): void {
  if (value === undefined) return;
  checkLiteral(scope, property, value);
  if (!/^\/[A-Za-z0-9\-._~/%]*$/.test(value)) {
    invalidProp(scope, property, "be a URL path starting with '/'", value);
  }
}

/** A finite number in the open-closed range (min, max]. */
export function checkNumberAbove(scope: IConstruct, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min || value > max) {
    invalidProp(scope, property, `be a number greater than ${min} and at most ${max}`, value);
  }
}

/** A finite number in the closed range [min, max]. */
export function checkNumberInRange(scope: IConstruct, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalidProp(scope, property, `be a number from ${min} to ${max}`, value);
  }
}
