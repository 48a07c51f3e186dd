import { CheckSeverity, KubernetesRule } from '../../rule';
import { containersOf, describeContainer, podTemplateOf, WORKLOAD_KINDS } from './private/pod-spec';

/** Every container and init container mounts its root filesystem read-only. */
export const K8S_READ_ONLY_ROOT_FS: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-READ-ONLY-ROOT-FS',
  severity: CheckSeverity.WARNING,
  title: 'Container with a writable root filesystem',
  rationale:
    'A writable root filesystem lets an attacker drop tools or change the app\'s own files inside a running container, ' +
    'and hides state that is lost on every restart.',
  fix: 'Set readOnlyRootFilesystem: true in each container\'s securityContext and mount an emptyDir where the app must write (e.g. /tmp).',
  equivalents: [
    'kube-score container-security-context-readonlyrootfilesystem',
    'kube-linter no-read-only-root-fs',
    'checkov CKV_K8S_22',
  ],
  objectKinds: WORKLOAD_KINDS,
  check(subject) {
    const pod = podTemplateOf(subject);
    if (!pod) return undefined;
    const writable = containersOf(pod.spec, { init: true }).filter((c) => c.container.securityContext?.readOnlyRootFilesystem !== true);
    if (writable.length === 0) return undefined;
    return `${writable.map(describeContainer).join(', ')}: securityContext.readOnlyRootFilesystem is not true`;
  },
};
