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

// cdktf records where every token was created (a full, unbounded stack trace per token) to
// decorate resolution errors. Under jest, reading a stack runs it through source-map-support,
// which maps each frame from the inline source maps of cdktf's files: measured with
// `node --cpu-prof`, over half of the CPU of a synth-heavy test file. The tests keep a creation
// stack of at most 20 frames, as positions in the compiled JavaScript (not source-mapped), at
// a fraction of the cost; only resolution errors show it, and no test reads it. cdktf calls it
// through its exports object on each call, so replacing the export takes effect for every
// token of the cdktf this file loads (a test that loads cdktf afresh, in
// jest.isolateModules, keeps the original: slower, not different).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');
// A cdktf that moves or renames this private module should fail here, not lose the speed-up unseen.
if (typeof stackTrace.captureStackTrace !== 'function') {
  throw new Error('cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace: update test/support/setup.ts');
}
stackTrace.captureStackTrace = function captureUnmappedStackTrace(below?: (...args: never[]) => unknown): string[] {
  const holder: { stack?: string[] } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.prepareStackTrace = (_error, frames) => frames.map(String);
    Error.stackTraceLimit = 20;
    Error.captureStackTrace(holder, below ?? captureUnmappedStackTrace);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
};
