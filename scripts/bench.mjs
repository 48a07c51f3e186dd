// `npm run bench`: synthesizes the example app several times, each in a fresh Node process,
// and prints the median wall time and peak RSS — next to the same app with barrel imports of
// the provider packages, measured in the same run, so the ratio is visible.
//
// Runs alternate between the two variants so that machine noise hits both alike.
// BENCH_RUNS sets the number of runs per variant (default 7).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runs = Number(process.env.BENCH_RUNS || 7);
const variants = [
  { name: 'groundwork (deep imports)', entry: 'dist/examples/production/main.js' },
  { name: 'naive (barrel imports)', entry: 'bench/barrel-baseline.cjs' },
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
const [ours, naive] = results;
console.log(
  `ratio naive/groundwork: time ${(naive.seconds / ours.seconds).toFixed(1)}x, peak RSS ${(naive.rssMb / ours.rssMb).toFixed(1)}x`,
);
