// Copies the files the library reads at synth beside its compiled JavaScript (jsii compiles
// only TypeScript, and the database jobs ship their shell and SQL scripts in a ConfigMap), and
// the deploy script, which the package ships as its `groundwork-deploy` command.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const assetDirs = ['lib/database-jobs/scripts'];
for (const dir of assetDirs) {
  const target = path.join(root, 'dist', dir);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(root, dir), target, { recursive: true });
}

// The deploy pipeline's script, for consumers: `npx groundwork-deploy <deploy.json>` (package.json
// `bin`). The same file the repository's workflow runs as `node scripts/deploy.mjs`.
const bin = path.join(root, 'dist', 'bin', 'groundwork-deploy.mjs');
fs.mkdirSync(path.dirname(bin), { recursive: true });
fs.copyFileSync(path.join(root, 'scripts', 'deploy.mjs'), bin);
fs.chmodSync(bin, 0o755);
