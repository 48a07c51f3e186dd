import { CheckSeverity, KubernetesRule } from '../../rule';
import { checkContainers, isObject, WORKLOAD_KINDS } from './private/pod-spec';

/** Every container and init container sets CPU and memory requests and a memory limit. */
export const K8S_RESOURCES: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-RESOURCES',
  severity: CheckSeverity.WARNING,
  title: 'Container without CPU/memory requests or memory limit',
  rationale:
    'Without requests the scheduler packs pods blind and they are the first evicted under pressure, and without a ' +
    'memory limit one leaking container can exhaust its node (a CPU limit is not required: it only throttles).',
  fix: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container and init container.',
  equivalents: [
    'kube-score container-resources',
    'kube-linter unset-cpu-requirements',
    'kube-linter unset-memory-requirements',
    'checkov CKV_K8S_10',
    'checkov CKV_K8S_12',
    'checkov CKV_K8S_13',
  ],
  objectKinds: WORKLOAD_KINDS,
  check(subject) {
    return checkContainers(subject, { init: true }, (c) => {
      const requests = isObject(c.container.resources?.requests) ? c.container.resources.requests : {};
      const limits = isObject(c.container.resources?.limits) ? c.container.resources.limits : {};
      const missing = [
        ...(isSet(requests.cpu) ? [] : ['requests.cpu']),
        ...(isSet(requests.memory) ? [] : ['requests.memory']),
        ...(isSet(limits.memory) ? [] : ['limits.memory']),
      ];
      return missing.length > 0 ? `sets no ${missing.join(', ')}` : undefined;
    });
  },
};

function isSet(quantity: unknown): boolean {
  return (typeof quantity === 'string' && quantity.trim() !== '') || typeof quantity === 'number';
}
