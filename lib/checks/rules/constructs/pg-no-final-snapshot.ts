import { CheckSeverity, ConstructRule } from '../../rule';

/** A database that keeps no snapshot when it is deleted. */
export const PG_NO_FINAL_SNAPSHOT: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-FINAL-SNAPSHOT',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL instance deleted without a final snapshot',
  rationale: 'Deleting the instance, on purpose or through a plan that replaces it, then keeps no copy of its last state.',
  fix: 'Leave finalSnapshot on (the default) on PostgresWithBackups.',
};
