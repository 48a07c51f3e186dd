import { CheckSeverity, ConstructRule } from '../rule';

/** An acknowledgement that covers no finding: stale, misplaced, or naming no rule. */
export const CHECKS_UNUSED_ACKNOWLEDGEMENT: ConstructRule = {
  kind: 'construct',
  id: 'GW-CHECKS-UNUSED-ACKNOWLEDGEMENT',
  severity: CheckSeverity.WARNING,
  title: 'Acknowledgement that matches no finding',
  rationale: 'A stale acknowledgement would silently cover the next, unrelated finding of that rule on the same scope.',
  fix: 'Remove the Checks.acknowledge call, or move it to the construct that has the finding.',
};
