import { CheckSeverity, KubernetesRule } from '../../rule';
import { checkContainers, isObject, LONG_RUNNING_KINDS } from './private/pod-spec';

/** Long-running workloads have readiness probes where they serve and liveness probes everywhere. */
export const K8S_PROBES: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-PROBES',
  severity: CheckSeverity.WARNING,
  title: 'Long-running container without readiness or liveness probe',
  rationale:
    'Without a readiness probe a container that declares ports gets Service traffic before it can answer (errors on ' +
    'every rollout), and without a liveness probe a hung process is never restarted; Jobs, CronJobs and bare Pods ' +
    'run to completion or unmanaged, so only Deployments, StatefulSets and DaemonSets are checked.',
  fix: 'Add a readinessProbe to every container that declares ports and a livenessProbe to every container (the liveness endpoint must not depend on other services).',
  equivalents: [
    'kube-score pod-probes',
    'kube-linter no-liveness-probe',
    'kube-linter no-readiness-probe',
    'checkov CKV_K8S_8',
    'checkov CKV_K8S_9',
  ],
  objectKinds: LONG_RUNNING_KINDS,
  check(subject) {
    return checkContainers(subject, { init: false }, (c) => {
      const missing: string[] = [];
      const servesPorts = Array.isArray(c.container.ports) && c.container.ports.length > 0;
      if (servesPorts && !isObject(c.container.readinessProbe)) missing.push('readinessProbe (it declares ports)');
      if (!isObject(c.container.livenessProbe)) missing.push('livenessProbe');
      return missing.length > 0 ? `has no ${missing.join(' and no ')}` : undefined;
    });
  },
};
