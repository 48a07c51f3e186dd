import { App, Testing } from 'cdktf';
import { EnvironmentTier, GroundworkStack, GroundworkStackProps } from 'cdktf-groundwork';

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

/** Synthesizes the stack (aspects included) and parses the Terraform JSON. */
export function synthStack(stack: GroundworkStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack));
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
  const entry = Object.entries(synth.resource?.[type] ?? {}).find(([, config]) =>
    (config['//']?.metadata?.path as string).endsWith(pathSuffix),
  );
  if (!entry) {
    throw new Error(`no ${type} whose construct path ends with ${pathSuffix}`);
  }
  return `\${${type}.${entry[0]}.${attribute}}`;
}

/** Parses a JSON policy document out of a resource argument. */
export function policyOf(json: string): { Statement: any[] } {
  return JSON.parse(json);
}
