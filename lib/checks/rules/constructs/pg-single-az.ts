import { CheckSeverity, ConstructRule } from '../../rule';

/** A production database without a Multi-AZ standby. */
export const PG_SINGLE_AZ: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-SINGLE-AZ',
  severity: CheckSeverity.WARNING,
  title: 'Production PostgreSQL instance in a single Availability Zone',
  rationale: 'A zone outage or a host failure takes the database down until RDS replaces it, instead of failing over to a standby.',
  fix: 'Leave multiAz on PostgresWithBackups at the production preset, which turns it on.',
  equivalents: ['checkov CKV_AWS_157'],
};
