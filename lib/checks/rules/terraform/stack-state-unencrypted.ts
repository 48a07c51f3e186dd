import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-STACK-STATE-UNENCRYPTED: an S3 state backend that does not ask for server-side encryption. */
export const STACK_STATE_UNENCRYPTED: TerraformRule = {
  kind: 'terraform',
  id: 'GW-STACK-STATE-UNENCRYPTED',
  severity: CheckSeverity.ERROR,
  title: 'S3 state backend without encrypt = true',
  rationale: 'Terraform state holds every attribute of every resource, generated passwords and tokens included.',
  fix: 'Use StateBackend.s3(stack, ...), or set encrypt = true (and kms_key_id) on the S3 backend.',
  resourceTypes: [],
  check(_stack, context) {
    if (context.backend !== 's3') return undefined;
    return context.backendConfig.encrypt === true ? undefined : 'the S3 backend does not set encrypt = true';
  },
};
