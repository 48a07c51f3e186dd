import { KubernetesSubject } from '../../../rule';

/** The kinds that run pods, and where each keeps its pod template. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

/** The workloads that run for good and are replaced on failure (not run-to-completion, not bare pods). */
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** The pod spec of a workload and the labels its pods carry. */
export interface PodTemplate {
  readonly spec: { [key: string]: any };
  readonly labels: { [key: string]: string };
}

/** One container of a pod spec, with where it came from. */
export interface PodContainer {
  readonly container: { [key: string]: any };
  readonly name: string;
  readonly init: boolean;
}

/**
 * The pod spec and pod labels of a workload: `spec.template` of the controllers,
 * `spec.jobTemplate.spec.template` of a CronJob, the object itself for a Pod. Undefined for
 * another kind, or a manifest without a pod spec.
 */
export function podTemplateOf(subject: KubernetesSubject): PodTemplate | undefined {
  const manifest = subject.manifest;
  let template: { [key: string]: any } | undefined;
  switch (subject.kind) {
    case 'Pod':
      template = manifest;
      break;
    case 'CronJob':
      template = manifest.spec?.jobTemplate?.spec?.template;
      break;
    default:
      if (!WORKLOAD_KINDS.includes(subject.kind)) return undefined;
      template = manifest.spec?.template;
  }
  if (!isObject(template) || !isObject(template.spec)) return undefined;
  const labels = isObject(template.metadata?.labels) ? template.metadata.labels : {};
  return { spec: template.spec, labels };
}

/** The init containers (when asked for) then the containers of a pod spec. */
export function containersOf(spec: { [key: string]: any }, options: { init: boolean }): PodContainer[] {
  const list = (value: unknown, init: boolean): PodContainer[] =>
    (Array.isArray(value) ? value : [])
      .filter(isObject)
      .map((container) => ({ container, init, name: typeof container.name === 'string' ? container.name : '<unnamed>' }));
  return [...(options.init ? list(spec.initContainers, true) : []), ...list(spec.containers, false)];
}

/** `container "web"` or `init container "migrate"`, for messages. */
export function describeContainer(c: PodContainer): string {
  return `${c.init ? 'init container' : 'container'} "${c.name}"`;
}

/**
 * Runs a per-container check over a workload's pod template: `problemOf` returns what is wrong
 * with one container, as the words that follow its name (`sets no limits.memory`, or a list
 * after a colon, `: is privileged, ...`), or undefined. The message names each container.
 */
export function checkContainers(
  subject: KubernetesSubject,
  options: { init: boolean },
  problemOf: (container: PodContainer, pod: PodTemplate) => string | undefined,
): string | undefined {
  const pod = podTemplateOf(subject);
  if (!pod) return undefined;
  const problems = containersOf(pod.spec, options).flatMap((c) => {
    const problem = problemOf(c, pod);
    return problem ? [`${describeContainer(c)}${problem.startsWith(':') ? '' : ' '}${problem}`] : [];
  });
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** The namespace of an object; one without a namespace goes to `default`. */
export function namespaceOf(subject: KubernetesSubject): string {
  return subject.namespace || 'default';
}

/**
 * Whether a Kubernetes label selector (`matchLabels` and `matchExpressions`, all ANDed)
 * selects a set of labels. An empty selector selects everything; an expression with an
 * unknown operator selects nothing, as the API server would reject it.
 */
export function selectorMatches(selector: { [key: string]: any }, labels: { [key: string]: string }): boolean {
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expression of expressions) {
    if (!isObject(expression)) return false;
    const key = String(expression.key);
    const values: unknown[] = Array.isArray(expression.values) ? expression.values : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `app=web,tier=front`, or `no labels`, for messages. */
export function describeLabels(labels: { [key: string]: string }): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : 'no labels';
}

/** `Deployment shop/web`, for messages. */
export function describeObject(subject: KubernetesSubject): string {
  return `${subject.kind} ${namespaceOf(subject)}/${subject.name}`;
}

export function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
