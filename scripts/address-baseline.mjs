// `npm run addresses`: adds the example apps' current resource addresses to the committed
// baseline (test/examples/address-baseline.json). It only ever adds: an address that a change
// removed stays in the baseline, and the address-stability test keeps failing until the change
// ships a moved block for it. Run it when a release adds resources, after `npm run build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { addressesOf } = require('./lib/addresses.cjs');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const baselineFile = path.join(root, 'test/examples/address-baseline.json');
const examples = ['dist/examples/production/main.js', 'dist/examples/minimal/main.js'];

const baseline = fs.existsSync(baselineFile) ? JSON.parse(fs.readFileSync(baselineFile, 'utf8')) : {};
let added = 0;
for (const entry of examples) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'addresses-'));
  const run = spawnSync(process.execPath, [path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(`${entry} failed:\n${run.stderr}`);
    process.exit(1);
  }
  for (const [stack, { resources }] of Object.entries(addressesOf(outdir))) {
    const known = new Set(baseline[stack] ?? []);
    for (const address of resources) {
      if (!known.has(address)) {
        known.add(address);
        added++;
      }
    }
    baseline[stack] = [...known].sort();
  }
  fs.rmSync(outdir, { recursive: true, force: true });
}
const sorted = Object.fromEntries(Object.keys(baseline).sort().map((k) => [k, baseline[k]]));
fs.writeFileSync(baselineFile, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`address baseline: ${added} address(es) added, ${Object.values(sorted).flat().length} in all`);
