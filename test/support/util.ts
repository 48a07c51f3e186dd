import { AnnotationMetadataEntryType, App, TerraformOutput, TerraformResource, Testing } from 'cdktf';
import { EnvironmentTier, GroundworkStack, GroundworkStackProps } from 'cdktf-groundwork';
import { IConstruct } from 'constructs';
import { FINDING_METADATA } from '../../lib/checks/private/findings';
import { formatReported } from '../../lib/checks/report';

/** Props of the stack every construct test starts from; override what a test is about. */
export const TEST_STACK_PROPS: GroundworkStackProps = {
  project: 'shop',
  environment: EnvironmentTier.PRODUCTION,
  accountId: '123456789012',
  region: 'eu-west-1',
};

/** A fresh GroundworkStack in a fresh test app. */
export function testStack(overrides: Partial<GroundworkStackProps> = {}, app: App = Testing.app()): GroundworkStack {
  return new GroundworkStack(app, 'test', { ...TEST_STACK_PROPS, ...overrides });
}

/** A synthesized stack as parsed JSON. */
export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, any>>;
  readonly provider?: Record<string, any[]>;
  readonly terraform?: Record<string, any>;
  readonly output?: Record<string, any>;
}

const stackOfSynth = new WeakMap<SynthesizedStack, GroundworkStack>();

/** Synthesizes the stack (aspects included) and parses the Terraform JSON. */
export function synthStack(stack: GroundworkStack): SynthesizedStack {
  const synth: SynthesizedStack = JSON.parse(Testing.synth(stack));
  stackOfSynth.set(synth, stack);
  return synth;
}

/**
 * The resources of one type keyed by construct path relative to the stack
 * (`Network/NatGateway-eu-west-1a`), so tests can pick a resource by the ID they care about.
 */
export function resourcesByPath(synth: SynthesizedStack, type: string): Record<string, any> {
  const stack = stackOfSynth.get(synth);
  if (!stack) throw new Error('resourcesByPath needs a stack synthesized with synthStack()');
  const byPath: Record<string, any> = {};
  for (const node of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(node) && node.terraformResourceType === type) {
      const config = synth.resource?.[type]?.[stack.getLogicalId(node)];
      if (config) byPath[node.node.path.slice(stack.node.path.length + 1)] = config;
    }
  }
  return byPath;
}

/** The resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(synth: SynthesizedStack, type: string, pathSuffix: string): any {
  const match = Object.entries(resourcesByPath(synth, type)).find(([path]) => path.endsWith(pathSuffix));
  if (!match) throw new Error(`no ${type} whose construct path ends with ${pathSuffix}`);
  return match[1];
}

/** All resources of one Terraform type, as a list of their configurations. */
export function resourcesOf(synth: SynthesizedStack, type: string): any[] {
  return Object.values(synth.resource?.[type] ?? {});
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function onlyResourceOf(synth: SynthesizedStack, type: string): any {
  const all = resourcesOf(synth, type);
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** The Terraform reference expression of a resource's attribute, e.g. `${aws_vpc.x.id}`. */
export function refTo(synth: SynthesizedStack, type: string, pathSuffix: string, attribute: string): string {
  const stack = stackOfSynth.get(synth);
  const node = stack?.node
    .findAll()
    .find(
      (c): c is TerraformResource =>
        TerraformResource.isTerraformResource(c) && c.terraformResourceType === type && c.node.path.endsWith(pathSuffix),
    );
  if (!stack || !node) {
    throw new Error(`no ${type} whose construct path ends with ${pathSuffix}`);
  }
  return `\${${type}.${stack.getLogicalId(node)}.${attribute}}`;
}

/** Parses a JSON policy document out of a resource argument. */
export function policyOf(json: string): { Statement: any[] } {
  return JSON.parse(json);
}

/** The warnings recorded with Annotations anywhere in a construct tree. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => [
    // Findings the constructs report (lib/checks/report.ts), as `[GW-…] message`.
    ...c.node.metadata.filter((m) => m.type === FINDING_METADATA).map((m) => formatReported(m.data)),
    // Other cdktf warnings; a finding's own echo (added at validation when no pack runs) is left out.
    ...c.node.metadata
      .filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string) && !String(m.data).startsWith('[GW-'))
      .map((m) => String(m.data)),
  ]);
}

let probeCounter = 0;

/**
 * What a value (usually a token such as `vpc.vpcId`) synthesizes to in the stack, e.g.
 * `${aws_vpc.Network_1C6012B5.id}`. Uses a throwaway output, so it goes through the same
 * resolution as real configuration.
 */
export function resolveIn(stack: GroundworkStack, value: unknown): any {
  const id = `resolve-probe-${++probeCounter}`;
  new TerraformOutput(stack, id, { value });
  const synth: SynthesizedStack = JSON.parse(Testing.synth(stack));
  stack.node.tryRemoveChild(id);
  return synth.output?.[id]?.value;
}
