// Fails when the committed API.md differs from what jsii-docgen generates from the current
// .jsii assembly: API.md is generated (npm run docgen), never edited by hand.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-md-')), 'API.md');
execFileSync(path.join(root, 'node_modules', '.bin', 'jsii-docgen'), ['-o', fresh], { cwd: root, stdio: 'inherit' });
const committed = fs.existsSync(path.join(root, 'API.md')) ? fs.readFileSync(path.join(root, 'API.md'), 'utf8') : '';
if (fs.readFileSync(fresh, 'utf8') !== committed) {
  console.error('API.md is stale: the public API changed. Run `npm run docgen` and commit API.md.');
  process.exit(1);
}
console.log('API.md is current.');
