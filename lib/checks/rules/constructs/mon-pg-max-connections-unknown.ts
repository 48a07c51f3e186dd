import { CheckSeverity, ConstructRule } from '../../rule';

/** A watched database whose max_connections parameter is a formula or a token. */
export const MON_PG_MAX_CONNECTIONS_UNKNOWN: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-PG-MAX-CONNECTIONS-UNKNOWN',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL max_connections that is not a plain number',
  rationale: 'Without a known connection limit there is no ConnectionsHigh alarm, so running out of connections goes unannounced.',
  fix: 'Set max_connections in the parameters of PostgresWithBackups to a plain number, or leave it out for the RDS default.',
};
