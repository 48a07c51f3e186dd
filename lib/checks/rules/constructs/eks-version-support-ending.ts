import { CheckSeverity, ConstructRule } from '../../rule';

/** An AppCluster on a Kubernetes version whose EKS standard support has ended or ends soon. */
export const EKS_VERSION_SUPPORT_ENDING: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-VERSION-SUPPORT-ENDING',
  severity: CheckSeverity.WARNING,
  title: 'Kubernetes version at or past the end of EKS standard support',
  rationale:
    'After standard support EKS either upgrades the control plane itself (supportType STANDARD), which the next Terraform plan fights, ' +
    'or bills extended support per cluster hour (EXTENDED) until that ends too.',
  fix: 'Raise kubernetesVersion to a version in standard support, one minor version at a time.',
};
