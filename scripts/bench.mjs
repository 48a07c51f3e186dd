// `npm run bench`: synthesizes the example app several times, each in a fresh Node process,
// and prints the median wall time and peak RSS — next to the same app with barrel imports of
// the provider packages, measured in the same run, so the ratio is visible.
//
// A third variant leaves the rule pack out, so the pack's cost is measured in the same run.
//
// Runs alternate between the variants so that machine noise hits all alike.
// BENCH_RUNS sets the number of runs per variant (default 7).
//
// Then the scaling scenario (bench/services.ts): one cluster with N = 1, 10 and 100 services,
// each with a route, a database grant, a workload chart and bootstrap objects. Synthesis must
// grow linearly with N: the run fails when time(100) / time(10) exceeds 11.
// BENCH_SCALE_RUNS sets the runs per N (default 3).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runs = Number(process.env.BENCH_RUNS || 7);
const variants = [
  { name: 'groundwork (deep imports)', entry: 'dist/examples/production/main.js' },
  { name: 'naive (barrel imports)', entry: 'bench/barrel-baseline.cjs' },
  { name: 'groundwork, checks off', entry: 'bench/without-checks.cjs' },
];

for (const v of variants) {
  if (!fs.existsSync(path.join(root, v.entry))) {
    console.error(`bench: ${v.entry} is missing; run \`npm run build\` first (npm run bench does).`);
    process.exit(1);
  }
}

function runOnce(entry) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const rssFile = path.join(tmp, 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', path.join(root, 'scripts/peak-rss.cjs'), entry], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: path.join(tmp, 'cdktf.out'), BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${entry} failed (exit ${result.status}):\n${result.stderr}`);
  }
  const stacks = fs.readdirSync(path.join(tmp, 'cdktf.out', 'stacks'));
  const rssMb = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(tmp, { recursive: true, force: true });
  return { seconds, rssMb, stacks: stacks.length };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// One warm-up run each, so the file system cache is equally warm for both.
for (const v of variants) runOnce(v.entry);
const samples = new Map(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i++) {
  for (const v of variants) samples.get(v.name).push(runOnce(v.entry));
}

console.log(`bench: ${runs} runs per variant, each a fresh \`node\` process synthesizing the production example`);
console.log(`node ${process.version}, ${os.cpus().length} cores`);
const results = variants.map((v) => {
  const s = samples.get(v.name);
  return { name: v.name, seconds: median(s.map((x) => x.seconds)), rssMb: median(s.map((x) => x.rssMb)), maxRssMb: Math.max(...s.map((x) => x.rssMb)), stacks: s[0].stacks };
});
for (const r of results) {
  console.log(
    `${r.name.padEnd(28)} median ${r.seconds.toFixed(3)} s   peak RSS median ${r.rssMb.toFixed(0)} MB (max ${r.maxRssMb.toFixed(0)} MB)   ${r.stacks} stack(s)`,
  );
}
const [ours, naive, unchecked] = results;
console.log(
  `ratio naive/groundwork: time ${(naive.seconds / ours.seconds).toFixed(1)}x, peak RSS ${(naive.rssMb / ours.rssMb).toFixed(1)}x`,
);
// The rule pack (strict, over both trees) may add at most 15 % to the example's synth time.
const checksCost = ours.seconds / unchecked.seconds - 1;
console.log(`rule pack: +${(checksCost * 100).toFixed(1)} % synth time (${unchecked.seconds.toFixed(3)} s without, ${ours.seconds.toFixed(3)} s with; budget 15 %)`);
if (checksCost > 0.15) {
  console.error('bench: the rule pack adds more than 15 % to the production example\'s synth time');
  process.exit(1);
}

// ---- Scaling: N services on one cluster ----
const scaleEntry = 'dist/bench/services.js';
const scaleRuns = Number(process.env.BENCH_SCALE_RUNS || 3);
function runScale(count) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  const rssFile = path.join(tmp, 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', path.join(root, 'scripts/peak-rss.cjs'), scaleEntry, String(count)], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: path.join(tmp, 'cdktf.out'), BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${scaleEntry} ${count} failed (exit ${result.status}):\n${result.stderr}`);
  const inProcess = JSON.parse(result.stdout.trim().split('\n').pop());
  const rssMb = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(tmp, { recursive: true, force: true });
  return { wallSeconds, rssMb, ...inProcess };
}
runScale(1);
const scale = [1, 10, 100].map((count) => {
  const samples = Array.from({ length: scaleRuns }, () => runScale(count));
  return {
    count,
    seconds: median(samples.map((s) => s.totalSeconds)),
    wallSeconds: median(samples.map((s) => s.wallSeconds)),
    rssMb: median(samples.map((s) => s.rssMb)),
  };
});
console.log(`\nscaling: one cluster with N services (route, database grant, workload chart, bootstrap objects), median of ${scaleRuns} fresh processes`);
for (const s of scale) {
  console.log(
    `N = ${String(s.count).padEnd(4)} declare + synth ${s.seconds.toFixed(3)} s   process ${s.wallSeconds.toFixed(3)} s   peak RSS ${s.rssMb.toFixed(0)} MB`,
  );
}
const ratio = scale[2].seconds / scale[1].seconds;
console.log(`time(100) / time(10) = ${ratio.toFixed(1)} (linear growth allows at most 11)`);
if (ratio > 11) {
  console.error('bench: synthesis grows faster than linearly in the number of services');
  process.exit(1);
}
