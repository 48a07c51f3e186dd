import { CheckSeverity, TerraformRule } from '../../rule';
import { IDENTITY_POLICY_TYPES, statementsOf } from './private/policy-statements';

/** GW-IAM-ADMIN-POLICY: a policy that allows every action on every resource. */
export const IAM_ADMIN_POLICY: TerraformRule = {
  kind: 'terraform',
  id: 'GW-IAM-ADMIN-POLICY',
  severity: CheckSeverity.ERROR,
  title: 'IAM policy allowing "*" on "*"',
  rationale: 'Full administrator rights let anyone who obtains the principal\'s credentials do anything in the account.',
  fix: 'List the actions and resource ARNs the principal needs; keep administrator access to human break-glass roles outside this code.',
  equivalents: ['checkov CKV_AWS_1', 'checkov CKV_AWS_62', 'trivy AVD-AWS-0057'],
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role', 'data.aws_iam_policy_document'],
  check(subject) {
    const admin = statementsOf(subject).some(
      (s) => s.effect === 'Allow' && !s.negated && s.actions.some((a) => a === '*' || a === '*:*') && s.resources.includes('*'),
    );
    return admin ? 'a statement allows Action "*" on Resource "*"' : undefined;
  },
};
