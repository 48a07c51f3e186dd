import { CheckSeverity, ConstructRule } from '../../rule';

/** A PostgreSQL major whose RDS standard support ends within the next release cycles. */
export const PG_STANDARD_SUPPORT_ENDING: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-STANDARD-SUPPORT-ENDING',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL major version near the end of RDS standard support',
  rationale:
    'After the end of standard support RDS moves the instance to Extended Support, charged per vCPU-hour, or, with Extended ' +
    'Support declined, upgrades the major version in a maintenance window: either way a date to plan the upgrade for.',
  fix: 'Plan the major version upgrade (engineVersion, with allowMajorVersionUpgrade for the one apply) before the date the warning names.',
};
