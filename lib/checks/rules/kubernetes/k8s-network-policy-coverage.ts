import { CheckSeverity, KubernetesRule } from '../../rule';
import { describeLabels, isObject, namespaceOf, podTemplateOf, selectorMatches, WORKLOAD_KINDS } from './private/pod-spec';

/** Every workload's pods are selected by a NetworkPolicy of their namespace. */
export const K8S_NETWORK_POLICY_COVERAGE: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-NETWORK-POLICY-COVERAGE',
  severity: CheckSeverity.WARNING,
  title: 'Workload whose pods no NetworkPolicy selects',
  rationale:
    'Pods that no NetworkPolicy selects accept connections from every pod of the cluster and may connect anywhere, ' +
    'so one compromised pod elsewhere reaches them directly.',
  fix: 'Add a NetworkPolicy in the workload\'s namespace whose podSelector selects its pods (a default-deny policy with podSelector: {} plus explicit allow rules).',
  equivalents: ['kube-score pod-networkpolicy', 'kube-linter non-isolated-pod'],
  objectKinds: WORKLOAD_KINDS,
  check(subject, context) {
    const pod = podTemplateOf(subject);
    if (!pod) return undefined;
    const namespace = namespaceOf(subject);
    const covered = context
      .ofKind('NetworkPolicy')
      .some(
        (policy) =>
          namespaceOf(policy) === namespace &&
          // podSelector is required; a missing one reads as the empty selector, which selects every pod.
          selectorMatches(isObject(policy.manifest.spec?.podSelector) ? policy.manifest.spec.podSelector : {}, pod.labels),
      );
    if (covered) return undefined;
    return (
      `no NetworkPolicy in namespace "${namespace}" selects the pods of ${subject.kind} ${subject.name} ` +
      `(${describeLabels(pod.labels)}): they accept traffic from any pod and may connect anywhere`
    );
  },
};
