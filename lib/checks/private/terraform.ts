import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { GroundworkStack } from '../../core/groundwork-stack';
import { TerraformContext, TerraformRule, TerraformSubject } from '../rule';

/** The stack's resources and data sources, from its synthesized JSON, with a lookup by address. */
export class TerraformView implements TerraformContext {
  public readonly environment?: string;
  public readonly backend: string;
  public readonly backendConfig: { [key: string]: any };
  public readonly stackName: string;
  public readonly subjects: TerraformSubject[] = [];
  private readonly byType = new Map<string, TerraformSubject[]>();
  private readonly byAddress = new Map<string, TerraformSubject>();

  constructor(stack: TerraformStack, json: { [key: string]: any }) {
    this.stackName = stack.node.id;
    this.environment = environmentOf(stack);
    const backends = Object.keys(json.terraform?.backend ?? {});
    this.backend = backends[0] ?? (json.terraform?.cloud ? 'cloud' : 'local');
    this.backendConfig = backends[0] ? json.terraform.backend[backends[0]] : {};
    this.collect(json.resource, '');
    this.collect(json.data, 'data.');
  }

  public ofType(type: string): TerraformSubject[] {
    return this.byType.get(type) ?? [];
  }

  public referenced(expression: unknown): TerraformSubject | undefined {
    if (typeof expression !== 'string') return undefined;
    const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)[.[]/.exec(expression);
    return match ? this.byAddress.get(match[1]) : undefined;
  }

  private collect(block: { [type: string]: { [name: string]: any } } | undefined, prefix: string): void {
    for (const [type, resources] of Object.entries(block ?? {})) {
      const list: TerraformSubject[] = [];
      for (const [name, config] of Object.entries(resources)) {
        const subject: TerraformSubject = {
          type: `${prefix}${type}`,
          address: `${prefix}${type}.${name}`,
          config,
          path: config?.['//']?.metadata?.path ?? '',
        };
        list.push(subject);
        this.byAddress.set(subject.address, subject);
        this.subjects.push(subject);
      }
      this.byType.set(`${prefix}${type}`, list);
    }
  }
}

/** Runs the Terraform rules over a stack's JSON; returns each non-compliant subject with its message. */
export function evaluateTerraform(
  view: TerraformView,
  rules: TerraformRule[],
): Array<{ rule: TerraformRule; subject?: TerraformSubject; message: string }> {
  const results: Array<{ rule: TerraformRule; subject?: TerraformSubject; message: string }> = [];
  for (const rule of rules) {
    if (rule.resourceTypes.length === 0) {
      const message = rule.check({ type: 'stack', address: view.stackName, config: {}, path: '' }, view);
      if (message) results.push({ rule, message });
      continue;
    }
    for (const type of rule.resourceTypes) {
      for (const subject of view.ofType(type)) {
        const message = rule.check(subject, view);
        if (message) results.push({ rule, subject, message });
      }
    }
  }
  return results;
}

/**
 * The stack's environment tier: a GroundworkStack's own, or, for a stack that serves a
 * cluster (the bootstrap stack), the tier of the cluster's stack.
 */
function environmentOf(stack: TerraformStack): string | undefined {
  if (GroundworkStack.isGroundworkStack(stack)) return stack.environment;
  const cluster = (stack as unknown as { cluster?: IConstruct }).cluster;
  if (cluster?.node) {
    try {
      return GroundworkStack.ofConstruct(cluster).environment;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
