// The release job's checks, run locally before tagging: the changelog section of the version,
// API compatibility with the last release, then the packed tarball published with --dry-run.
// (The address-stability test, which the release job runs as part of `npm test`, refuses an
// address lost without a moved block.)
//
//   npm run build && node scripts/release-dry-run.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const step = (title, file, args, options = {}) => {
  console.log(`\n== ${title}`);
  return execFileSync(file, args, { cwd: root, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
};

step(`changelog section of ${version}`, process.execPath, ['scripts/changelog-section.mjs', version]);
step('API compatibility with the last release', process.execPath, ['scripts/api-compat.mjs']);
const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
const packed = JSON.parse(step('npm pack', 'npm', ['pack', '--json', '--pack-destination', packDir], { capture: true }));
const tarball = path.join(packDir, packed[0].filename);
console.log(`${packed[0].filename}: ${packed[0].entryCount} files, ${(packed[0].size / 1024).toFixed(0)} KiB`);
step('npm publish --dry-run of the packed tarball', 'npm', ['publish', '--dry-run', '--access', 'public', tarball]);
fs.rmSync(packDir, { recursive: true, force: true });
console.log(`\nrelease dry run of ${version}: passed`);
