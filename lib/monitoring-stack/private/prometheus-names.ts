import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/private/errors';
import { checkLiteral } from '../../core/private/kubernetes-checks';

/**
 * Prometheus names, the one rule only the monitoring chart needs; every other check it makes is
 * the library's (lib/core/private).
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

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
