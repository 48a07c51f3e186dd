import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  ACM_CERTIFICATE_ARN_PATTERN as ACM_CERTIFICATE_ARN,
  IAM_POLICY_ARN_PATTERN as IAM_POLICY_ARN,
  IAM_PRINCIPAL_ARN_PATTERN as IAM_PRINCIPAL_ARN,
} from '../../core/private/aws-patterns';
import { invalidProp } from '../../core/private/errors';

// EKS cluster names: the pattern is shared with VpcStack and the bootstrap stack (lib/core).
export { EKS_CLUSTER_NAME_PATTERN } from '../../core/private/aws-patterns';

/** A Kubernetes minor version as EKS takes it, e.g. `1.35`. */
export const KUBERNETES_VERSION_PATTERN = /^1\.\d{2}$/;

/** True when the list allows every IPv4 address. */
export function includesAnywhere(cidrs: string[]): boolean {
  return !Token.isUnresolved(cidrs) && cidrs.includes('0.0.0.0/0');
}

/**
 * Throws unless `arn` is an ACM certificate ARN in the stack's partition and region (an ALB
 * only takes certificates from ACM in its own region).
 */
export function checkCertificateArn(scope: IConstruct, arn: string, partition: string, region: string): void {
  if (Token.isUnresolved(arn)) return;
  const match = ACM_CERTIFICATE_ARN.exec(arn);
  if (!match) {
    invalidProp(
      scope,
      'certificateArn',
      'be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); IAM server certificates are not supported',
      arn,
    );
  }
  if (match[1] !== partition || match[2] !== region) {
    invalidProp(scope, 'certificateArn', `be an ACM certificate in the stack's region ${region} (a load balancer only uses certificates from its own region)`, arn);
  }
}

/** Throws unless every entry is the ARN of an IAM role or user (what EKS access entries take). */
export function checkPrincipalArns(scope: IConstruct, property: string, arns: string[]): void {
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (arn.includes(':assumed-role/')) {
      invalidProp(scope, property, 'contain IAM role or user ARNs; use the role ARN (arn:aws:iam::<account>:role/<name>), not an STS assumed-role session', arn);
    }
    if (!IAM_PRINCIPAL_ARN.test(arn)) {
      invalidProp(scope, property, 'contain IAM role or user ARNs (arn:aws:iam::<account>:role/<name> or :user/<name>)', arn);
    }
  }
  if (new Set(arns).size !== arns.length) {
    invalidProp(scope, property, 'not repeat a principal', arns);
  }
}

/** Throws unless every entry is an IAM managed policy ARN. */
export function checkPolicyArns(scope: IConstruct, property: string, arns: string[]): void {
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (!IAM_POLICY_ARN.test(arn)) {
      invalidProp(scope, property, 'contain IAM managed policy ARNs (arn:aws:iam::<account or aws>:policy/<name>)', arn);
    }
  }
  if (new Set(arns).size !== arns.length) {
    invalidProp(scope, property, 'not repeat a policy', arns);
  }
}


/** Throws when a list (subnets, zones) holds fewer than two entries; skipped when the list is a token. */
export function checkAtLeastTwo(scope: IConstruct, property: string, values: string[], rule: string): void {
  if (Token.isUnresolved(values)) return;
  if (values.length < 2) {
    invalidProp(scope, property, rule, values);
  }
}
