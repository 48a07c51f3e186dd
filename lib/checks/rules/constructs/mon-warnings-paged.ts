import { CheckSeverity, ConstructRule } from '../../rule';

/** A MonitoringChart whose routing sends the team's warnings to a PagerDuty receiver. */
export const MON_WARNINGS_PAGED: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-WARNINGS-PAGED',
  severity: CheckSeverity.WARNING,
  title: 'Warnings that page someone',
  rationale: 'Warnings need attention during working hours; paging for each of them (unless the PagerDuty service treats them as low urgency) wakes people for nothing and teaches them to ignore the pager.',
  fix: 'Set alertmanager.defaultReceiver of MonitoringChart to a chat or email receiver (it defaults to the first receiver listed), or route severity warning to one.',
};
