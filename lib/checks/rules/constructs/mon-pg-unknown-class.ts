import { CheckSeverity, ConstructRule } from '../../rule';

/** A watched database whose instance class the alarm size table does not know. */
export const MON_PG_UNKNOWN_CLASS: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-PG-UNKNOWN-CLASS',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance class missing from the size table',
  rationale: 'FreeableMemoryLow falls back to a fixed floor and ConnectionsHigh may be missing, so memory or connection exhaustion can go unannounced.',
  fix: 'Use an instance class the table lists, or set a numeric max_connections parameter on PostgresWithBackups.',
};
