// `npm run plan`: synthesizes the example app, then runs terraform init and plan,
// fully offline, for every stack that uses only the AWS provider. Prints a summary per
// stack and exits non-zero on any error, or when terraform or the provider mirror is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const harness = require('./lib/offline-terraform.cjs');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outdir = path.join(root, 'cdktf.out');
const app = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app;

function fail(message) {
  console.error(`offline plan: FAILED — ${message}`);
  process.exit(1);
}

let env;
try {
  env = harness.prepareOfflineEnvironment();
} catch (e) {
  fail(e.message);
}

const appEntry = app.replace(/^node\s+/, '');
if (!fs.existsSync(path.join(root, appEntry))) {
  fail(`${appEntry} does not exist: run \`npm run build\` first (npm run synth does both)`);
}
fs.rmSync(outdir, { recursive: true, force: true });
execFileSync('node', [appEntry], { cwd: root, stdio: 'inherit', env: { ...process.env, CDKTF_OUTDIR: outdir } });

const stacks = harness.listStacks(outdir);
if (stacks.length === 0) fail('the example app synthesized no stacks');
const planned = [];
let errors = 0;
for (const stack of stacks) {
  if (!stack.awsOnly) {
    console.log(`- ${stack.name}: skipped (providers ${stack.providers.join(', ')} are not in the offline mirror; checked by synth and tests)`);
    continue;
  }
  try {
    // The options of the tests' toPlanSuccessfully (the plan validates the configuration; the
    // counts come from its summary line), so a stack `npm test` planned already, byte for byte
    // the same, is taken from the result cache instead of being planned again.
    const r = harness.checkStack(stack.dir, { env, plan: true, validate: false, show: false });
    planned.push(r);
    const how = r.cached ? 'the stored result of an identical earlier plan' : `${r.seconds.toFixed(1)} s`;
    console.log(`- ${r.name}: valid; plan: ${r.toAdd} to add, ${r.toChange} to change, ${r.toDestroy} to destroy (${how})`);
  } catch (e) {
    errors += 1;
    console.error(`- ${stack.name}: ERROR\n${e.message}`);
  }
}
if (errors > 0) fail(`${errors} stack(s) failed`);
if (planned.length === 0) fail('no stack could be planned offline');
const stored = planned.filter((r) => r.cached).length;
const fromCache = stored > 0 ? ` (${stored} from the result cache)` : '';
console.log(`offline plan: OK — ${planned.length} stack(s) planned${fromCache}, ${planned.reduce((s, r) => s + r.toAdd, 0)} resources to add`);
