import { TerraformRule } from '../../rule';
import { ALB_HTTP_LISTENER } from './alb-http-listener';
import { ALB_INVALID_HEADERS_KEPT } from './alb-invalid-headers-kept';
import { ALB_NO_ACCESS_LOGS } from './alb-no-access-logs';
import { ALB_OUTDATED_TLS_POLICY } from './alb-outdated-tls-policy';
import { ALB_PUBLIC_NO_WAF } from './alb-public-no-waf';
import { EKS_NO_CONTROL_PLANE_LOGS } from './eks-no-control-plane-logs';
import { EKS_NO_SECRETS_ENCRYPTION } from './eks-no-secrets-encryption';
import { ELASTICACHE_UNENCRYPTED } from './elasticache-unencrypted';
import { IAM_ADMIN_POLICY } from './iam-admin-policy';
import { IAM_WILDCARD_ACTION } from './iam-wildcard-action';
import { KMS_NO_ROTATION } from './kms-no-rotation';
import { LOGS_NO_KMS_ENCRYPTION } from './logs-no-kms-encryption';
import { LOGS_NO_RETENTION } from './logs-no-retention';
import { RDS_NO_BACKUPS } from './rds-no-backups';
import { RDS_NO_DELETION_PROTECTION } from './rds-no-deletion-protection';
import { RDS_NO_FINAL_SNAPSHOT } from './rds-no-final-snapshot';
import { RDS_NO_IAM_AUTH } from './rds-no-iam-auth';
import { RDS_PUBLIC } from './rds-public';
import { RDS_UNENCRYPTED } from './rds-unencrypted';
import { S3_NO_KMS_ENCRYPTION } from './s3-no-kms-encryption';
import { S3_NO_VERSIONING } from './s3-no-versioning';
import { S3_PUBLIC_ACCESS_NOT_BLOCKED } from './s3-public-access-not-blocked';
import { SG_NO_DESCRIPTION } from './sg-no-description';
import { SG_OPEN_TO_WORLD } from './sg-open-to-world';
import { SNS_NO_KMS_ENCRYPTION } from './sns-no-kms-encryption';
import { STACK_LOCAL_BACKEND } from './stack-local-backend';
import { STACK_STATE_UNENCRYPTED } from './stack-state-unencrypted';
import { WAF_ACL_NO_LOGGING } from './waf-acl-no-logging';

/** The rules over synthesized Terraform resources (one file each), by ID. */
export const TERRAFORM_RULES: TerraformRule[] = [
  ALB_HTTP_LISTENER,
  ALB_INVALID_HEADERS_KEPT,
  ALB_NO_ACCESS_LOGS,
  ALB_OUTDATED_TLS_POLICY,
  ALB_PUBLIC_NO_WAF,
  EKS_NO_CONTROL_PLANE_LOGS,
  EKS_NO_SECRETS_ENCRYPTION,
  ELASTICACHE_UNENCRYPTED,
  IAM_ADMIN_POLICY,
  IAM_WILDCARD_ACTION,
  KMS_NO_ROTATION,
  LOGS_NO_KMS_ENCRYPTION,
  LOGS_NO_RETENTION,
  RDS_NO_BACKUPS,
  RDS_NO_DELETION_PROTECTION,
  RDS_NO_FINAL_SNAPSHOT,
  RDS_NO_IAM_AUTH,
  RDS_PUBLIC,
  RDS_UNENCRYPTED,
  S3_NO_KMS_ENCRYPTION,
  S3_NO_VERSIONING,
  S3_PUBLIC_ACCESS_NOT_BLOCKED,
  SG_NO_DESCRIPTION,
  SG_OPEN_TO_WORLD,
  SNS_NO_KMS_ENCRYPTION,
  STACK_LOCAL_BACKEND,
  STACK_STATE_UNENCRYPTED,
  WAF_ACL_NO_LOGGING,
];
