// Runs the offline harness's checkStack on several stacks at once, one Node process per stack
// (the harness drives terraform synchronously), as many at a time as the machine has cores.
//
//   node check-stacks-parallel.cjs '<json: [{ "dir": ..., "options": {...} }, ...]>'
// prints a JSON array of results (or { "error": message } per failed stack), in input order.
'use strict';

const { spawn } = require('child_process');
const os = require('os');
const harness = require('./offline-terraform.cjs');

if (process.argv[2] === '--one') {
  const { dir, options } = JSON.parse(process.argv[3]);
  let out;
  try {
    out = harness.checkStack(dir, options);
  } catch (e) {
    out = { error: e.message };
  }
  process.stdout.write(JSON.stringify(out));
  return;
}

const jobs = JSON.parse(process.argv[2]);
const results = new Array(jobs.length);
let next = 0;
function startNext() {
  if (next >= jobs.length) return Promise.resolve();
  const index = next++;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, '--one', JSON.stringify(jobs[index])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => {
      try {
        results[index] = JSON.parse(stdout);
      } catch {
        results[index] = { error: `checking ${jobs[index].dir} exited ${code} without a result` };
      }
      resolve();
    });
  }).then(startNext);
}
const lanes = Math.max(1, Math.min(jobs.length, os.cpus().length));
Promise.all(Array.from({ length: lanes }, startNext)).then(() => process.stdout.write(JSON.stringify(results)));
