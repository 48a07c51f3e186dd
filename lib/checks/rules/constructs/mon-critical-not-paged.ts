import { CheckSeverity, ConstructRule } from '../../rule';

/** A production MonitoringChart whose routing sends the team's critical alerts to no PagerDuty receiver. */
export const MON_CRITICAL_NOT_PAGED: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-CRITICAL-NOT-PAGED',
  severity: CheckSeverity.WARNING,
  title: 'Critical alerts of a production app that page nobody',
  rationale: 'A critical alert that only reaches a chat channel or a mailbox can go unseen until users report the outage.',
  fix: 'Route severity critical to a PagerDuty receiver (AlertReceiver.pagerDuty) in the alertmanager options of MonitoringChart.',
};
