import { CheckSeverity, ConstructRule } from '../../rule';

/** A MonitoringStack whose alarm topic nothing in the stack subscribes to. */
export const MON_NO_SUBSCRIPTIONS: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-NO-SUBSCRIPTIONS',
  severity: CheckSeverity.WARNING,
  title: 'Alarm topic without a subscription',
  rationale: 'The alarms fire into a topic that reaches nobody.',
  fix: 'Set alarmEmailAddresses or alarmHttpsEndpoint on MonitoringStack, or subscribe an integration such as AWS Chatbot to the topic.',
};
