import { CheckSeverity, KubernetesRule } from '../../rule';
import { checkContainers, isObject, WORKLOAD_KINDS } from './private/pod-spec';

/** Every container and init container runs unprivileged: non-root, no escalation, no capabilities. */
export const K8S_POD_SECURITY_CONTEXT: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-POD-SECURITY-CONTEXT',
  severity: CheckSeverity.ERROR,
  title: 'Container not hardened (root, privilege escalation, privileged, capabilities)',
  rationale:
    'A container that runs as root, may gain privileges through setuid binaries, is privileged or keeps the default ' +
    'Linux capabilities turns any code execution in the app into an easy step towards the node.',
  fix:
    'Set runAsNonRoot: true (or a non-zero runAsUser), allowPrivilegeEscalation: false, privileged: false and ' +
    'capabilities.drop: ["ALL"] in each container\'s securityContext.',
  equivalents: [
    'kube-score container-security-context-privileged',
    'kube-linter run-as-non-root',
    'kube-linter privilege-escalation-container',
    'kube-linter privileged-container',
    'checkov CKV_K8S_16',
    'checkov CKV_K8S_20',
    'checkov CKV_K8S_23',
    'checkov CKV_K8S_37',
  ],
  objectKinds: WORKLOAD_KINDS,
  check(subject) {
    return checkContainers(subject, { init: true }, (c, pod) => {
      const podContext = isObject(pod.spec.securityContext) ? pod.spec.securityContext : {};
      const context = isObject(c.container.securityContext) ? c.container.securityContext : {};
      const missing: string[] = [];
      // The container's fields override the pod's.
      const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
      const runAsUser = context.runAsUser ?? podContext.runAsUser;
      if (runAsUser === 0) {
        missing.push('runAsUser is 0 (root)');
      } else if (runAsNonRoot !== true && !(typeof runAsUser === 'number' && runAsUser > 0)) {
        missing.push('may run as root (no runAsNonRoot: true and no non-zero runAsUser in its or the pod\'s securityContext)');
      }
      if (context.allowPrivilegeEscalation !== false) missing.push('allowPrivilegeEscalation is not false');
      if (context.privileged === true) missing.push('is privileged');
      const drop: unknown[] = Array.isArray(context.capabilities?.drop) ? context.capabilities.drop : [];
      if (!drop.includes('ALL')) missing.push('capabilities.drop does not include ALL');
      // The restricted Pod Security profile lets a container add back NET_BIND_SERVICE only.
      const added: unknown[] = Array.isArray(context.capabilities?.add) ? context.capabilities.add : [];
      const extra = added.filter((a) => a !== 'NET_BIND_SERVICE');
      if (extra.length > 0) missing.push(`capabilities.add adds ${extra.join(', ')}`);
      return missing.length > 0 ? `: ${missing.join(', ')}` : undefined;
    });
  },
};
