import { CheckSeverity, TerraformRule } from '../../rule';
import { IDENTITY_POLICY_TYPES, statementsOf } from './private/policy-statements';

/** GW-IAM-WILDCARD-ACTION: a policy that allows all of a service's actions (`s3:*`) on every resource. */
export const IAM_WILDCARD_ACTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-IAM-WILDCARD-ACTION',
  severity: CheckSeverity.WARNING,
  title: 'IAM policy allowing a whole service ("svc:*") on "*"',
  rationale: 'A service-wide wildcard on every resource grants deletes and policy changes that the principal never needed.',
  fix: 'List the actions the principal calls, and scope Resource to the ARNs it uses.',
  equivalents: ['checkov CKV_AWS_290', 'checkov CKV_AWS_355', 'trivy AVD-AWS-0057'],
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role', 'data.aws_iam_policy_document'],
  check(subject) {
    const wide = statementsOf(subject)
      .filter((s) => s.effect === 'Allow' && !s.negated && s.resources.includes('*'))
      .flatMap((s) => s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a) && a !== '*:*'));
    return wide.length > 0 ? `${[...new Set(wide)].join(', ')} allowed on Resource "*"` : undefined;
  },
};
