import { ApiObject } from 'cdk8s';
import { KubernetesContext, KubernetesRule, KubernetesSubject } from '../rule';

/** Every rendered object of the charts under check, by kind. */
export class KubernetesView implements KubernetesContext {
  private readonly byKind = new Map<string, KubernetesSubject[]>();

  private readonly othersByKind = new Map<string, KubernetesSubject[]>();

  /**
   * @param subjects the objects under check (one chart's)
   * @param others the objects of the other charts of the app, rendered only for the kinds a
   *   rule asks about (NetworkPolicy coverage looks across charts)
   */
  constructor(
    public readonly subjects: KubernetesSubject[],
    private readonly others: () => ApiObject[] = () => [],
  ) {
    for (const subject of subjects) {
      const list = this.byKind.get(subject.kind) ?? [];
      list.push(subject);
      this.byKind.set(subject.kind, list);
    }
  }

  /** The objects of `kind` under check. */
  public subjectsOfKind(kind: string): KubernetesSubject[] {
    return this.byKind.get(kind) ?? [];
  }

  public ofKind(kind: string): KubernetesSubject[] {
    let others = this.othersByKind.get(kind);
    if (!others) {
      others = this.others()
        .filter((o) => o.kind === kind)
        .map((o) => {
          const manifest = o.toJson();
          return { manifest, kind, name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace, path: o.node.path };
        });
      this.othersByKind.set(kind, others);
    }
    return [...this.subjectsOfKind(kind), ...others];
  }
}

export function evaluateKubernetes(
  view: KubernetesView,
  rules: KubernetesRule[],
): Array<{ rule: KubernetesRule; subject: KubernetesSubject; message: string }> {
  const results: Array<{ rule: KubernetesRule; subject: KubernetesSubject; message: string }> = [];
  for (const rule of rules) {
    for (const kind of rule.objectKinds) {
      for (const subject of view.subjectsOfKind(kind)) {
        const message = rule.check(subject, view);
        if (message) results.push({ rule, subject, message });
      }
    }
  }
  return results;
}
