/**
 * AWS identifiers as the services accept them: one pattern each, for every construct that takes
 * one. Partitions: aws, aws-cn and aws-us-gov (the ones a GroundworkStack region can be in).
 */

/** A region name: `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** An EKS cluster name: 1-100 letters, digits, hyphens or underscores, starting with a letter or digit. */
export const EKS_CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** An ACM certificate ARN; groups: partition, region, account, certificate ID. */
export const ACM_CERTIFICATE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):acm:([a-z0-9-]+):(\d{12}):certificate\/([A-Za-z0-9-]+)$/;

/** An IAM role ARN (a path allowed). */
export const IAM_ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** A Secrets Manager secret ARN. */
/** An IAM role or user ARN: the principals an EKS access entry takes. */
export const IAM_PRINCIPAL_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** A managed policy ARN: a customer's (account ID) or AWS's (`aws`). */
export const IAM_POLICY_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;

export const SECRET_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/**
 * A PostgreSQL role that signs in with IAM: lowercase letters, digits and underscores, not
 * starting with a digit, at most 63 characters (an unquoted identifier, as rds_iam users are
 * written in the RDS docs).
 */
export const IAM_DATABASE_USER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * An ElastiCache user ID (and, for IAM authentication, user name): lowercase letters, digits
 * and hyphens, starting with a letter, no "--" and no trailing "-".
 */
export function isElastiCacheUserId(id: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(id) && !id.includes('--') && !id.endsWith('-');
}
