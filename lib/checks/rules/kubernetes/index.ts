import { KubernetesRule } from '../../rule';
import { K8S_IMAGE_NOT_PINNED } from './k8s-image-not-pinned';
import { K8S_NETWORK_POLICY_COVERAGE } from './k8s-network-policy-coverage';
import { K8S_PDB_REPLICAS } from './k8s-pdb-replicas';
import { K8S_POD_SECURITY_CONTEXT } from './k8s-pod-security-context';
import { K8S_PROBES } from './k8s-probes';
import { K8S_READ_ONLY_ROOT_FS } from './k8s-read-only-root-fs';
import { K8S_RESOURCES } from './k8s-resources';

/** The rules over rendered Kubernetes objects (one file each), sorted by ID. */
export const KUBERNETES_RULES: KubernetesRule[] = [
  K8S_IMAGE_NOT_PINNED,
  K8S_NETWORK_POLICY_COVERAGE,
  K8S_PDB_REPLICAS,
  K8S_POD_SECURITY_CONTEXT,
  K8S_PROBES,
  K8S_READ_ONLY_ROOT_FS,
  K8S_RESOURCES,
];
