import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-ELASTICACHE-UNENCRYPTED: a replication group without encryption at rest and in transit. */
export const ELASTICACHE_UNENCRYPTED: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ELASTICACHE-UNENCRYPTED',
  severity: CheckSeverity.ERROR,
  title: 'ElastiCache replication group not encrypted at rest and in transit',
  rationale: 'Cached sessions and tokens travel and rest in clear text; neither setting can be turned on in place on older engines.',
  fix: 'Use RedisHA, or set at_rest_encryption_enabled and transit_encryption_enabled to true.',
  equivalents: ['checkov CKV_AWS_29', 'checkov CKV_AWS_30', 'trivy AVD-AWS-0045', 'trivy AVD-AWS-0051'],
  resourceTypes: ['aws_elasticache_replication_group'],
  check(group) {
    const off = ['at_rest_encryption_enabled', 'transit_encryption_enabled'].filter((a) => group.config[a] !== true && group.config[a] !== 'true');
    return off.length > 0 ? `${off.join(' and ')} not true` : undefined;
  },
};
