import { CheckSeverity, ConstructRule } from '../../rule';

/** An alarmHttpsEndpoint given as a literal URL that looks like it carries a key. */
export const MON_KEY_IN_ENDPOINT: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-KEY-IN-ENDPOINT',
  severity: CheckSeverity.ERROR,
  title: 'Literal alarm HTTPS endpoint with a key in its URL',
  rationale: 'The key is written to the synthesized Terraform JSON and the state, where anyone who can read either can use it.',
  fix: 'Pass alarmHttpsEndpoint of MonitoringStack as a sensitive TerraformVariable instead of a literal URL.',
};
