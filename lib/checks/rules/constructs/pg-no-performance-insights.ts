import { CheckSeverity, ConstructRule } from '../../rule';

/** A database with Performance Insights off. */
export const PG_NO_PERFORMANCE_INSIGHTS: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-PERFORMANCE-INSIGHTS',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance without Performance Insights',
  rationale: 'Without it there is no record of which queries and waits loaded the database, so an incident cannot be traced afterwards.',
  fix: 'Leave performanceInsights on (the default) on PostgresWithBackups.',
  equivalents: ['checkov CKV_AWS_353', 'trivy AVD-AWS-0133'],
};
