import { policyDocument } from '../../core/private/policy';

/** The ARN of an AWS managed policy in a partition, e.g. `arn:aws:iam::aws:policy/AmazonEKSClusterPolicy`. */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}


/**
 * A trust policy for IAM roles for service accounts (IRSA): only the named Kubernetes service
 * account, with a token issued for STS, may assume the role through the cluster's OIDC provider.
 *
 * @param oidcProviderArn the IAM OIDC provider of the cluster
 * @param issuerHostPath the issuer URL without `https://` (the prefix of the condition keys)
 * @param namespace the service account's namespace
 * @param serviceAccountName the service account's name
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export function serviceAccountTrustPolicy(
  oidcProviderArn: string,
  issuerHostPath: string,
  namespace: string,
  serviceAccountName: string,
): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${issuerHostPath}:sub`]: `system:serviceaccount:${namespace}:${serviceAccountName}`,
          [`${issuerHostPath}:aud`]: 'sts.amazonaws.com',
        },
      },
    },
  ]);
}

/**
 * A construct ID for something keyed by an ARN (`AdminAccess-role-platform-admin`), so that
 * adding or removing one entry of a list never renames (and so replaces) the others. Falls back
 * to the list index for ARNs that are tokens.
 */
export function idFromArn(prefix: string, arn: string, index: number, isToken: boolean): string {
  if (isToken) return `${prefix}-${index}`;
  const resource = arn.split(':').slice(5).join(':');
  const [kind, ...rest] = resource.split('/');
  const name = rest.length > 0 ? rest[rest.length - 1] : kind;
  return `${prefix}-${rest.length > 0 ? `${kind}-` : ''}${name}`.replace(/[^A-Za-z0-9_+=,.@-]/g, '-');
}
