import { IConstruct } from 'constructs';

/**
 * Every construct under `root` that is a `type` (or a subclass of it). Not `instanceof`: cdk8s's
 * Chart answers `instanceof` for any chart, so `c instanceof MonitoringChart` is true of a
 * workload chart too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature
export function findConstructsOfType<T extends IConstruct>(root: IConstruct, type: abstract new (...args: any[]) => T): T[] {
  return root.node.findAll().filter((c): c is T => Object.prototype.isPrototypeOf.call(type.prototype, c));
}
