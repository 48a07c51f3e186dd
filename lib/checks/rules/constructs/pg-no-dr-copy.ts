import { CheckSeverity, ConstructRule } from '../../rule';

/** A production database whose AWS Backup recovery points are not copied to a second region. */
export const PG_NO_DR_COPY: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-NO-DR-COPY',
  severity: CheckSeverity.WARNING,
  title: 'Production PostgreSQL backups kept in one region',
  rationale: 'A regional outage makes every recovery point unreachable when it is needed most.',
  fix: 'Set disasterRecoveryRegion on PostgresWithBackups to copy the recovery points to a second region.',
};
