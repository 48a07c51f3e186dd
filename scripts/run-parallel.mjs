// Runs npm scripts side by side (the checks `npm test` makes before jest are independent of
// each other), prints each one's output whole, in the order given, and fails when any fails.
//
//   node scripts/run-parallel.mjs typecheck docgen:check docs:check
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const child = spawn('npm', ['run', '-s', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('close', (code) => resolve({ script, code, output }));
    }),
);
let failed = false;
for (const run of runs) {
  const { script, code, output } = await run;
  console.log(`> ${script}${code === 0 ? '' : ` (failed, exit ${code})`}`);
  if (output.trim()) console.log(output.trimEnd());
  failed ||= code !== 0;
}
process.exit(failed ? 1 : 0);
