import { IConstruct } from 'constructs';

/**
 * The construct's path below its stack, as IDs (`['App', 'LoadBalancer']`), from which
 * resource names and aliases are derived so that two constructs in one stack never collide.
 */
export function pathInStack(scope: IConstruct, stack: IConstruct): string[] {
  return scope.node.path.slice(stack.node.path.length + 1).split('/');
}
