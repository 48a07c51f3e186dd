import { CheckSeverity, ConstructRule } from '../../rule';

/** A database whose shared_preload_libraries leaves out pg_stat_statements. */
export const PG_NO_PG_STAT_STATEMENTS: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-PG-STAT-STATEMENTS',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL without pg_stat_statements preloaded',
  rationale: 'Without it there are no per-query statistics to find the statements behind load or latency.',
  fix: 'Keep pg_stat_statements in the shared_preload_libraries parameter of PostgresWithBackups.',
};
