import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-STACK-LOCAL-BACKEND: a staging or production stack whose state stays on the machine that applied it. */
export const STACK_LOCAL_BACKEND: TerraformRule = {
  kind: 'terraform',
  id: 'GW-STACK-LOCAL-BACKEND',
  severity: CheckSeverity.ERROR,
  title: 'Staging or production stack with a local state backend',
  rationale: 'Local state lives on one disk or one CI runner: the next apply from elsewhere tries to recreate everything, and state holds secrets unencrypted.',
  fix: 'Give the stack a remote, encrypted, locked backend: StateBackend.s3(stack, { bucketName, region }).',
  resourceTypes: [],
  check(_stack, context) {
    if (context.environment !== 'staging' && context.environment !== 'production') return undefined;
    return context.backend === 'local' ? `the ${context.environment} stack keeps its state in a local file` : undefined;
  },
};
