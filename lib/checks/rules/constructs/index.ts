import { ConstructRule } from '../../rule';
import { ALB_NO_DELETION_PROTECTION } from './alb-no-deletion-protection';
import { DB_JOBS_TLS_UNVERIFIED } from './db-jobs-tls-unverified';
import { EKS_IDLE_LOAD_BALANCER } from './eks-idle-load-balancer';
import { EKS_NO_ADMIN } from './eks-no-admin';
import { EKS_NO_API_PATH } from './eks-no-api-path';
import { EKS_POD_SG_INSTANCE_TYPE } from './eks-pod-sg-instance-type';
import { EKS_PUBLIC_ENDPOINT_OPEN } from './eks-public-endpoint-open';
import { EKS_SPOT_SINGLE_TYPE } from './eks-spot-single-type';
import { EKS_VERSION_SUPPORT_ENDING } from './eks-version-support-ending';
import { K8S_INTERNAL_LB_SOURCE } from './k8s-internal-lb-source';
import { K8S_NO_AWS_API_EGRESS } from './k8s-no-aws-api-egress';
import { K8S_NO_INGRESS_SOURCE } from './k8s-no-ingress-source';
import { K8S_NO_PRESTOP_SLEEP } from './k8s-no-prestop-sleep';
import { K8S_NO_RATE_LIMIT } from './k8s-no-rate-limit';
import { K8S_PDB_NO_PROTECTION } from './k8s-pdb-no-protection';
import { K8S_SAME_PROBE_PATH } from './k8s-same-probe-path';
import { K8S_TOKEN_AUTOMOUNT } from './k8s-token-automount';
import { MON_CRITICAL_NOT_PAGED } from './mon-critical-not-paged';
import { MON_KEY_IN_ENDPOINT } from './mon-key-in-endpoint';
import { MON_NO_SUBSCRIPTIONS } from './mon-no-subscriptions';
import { MON_PG_MAX_CONNECTIONS_UNKNOWN } from './mon-pg-max-connections-unknown';
import { MON_PG_STORAGE_UNKNOWN } from './mon-pg-storage-unknown';
import { MON_PG_UNKNOWN_CLASS } from './mon-pg-unknown-class';
import { MON_REDIS_UNKNOWN_NODE_TYPE } from './mon-redis-unknown-node-type';
import { MON_WAF_COUNT_ONLY } from './mon-waf-count-only';
import { MON_WARNINGS_PAGED } from './mon-warnings-paged';
import { PG_BURSTABLE_INSTANCE } from './pg-burstable-instance';
import { PG_NO_AWS_BACKUP } from './pg-no-aws-backup';
import { PG_NO_BACKUPS } from './pg-no-backups';
import { PG_NO_DELETION_PROTECTION } from './pg-no-deletion-protection';
import { PG_NO_DR_COPY } from './pg-no-dr-copy';
import { PG_NO_ENHANCED_MONITORING } from './pg-no-enhanced-monitoring';
import { PG_NO_FINAL_SNAPSHOT } from './pg-no-final-snapshot';
import { PG_NO_PERFORMANCE_INSIGHTS } from './pg-no-performance-insights';
import { PG_NO_PG_STAT_STATEMENTS } from './pg-no-pg-stat-statements';
import { PG_PINNED_MINOR_VERSION } from './pg-pinned-minor-version';
import { PG_SINGLE_AZ } from './pg-single-az';
import { PG_STANDARD_SUPPORT_ENDING } from './pg-standard-support-ending';
import { PG_TLS_NOT_FORCED } from './pg-tls-not-forced';
import { PG_USER_NOT_CREATED } from './pg-user-not-created';
import { REDIS_BURSTABLE_NODE } from './redis-burstable-node';
import { REDIS_NO_FAILOVER } from './redis-no-failover';
import { REDIS_NO_FINAL_SNAPSHOT } from './redis-no-final-snapshot';
import { REDIS_NO_SNAPSHOTS } from './redis-no-snapshots';
import { REDIS_SINGLE_AZ } from './redis-single-az';
import { REDIS_TOKEN_IN_STATE } from './redis-token-in-state';
import { VPC_NO_FLOW_LOGS } from './vpc-no-flow-logs';
import { VPC_NO_NAT } from './vpc-no-nat';
import { WAF_BROAD_ALLOWLIST } from './waf-broad-allowlist';
import { WAF_CAPACITY_PRICING } from './waf-capacity-pricing';
import { WAF_COUNT_ONLY } from './waf-count-only';
import { WAF_DEFAULT_GROUP_REMOVED } from './waf-default-group-removed';
import { WAF_GROUP_COUNT_ONLY } from './waf-group-count-only';
import { WAF_LOG4J_OVERRIDDEN } from './waf-log4j-overridden';
import { WAF_NO_BODY_LIMIT } from './waf-no-body-limit';
import { WAF_NO_LOGGING } from './waf-no-logging';
import { WAF_NO_RATE_LIMIT } from './waf-no-rate-limit';
import { WAF_PAID_GROUP_UNSCOPED } from './waf-paid-group-unscoped';

