/** A minimal IAM policy statement, serialized with JSON.stringify into policy documents. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Serializes statements into an IAM policy document. Keys keep their order, so plans stay stable. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust policy that lets an AWS service assume the role. */
export function serviceTrustPolicy(service: string, options: { tagSession?: boolean } = {}): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      // EKS Auto Mode tags the sessions it opens with the cluster role.
      Action: options.tagSession ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole',
    },
  ]);
}

/** The condition that lets a key be used only through Secrets Manager in `region` (kms:ViaService). */
export function viaSecretsManager(region: string): { StringEquals: { 'kms:ViaService': string } } {
  return { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } };
}
