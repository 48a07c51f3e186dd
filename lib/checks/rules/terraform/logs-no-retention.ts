import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-LOGS-NO-RETENTION: a CloudWatch log group that keeps its logs forever. */
export const LOGS_NO_RETENTION: TerraformRule = {
  kind: 'terraform',
  id: 'GW-LOGS-NO-RETENTION',
  severity: CheckSeverity.WARNING,
  title: 'CloudWatch log group without retention',
  rationale: 'Logs kept forever grow cost without bound and keep personal data longer than any policy allows.',
  fix: 'Set retention_in_days (LogGroup takes it from the environment preset).',
  equivalents: ['checkov CKV_AWS_66'],
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(group) {
    const days = group.config.retention_in_days;
    return days === undefined || days === 0 ? 'retention_in_days is not set: logs never expire' : undefined;
  },
};
