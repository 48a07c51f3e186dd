// API compatibility with the last release: jsii-diff between the released assembly, kept in the
// repository (release/api-baseline.jsii, since CI is offline), and the one `npm run build` just
// made (.jsii).
//
// A breaking change (a removed or renamed type, prop or method, a prop made required, a
// narrowed type) fails the check unless package.json's major version is above the baseline's.
// The versioning policy in the README says what else counts as breaking.
//
//   node scripts/api-compat.mjs            compare, exit 1 on a breaking change without a major bump
//   node scripts/api-compat.mjs --update   make the current assembly the baseline (after a release)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const baselineFile = path.join(root, 'release', 'api-baseline.jsii');
const currentFile = path.join(root, '.jsii');
if (!fs.existsSync(currentFile)) {
  console.error('api-compat: .jsii is missing; run `npm run build` first.');
  process.exit(1);
}
if (process.argv.includes('--update')) {
  fs.copyFileSync(currentFile, baselineFile);
  console.log(`api-compat: release/api-baseline.jsii is now ${JSON.parse(fs.readFileSync(currentFile, 'utf8')).version}`);
  process.exit(0);
}

const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
const current = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// jsii-diff reads an assembly from a package directory and resolves its dependencies (cdktf,
// cdk8s, constructs) from there: a throwaway directory with the baseline and our node_modules.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-baseline-'));
fs.copyFileSync(baselineFile, path.join(dir, '.jsii'));
fs.writeFileSync(
  path.join(dir, 'package.json'),
  JSON.stringify({ name: baseline.name, version: baseline.version, types: 'index.d.ts', jsii: { outdir: 'dist', targets: {} }, peerDependencies: baseline.dependencies }),
);
fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'jsii-diff', 'bin', 'jsii-diff'), '--keys', dir, root], {
  encoding: 'utf8',
});
fs.rmSync(dir, { recursive: true, force: true });
const output = `${run.stdout}${run.stderr}`
  .split('\n')
  .filter((line) => !line.startsWith('!!'))
  .join('\n')
  .trim();
if (output) console.log(output);

const major = (version) => Number(String(version).split('.')[0]);
if (run.status === 0) {
  console.log(`api-compat: no breaking change since ${baseline.version} (now ${current.version})`);
} else if (run.status === 1 && major(current.version) > major(baseline.version)) {
  console.log(`api-compat: breaking changes since ${baseline.version}, allowed by the major version ${current.version}`);
} else {
  console.error(
    run.status === 1
      ? `api-compat: breaking changes since ${baseline.version} need a major version above ${major(baseline.version)} (package.json says ${current.version}), or must be undone`
      : `api-compat: jsii-diff failed (exit ${run.status})`,
  );
  process.exit(1);
}
