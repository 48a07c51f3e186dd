import { CheckSeverity, KubernetesRule } from '../../rule';
import { checkContainers, WORKLOAD_KINDS } from './private/pod-spec';

/** Every container and init container names a version tag other than latest, or a digest. */
export const K8S_IMAGE_NOT_PINNED: KubernetesRule = {
  kind: 'kubernetes',
  id: 'GW-K8S-IMAGE-NOT-PINNED',
  severity: CheckSeverity.WARNING,
  title: 'Container image without a version tag or digest',
  rationale:
    'An untagged or "latest" image changes under a running workload: pods of one Deployment run different code, and ' +
    'a rollback or a rescheduled pod silently pulls whatever was pushed last.',
  fix: 'Name an explicit version tag (registry/app:1.4.2) or a digest (registry/app@sha256:…) in every container\'s image.',
  equivalents: ['kube-score container-image-tag', 'kube-linter latest-tag', 'checkov CKV_K8S_14'],
  objectKinds: WORKLOAD_KINDS,
  check(subject) {
    return checkContainers(subject, { init: true }, (c) => imageProblem(c.container.image));
  },
};

/** Digest algorithm and hex, as the OCI image spec writes them (`sha256:<64 hex>`). */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** What is wrong with an image reference, or undefined when it is pinned. */
function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image.trim() === '') return 'has no image';
  const at = image.indexOf('@');
  if (at >= 0) {
    return DIGEST.test(image.slice(at + 1)) ? undefined : `uses image "${image}", whose digest is malformed`;
  }
  // The tag follows the last colon after the last slash: in `registry:5000/app` the colon is the port's.
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  if (tag === '') return `uses image "${image}" without a tag (it means "latest")`;
  if (tag.toLowerCase() === 'latest') return `uses image "${image}", tagged latest`;
  return undefined;
}
