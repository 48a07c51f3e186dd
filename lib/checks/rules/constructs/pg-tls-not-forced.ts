import { CheckSeverity, ConstructRule } from '../../rule';

/** A database whose rds.force_ssl parameter is not 1. */
export const PG_TLS_NOT_FORCED: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-TLS-NOT-FORCED',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL accepting connections without TLS',
  rationale: 'Clients that do not ask for TLS send credentials and data in clear text across the network.',
  fix: 'Leave rds.force_ssl at "1" (the default) in the parameters of PostgresWithBackups.',
  equivalents: ['checkov CKV2_AWS_69'],
};
