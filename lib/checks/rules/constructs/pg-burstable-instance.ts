import { CheckSeverity, ConstructRule } from '../../rule';

/** A production database on a burstable (db.t*) instance class. */
export const PG_BURSTABLE_INSTANCE: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-BURSTABLE-INSTANCE',
  severity: CheckSeverity.WARNING,
  title: 'Burstable PostgreSQL instance class in production',
  rationale: 'Sustained load exhausts the CPU credits, after which the instance runs at its baseline or, in unlimited mode, bills surplus credits.',
  fix: 'Set instanceClass on PostgresWithBackups to a db.m* or db.r* class in production.',
};
