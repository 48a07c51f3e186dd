import { CheckSeverity, TerraformRule } from '../../rule';
import { blocks } from './private/helpers';

/** GW-SG-NO-DESCRIPTION: a security group or rule without a description. */
export const SG_NO_DESCRIPTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-SG-NO-DESCRIPTION',
  severity: CheckSeverity.WARNING,
  title: 'Security group or rule without a description',
  rationale: 'A rule nobody can explain is a rule nobody dares remove; descriptions make network reviews possible.',
  fix: 'Give every security group and every rule a description of what it admits and why.',
  equivalents: ['checkov CKV_AWS_23', 'trivy AVD-AWS-0099', 'trivy AVD-AWS-0124'],
  resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'],
  check(subject) {
    const c = subject.config;
    if (subject.type === 'aws_security_group') {
      // Terraform's default, "Managed by Terraform", says nothing.
      if (!c.description || c.description === 'Managed by Terraform') return 'the security group has no description';
      const bare = [...blocks(c.ingress), ...blocks(c.egress)].filter((r) => !r.description).length;
      return bare > 0 ? `${bare} inline rule(s) without a description` : undefined;
    }
    return c.description ? undefined : 'the rule has no description';
  },
};
