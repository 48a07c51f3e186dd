import { CheckSeverity, ConstructRule } from '../../rule';

/** A database with Enhanced Monitoring off. */
export const PG_NO_ENHANCED_MONITORING: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-ENHANCED-MONITORING',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance without Enhanced Monitoring',
  rationale: 'Without OS-level metrics (per-process CPU, memory, I/O) a slow database is hard to tell from a starved host.',
  fix: 'Set monitoringIntervalSeconds on PostgresWithBackups to 1, 5, 10, 15, 30 or 60 (60 by default).',
  equivalents: ['checkov CKV_AWS_118'],
};
