import { TerraformContext, TerraformSubject } from '../../../rule';

/** True when a configuration value is an expression that refers to `subject` (`${aws_lb.X.arn}`). */
export function refersTo(value: unknown, subject: TerraformSubject): boolean {
  return typeof value === 'string' && (value.startsWith(`\${${subject.address}.`) || value.startsWith(`\${${subject.address}[`));
}

/** The resources of `type` whose `attribute` refers to `subject`. */
export function attachedTo(context: TerraformContext, type: string, attribute: string, subject: TerraformSubject): TerraformSubject[] {
  return context.ofType(type).filter((s) => refersTo(s.config[attribute], subject));
}

/** A nested block as a list: cdktf writes blocks as objects or arrays of objects. */
export function blocks(value: unknown): Array<{ [key: string]: any }> {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'object' && v !== null);
}

/** The world, as a CIDR block. */
export function isWorld(cidr: unknown): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}
