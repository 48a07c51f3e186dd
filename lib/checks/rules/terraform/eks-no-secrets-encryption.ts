import { CheckSeverity, TerraformRule } from '../../rule';
import { blocks } from './private/helpers';

/** GW-EKS-NO-SECRETS-ENCRYPTION: an EKS cluster without envelope encryption of Secrets. */
export const EKS_NO_SECRETS_ENCRYPTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-EKS-NO-SECRETS-ENCRYPTION',
  severity: CheckSeverity.ERROR,
  title: 'EKS cluster without KMS envelope encryption of Secrets',
  rationale: 'Kubernetes Secrets are then protected in etcd only by the control plane\'s own keys, with no key policy or audit of your own.',
  fix: 'Use AppCluster, or add encryption_config with resources ["secrets"] and a customer-managed key.',
  equivalents: ['checkov CKV_AWS_58', 'trivy AVD-AWS-0039'],
  resourceTypes: ['aws_eks_cluster'],
  check(cluster) {
    const covered = blocks(cluster.config.encryption_config).some((c) => Array.isArray(c.resources) && c.resources.includes('secrets'));
    return covered ? undefined : 'no encryption_config covers secrets';
  },
};
