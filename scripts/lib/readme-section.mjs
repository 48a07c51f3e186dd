// Writes a generated block of README.md between its two markers, or with `check` only compares:
// the one place the doc generators (architecture, rule table, recovery objectives) share.
import fs from 'node:fs';

/**
 * Replaces what lies between `start` and `end` (markers kept) with `body`. With `check`, exits 1
 * when README.md differs instead of writing. Returns true when the README was already current.
 */
export function updateReadmeSection({ readmePath, tool, start, end, body, check, current, written }) {
  const readme = fs.readFileSync(readmePath, 'utf8');
  const startAt = readme.indexOf(start);
  const endAt = readme.indexOf(end);
  if (startAt < 0 || endAt < startAt) {
    console.error(`${tool}: README.md has no "${start}" ... "${end}" section`);
    process.exit(1);
  }
  const updated = `${readme.slice(0, startAt + start.length)}\n${body}\n${readme.slice(endAt)}`;
  if (check) {
    if (updated !== readme) {
      console.error(`${tool}: the generated section of README.md is out of date; run \`npm run docs\` and commit README.md.`);
      process.exit(1);
    }
    console.log(current);
  } else {
    fs.writeFileSync(readmePath, updated);
    console.log(written);
  }
}
