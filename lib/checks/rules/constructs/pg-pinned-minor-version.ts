import { CheckSeverity, ConstructRule } from '../../rule';

/** A database pinned to a minor version that RDS upgrades on its own. */
export const PG_PINNED_MINOR_VERSION: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-PINNED-MINOR-VERSION',
  severity: CheckSeverity.WARNING,
  title: 'Minor engine version pinned while automatic minor upgrades are on',
  rationale: 'After RDS upgrades the minor version, every later plan tries to downgrade the instance to the pinned version.',
  fix: 'Give engineVersion on PostgresWithBackups as the major version only (e.g. "16"), or turn autoMinorVersionUpgrade off.',
};