/** The rules that the library's constructs report while they are built (one file each), sorted by ID. */
export const CONSTRUCT_RULES: ConstructRule[] = [
  ALB_NO_DELETION_PROTECTION,
  DB_JOBS_TLS_UNVERIFIED,
  EKS_IDLE_LOAD_BALANCER,
  EKS_NO_ADMIN,
  EKS_NO_API_PATH,
  EKS_POD_SG_INSTANCE_TYPE,
  EKS_PUBLIC_ENDPOINT_OPEN,
  EKS_SPOT_SINGLE_TYPE,
  EKS_VERSION_SUPPORT_ENDING,
  K8S_INTERNAL_LB_SOURCE,
  K8S_NO_AWS_API_EGRESS,
  K8S_NO_INGRESS_SOURCE,
  K8S_NO_PRESTOP_SLEEP,
  K8S_NO_RATE_LIMIT,
  K8S_PDB_NO_PROTECTION,
  K8S_SAME_PROBE_PATH,
  K8S_TOKEN_AUTOMOUNT,
  MON_CRITICAL_NOT_PAGED,
  MON_KEY_IN_ENDPOINT,
  MON_NO_SUBSCRIPTIONS,
  MON_PG_MAX_CONNECTIONS_UNKNOWN,
  MON_PG_STORAGE_UNKNOWN,
  MON_PG_UNKNOWN_CLASS,
  MON_REDIS_UNKNOWN_NODE_TYPE,
  MON_WAF_COUNT_ONLY,
  MON_WARNINGS_PAGED,
  PG_BURSTABLE_INSTANCE,
  PG_NO_AWS_BACKUP,
  PG_NO_BACKUPS,
  PG_NO_DELETION_PROTECTION,
  PG_NO_DR_COPY,
  PG_NO_ENHANCED_MONITORING,
  PG_NO_FINAL_SNAPSHOT,
  PG_NO_PERFORMANCE_INSIGHTS,
  PG_NO_PG_STAT_STATEMENTS,
  PG_PINNED_MINOR_VERSION,
  PG_SINGLE_AZ,
  PG_STANDARD_SUPPORT_ENDING,
  PG_TLS_NOT_FORCED,
  PG_USER_NOT_CREATED,
  REDIS_BURSTABLE_NODE,
  REDIS_NO_FAILOVER,
  REDIS_NO_FINAL_SNAPSHOT,
  REDIS_NO_SNAPSHOTS,
  REDIS_SINGLE_AZ,
  REDIS_TOKEN_IN_STATE,
  VPC_NO_FLOW_LOGS,
  VPC_NO_NAT,
  WAF_BROAD_ALLOWLIST,
  WAF_CAPACITY_PRICING,
  WAF_COUNT_ONLY,
  WAF_DEFAULT_GROUP_REMOVED,
  WAF_GROUP_COUNT_ONLY,
  WAF_LOG4J_OVERRIDDEN,
  WAF_NO_BODY_LIMIT,
  WAF_NO_LOGGING,
  WAF_NO_RATE_LIMIT,
  WAF_PAID_GROUP_UNSCOPED,
];
