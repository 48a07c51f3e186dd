// The next provider line: type-checks the library, the examples and the tests against
// @cdktf/provider-aws 21.x (hashicorp/aws 6.x), synthesizes every example with it, and checks
// that each top-level attribute the examples write exists in 6.x's bindings (which catches what
// the type-checker cannot: raw overrides, and attributes 6.0 removed).
//
// 6.x is synthesized only: the offline mirror holds hashicorp/aws 5.100 alone, so plans stay 5.100.
// Needs the npm registry. Works in a throwaway copy of the repository; nothing here changes.
//
//   npm run test:provider-next                 latest 21.x
//   PROVIDER_NEXT=21.22.1 npm run test:provider-next
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.env.PROVIDER_NEXT || '^21';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-next-'));
const run = (file, args, env = {}) =>
  execFileSync(file, args, { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });

console.log(`provider-next: copying the repository to ${work}`);
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
for (const file of tracked) {
  const from = path.join(root, file);
  if (!fs.existsSync(from)) continue;
  fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
  fs.copyFileSync(from, path.join(work, file));
}
run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts']);
run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `@cdktf/provider-aws@${wanted}`]);
const installed = JSON.parse(fs.readFileSync(path.join(work, 'node_modules/@cdktf/provider-aws/package.json'), 'utf8')).version;
console.log(`provider-next: @cdktf/provider-aws ${installed}`);

// The library (jsii type-checks it), the examples and the tests, against the new bindings. The
// project's own build, so the library's assets (the database jobs' scripts) are in dist too.
run('npm', ['run', 'build']);
run('npx', ['tsc', '-p', 'tsconfig.dev.json']);

// Every example, synthesized with the new bindings.
const outdir = path.join(work, 'cdktf.out');
for (const example of ['dist/examples/production/main.js', 'dist/examples/minimal/main.js']) {
  console.log(`provider-next: synthesizing ${example}`);
  run(process.execPath, [example], { CDKTF_OUTDIR: outdir });
}

// Each top-level attribute of each resource and data source must be one the 6.x bindings write.
const META = new Set(['//', 'count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'provisioner', 'connection']);
const bindings = new Map();
const bindingOf = (type) => {
  if (!bindings.has(type)) {
    const data = type.startsWith('data.');
    const name = type.replace(/^data\./, '').replace(/^aws_/, '');
    const dir = path.join(work, 'node_modules/@cdktf/provider-aws/lib', `${data ? 'data-aws-' : ''}${name.replace(/_/g, '-')}`, 'index.js');
    bindings.set(type, fs.existsSync(dir) ? fs.readFileSync(dir, 'utf8') : undefined);
  }
  return bindings.get(type);
};
const problems = [];
let checked = 0;
const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
for (const stack of stacks) {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  const blocks = [...Object.entries(json.resource ?? {}), ...Object.entries(json.data ?? {}).map(([t, v]) => [`data.${t}`, v])];
  for (const [type, byName] of blocks) {
    if (!type.replace(/^data\./, '').startsWith('aws_')) continue;
    const binding = bindingOf(type);
    if (!binding) {
      problems.push(`${stack}: ${type} has no binding in @cdktf/provider-aws ${installed} (removed in aws 6?)`);
      continue;
    }
    for (const [name, config] of Object.entries(byName)) {
      for (const attribute of Object.keys(config).filter((a) => !META.has(a))) {
        checked++;
        if (!new RegExp(`\\b${attribute}:`).test(binding)) problems.push(`${stack}: ${type}.${name}.${attribute} is not an attribute of ${type} in aws 6.x`);
      }
    }
  }
}
fs.rmSync(work, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`provider-next: ${problems.length} problem(s) with @cdktf/provider-aws ${installed}:\n  ${[...new Set(problems)].join('\n  ')}`);
  process.exit(1);
}
console.log(`provider-next: @cdktf/provider-aws ${installed}: library, examples and tests type-check; ${stacks.length} stacks synthesized; ${checked} top-level attributes all known to aws 6.x`);
