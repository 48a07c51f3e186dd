// Prints the CHANGELOG.md section of a version (the release notes), or fails when there is none:
// a release without its changelog section is refused.
//
//   node scripts/changelog-section.mjs 0.2.0
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const version = (process.argv[2] ?? '').replace(/^v/, '');
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  console.error(`changelog-section: give a version such as 0.2.0, got "${process.argv[2] ?? ''}"`);
  process.exit(1);
}
const lines = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8').split('\n');
const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
if (start < 0) {
  console.error(`changelog-section: CHANGELOG.md has no "## [${version}]" section; write it before tagging v${version}`);
  process.exit(1);
}
const end = lines.findIndex((line, i) => i > start && line.startsWith('## ['));
const body = lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
if (!body) {
  console.error(`changelog-section: the "## [${version}]" section of CHANGELOG.md is empty`);
  process.exit(1);
}
console.log(body);
