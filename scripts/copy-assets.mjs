// Copies the files the library reads at synth beside its compiled JavaScript: jsii compiles
// only TypeScript, and the database jobs ship their shell and SQL scripts in a ConfigMap.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const assetDirs = ['lib/database-jobs/scripts'];
for (const dir of assetDirs) {
  const target = path.join(root, 'dist', dir);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(root, dir), target, { recursive: true });
}
