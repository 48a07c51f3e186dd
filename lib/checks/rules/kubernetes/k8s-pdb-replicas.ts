import { CheckSeverity, KubernetesContext, KubernetesRule, KubernetesSubject } from '../../rule';
import { describeLabels, isObject, namespaceOf, podTemplateOf, selectorMatches } from './private/pod-spec';

/** The workloads whose replica count a PodDisruptionBudget is weighed against. */
const REPLICATED_KINDS = ['Deployment', 'StatefulSet'];

/**
 * PodDisruptionBudgets that let no pod be evicted, and replicated Deployments and
 * StatefulSets that no PodDisruptionBudget protects.
 */
export const K8S_PDB_REPLICAS: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-PDB-REPLICAS',
  severity: CheckSeverity.WARNING,
  title: 'PodDisruptionBudget that blocks every eviction, or replicated workload without one',
  rationale:
    'A budget whose minAvailable reaches the replica count (or maxUnavailable 0) allows no voluntary eviction, so node ' +
    'drains and cluster upgrades hang, while replicas with no budget at all may be evicted all at once.',
  fix:
    'Keep minAvailable below the replicas (at the autoscaler\'s minReplicas) or use maxUnavailable: 1, and give every ' +
    'Deployment or StatefulSet of 2 or more replicas a PodDisruptionBudget.',
  equivalents: [
    'kube-score deployment-has-poddisruptionbudget',
    'kube-score statefulset-has-poddisruptionbudget',
    'kube-linter pdb-min-available',
    'kube-linter pdb-max-unavailable',
  ],
  objectKinds: ['PodDisruptionBudget', ...REPLICATED_KINDS],
  check(subject, context) {
    return subject.kind === 'PodDisruptionBudget' ? checkBudget(subject, context) : checkWorkload(subject, context);
  },
};

function checkBudget(budget: KubernetesSubject, context: KubernetesContext): string | undefined {
  const spec = isObject(budget.manifest.spec) ? budget.manifest.spec : {};
  const { minAvailable, maxUnavailable } = spec;
  const blocks = 'no pod it selects can be evicted, so node drains and cluster upgrades hang';
  // These block whatever the budget selects, whatever the replica count.
  if (maxUnavailable === 0 || percentOf(maxUnavailable) === 0) {
    return `maxUnavailable ${JSON.stringify(maxUnavailable)}: ${blocks}`;
  }
  if (percentOf(minAvailable) !== undefined && percentOf(minAvailable)! >= 100) {
    return `minAvailable ${JSON.stringify(minAvailable)}: ${blocks}`;
  }
  if (minAvailable === undefined || !isObject(spec.selector)) return undefined;
  const problems: string[] = [];
  for (const workload of REPLICATED_KINDS.flatMap((kind) => context.ofKind(kind))) {
    if (namespaceOf(workload) !== namespaceOf(budget)) continue;
    const pod = podTemplateOf(workload);
    if (!pod || !selectorMatches(spec.selector, pod.labels)) continue;
    const replicas = replicasOf(workload, context);
    if (!replicas || replicas.count <= 0) continue;
    // The disruption controller rounds a percentage up.
    const percent = percentOf(minAvailable);
    const required =
      typeof minAvailable === 'number' ? minAvailable : percent !== undefined ? Math.ceil((percent * replicas.count) / 100) : undefined;
    if (required !== undefined && required >= replicas.count) {
      problems.push(
        `minAvailable ${JSON.stringify(minAvailable)} is not below the ${replicas.count} replica(s) of ${workload.kind} ` +
          `${workload.name} (${replicas.from}): ${blocks}`,
      );
    }
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

function checkWorkload(workload: KubernetesSubject, context: KubernetesContext): string | undefined {
  const pod = podTemplateOf(workload);
  if (!pod) return undefined;
  const replicas = replicasOf(workload, context);
  if (!replicas || replicas.count < 2) return undefined;
  const protectedBy = context
    .ofKind('PodDisruptionBudget')
    .filter((b) => namespaceOf(b) === namespaceOf(workload))
    // policy/v1: an empty selector selects every pod of the namespace, a missing one none.
    .filter((b) => isObject(b.manifest.spec?.selector) && selectorMatches(b.manifest.spec.selector, pod.labels));
  if (protectedBy.length > 0) return undefined;
  return (
    `${workload.kind} ${workload.name} runs ${replicas.count} replicas (${replicas.from}) but no PodDisruptionBudget in ` +
    `namespace "${namespaceOf(workload)}" selects its pods (${describeLabels(pod.labels)}): a node drain may evict them all at once`
  );
}

/**
 * The replicas a budget is weighed against: the minReplicas of a HorizontalPodAutoscaler that
 * scales the workload (1 when unset), else a literal spec.replicas. Undefined when neither is known.
 */
function replicasOf(workload: KubernetesSubject, context: KubernetesContext): { count: number; from: string } | undefined {
  const autoscaler = context
    .ofKind('HorizontalPodAutoscaler')
    .find(
      (hpa) =>
        namespaceOf(hpa) === namespaceOf(workload) &&
        hpa.manifest.spec?.scaleTargetRef?.kind === workload.kind &&
        hpa.manifest.spec?.scaleTargetRef?.name === workload.name,
    );
  if (autoscaler) {
    const minReplicas = autoscaler.manifest.spec?.minReplicas;
    return { count: typeof minReplicas === 'number' ? minReplicas : 1, from: `minReplicas of HorizontalPodAutoscaler ${autoscaler.name}` };
  }
  const replicas = workload.manifest.spec?.replicas;
  return typeof replicas === 'number' ? { count: replicas, from: 'spec.replicas' } : undefined;
}

/** 50 for "50%", undefined for anything that is not a percentage. */
function percentOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)%$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}
