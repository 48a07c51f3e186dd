import { Testing } from 'cdktf';
import { registerOfflineTerraformMatchers } from './terraform-matchers';

// cdktf's own matchers: toHaveResource, toHaveResourceWithProperties, ...
Testing.setupJest();
// Then ours, which replace cdktf's toBeValidTerraform / toPlanSuccessfully: cdktf's run
// `terraform init` against the public registry with the machine's CLI config.
registerOfflineTerraformMatchers();

// The examples run the rule pack, which prints a summary per stack and chart at every synth.
// Keep those lines out of the test log; test/checks asserts the printing itself (with its own
// console.log spy, which replaces this filter while it is installed).
const consoleLog = console.log.bind(console);
console.log = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('groundwork checks: ')) return;
  consoleLog(...args);
};
