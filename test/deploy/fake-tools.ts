/**
 * A sandbox for scripts/deploy.mjs: recording fakes of the tools it calls, first on a PATH that
 * holds nothing else but the real node, and a realistic deploy plan with its files.
 *
 * Each fake is a small node script. It appends its call (`{ tool, args, cwd, stdin }`, one JSON
 * line, `stdin` being what the script piped to it, as to `kubectl apply -f -`) to calls.jsonl,
 * then answers from rules.json: the first rule whose tool matches and whose
 * `match` (a regular expression) matches the arguments joined by spaces wins; a rule with
 * `times` wins only that many times (counts kept in counts.json, since every call is a new
 * process). No matching rule: exit 0, no output. `hang` keeps the fake alive until it is
 * signalled, as `kubectl port-forward` does.
 *
 * Every fake records the SIGINT/SIGTERM it receives in signals.jsonl, then exits (after the
 * rule's `exitDelayMs`, as Terraform takes a while to stop), recording that too: a test can tell
 * which signals the script forwarded and whether it waited for the tool to exit.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const TOOLS = ['aws', 'cdktf', 'terraform', 'helm', 'kubectl', 'curl'] as const;
export type Tool = (typeof TOOLS)[number];

export interface Rule {
  readonly tool: Tool;
  /** A regular expression over the arguments joined by single spaces; omitted matches all. */
  readonly match?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  /** Only the first `times` matching calls get this answer; later ones fall through. */
  readonly times?: number;
  /** Print stdout, then stay alive until signalled (at most a minute). */
  readonly hang?: boolean;
  /** How long the fake takes to exit after its first SIGINT/SIGTERM. */
  readonly exitDelayMs?: number;
}

/** A signal the test sends to the script, once a call matching `afterCall` was made, then after `delayMs`. */
export interface SignalToSend {
  readonly signal: NodeJS.Signals;
  /** A regular expression over the normalised calls; omitted: right after the previous signal. */
  readonly afterCall?: string;
  readonly delayMs?: number;
}

export interface Call {
  readonly tool: Tool;
  readonly args: string[];
  readonly cwd: string;
  /** What the script wrote to the tool's stdin; absent when it gave the tool no pipe. */
  readonly stdin?: string;
}

export interface DeployRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The calls, normalised: `tool arg arg …`, the sandbox's paths as <plan> and <out>. */
  readonly calls: string[];
  readonly rawCalls: Call[];
  /** What the fakes saw of signals, in order: `<tool> got <SIGNAL>` and `<tool> exited`. */
  readonly signals: string[];
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'deploy.mjs');
// Far above a real run here (about 3 s); below jest's timeout, so the output shows what hung.
const RUN_TIMEOUT_MS = 30_000;

const FAKE = `#!/usr/bin/env node
// Recording fake of TOOL for scripts/deploy.mjs tests (written by test/deploy/fake-tools.ts).
const fs = require('fs');
const path = require('path');
const dir = process.env.FAKE_DIR;
const args = process.argv.slice(2);
let rule = {};
// Installed before the call is recorded: a test that saw the call may signal at once.
let exiting = false;
const signalled = (event) => fs.appendFileSync(path.join(dir, 'signals.jsonl'), JSON.stringify({ tool: TOOL, event }) + '\\n');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signalled('got ' + signal);
    if (exiting) return;
    exiting = true;
    setTimeout(() => {
      signalled('exited');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }, rule.exitDelayMs ?? 0);
  });
}
// A pipe (a socket, as node makes them) is read to its end: the script closes it once written.
// Anything else is /dev/null ('ignore'), and a terminal must not be waited on.
const stdinStat = fs.fstatSync(0);
const stdin = stdinStat.isFIFO() || stdinStat.isSocket() ? fs.readFileSync(0, 'utf8') : undefined;
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool: TOOL, args, cwd: process.cwd(), stdin }) + '\\n');
const rules = JSON.parse(fs.readFileSync(path.join(dir, 'rules.json'), 'utf8'));
const countsFile = path.join(dir, 'counts.json');
const counts = fs.existsSync(countsFile) ? JSON.parse(fs.readFileSync(countsFile, 'utf8')) : {};
const joined = args.join(' ');
for (let i = 0; i < rules.length; i++) {
  const r = rules[i];
  if (r.tool !== TOOL || !new RegExp(r.match ?? '').test(joined)) continue;
  if (r.times !== undefined) {
    if ((counts[i] ?? 0) >= r.times) continue;
    counts[i] = (counts[i] ?? 0) + 1;
    fs.writeFileSync(countsFile, JSON.stringify(counts));
  }
  rule = r;
  break;
}
if (rule.stdout) process.stdout.write(rule.stdout);
if (rule.stderr) process.stderr.write(rule.stderr);
// The script runs each tool in its own process group, out of reach of the test's watchdog: a
// hanging fake gives up by itself, well after the watchdog.
if (rule.hang) setTimeout(() => process.exit(124), 60000);
else process.exitCode = rule.exitCode ?? 0;
`;

/** Always last: the port-forward answers like kubectl's and runs until the script kills it. */
const PORT_FORWARD: Rule = {
  tool: 'kubectl',
  match: ' port-forward ',
  stdout: 'Forwarding from 127.0.0.1:40123 -> 8080\nForwarding from [::1]:40123 -> 8080\n',
  hang: true,
};

export class Sandbox {
  readonly root: string;
  readonly bin: string;
  /** cdktf.out of the fake project; the plan is at <out>/deploy/production/deploy.json. */
  readonly out: string;
  readonly planDir: string;
  readonly planPath: string;

  constructor(plan: Record<string, any>) {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-test-')));
    this.bin = path.join(this.root, 'bin');
    this.out = path.join(this.root, 'project', 'cdktf.out');
    this.planDir = path.join(this.out, 'deploy', 'production');
    this.planPath = path.join(this.planDir, 'deploy.json');
    fs.mkdirSync(this.bin);
    for (const tool of TOOLS) {
      const file = path.join(this.bin, tool);
      fs.writeFileSync(file, FAKE.replace(/TOOL/g, JSON.stringify(tool)));
      fs.chmodSync(file, 0o755);
    }
    fs.mkdirSync(this.planDir, { recursive: true });
    fs.writeFileSync(this.planPath, JSON.stringify(plan, null, 2));
    // Every file the plan names exists (the script checks that before it calls anything).
    const files = [
      ...(plan.addOns ?? []).map((a: any) => a.valuesFile),
      ...(plan.databases ?? []).map((d: any) => d.manifestFile),
      ...(plan.migrations ?? []).map((m: any) => m.manifestFile),
      ...(plan.manifestFiles ?? []),
    ].filter((f) => typeof f === 'string');
    for (const file of files) {
      const full = path.resolve(this.planDir, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, '# fixture\n');
    }
    fs.mkdirSync(path.join(this.out, 'stacks'), { recursive: true });
  }

  /** Runs the script against the fakes; resolves when it exits (with every fake killed). */
  run(rules: Rule[], options: { args?: string[]; env?: Record<string, string>; signals?: SignalToSend[] } = {}): Promise<DeployRun> {
    fs.writeFileSync(path.join(this.root, 'rules.json'), JSON.stringify([...rules, PORT_FORWARD]));
    for (const file of ['counts.json', 'calls.jsonl', 'signals.jsonl']) fs.rmSync(path.join(this.root, file), { force: true });
    const env = {
      PATH: [this.bin, path.dirname(process.execPath)].join(path.delimiter),
      FAKE_DIR: this.root,
      DEPLOY_POLL_SECONDS: '0',
      ...options.env,
    };
    const args = options.args ?? [this.planPath, '--run-id', '4242'];
    return new Promise((resolve, reject) => {
      // In its own process group, so that a script that hangs (a bug, or a rule that never lets a
      // wait end) is killed instead of polling on after the test gave up. The script starts each
      // tool in a process group of its own, which the watchdog does not reach: a hanging fake
      // ends itself after a minute.
      const child = spawn(process.execPath, [SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const watchdog = setTimeout(() => {
        stderr += `\n[test] deploy.mjs still running after ${RUN_TIMEOUT_MS / 1000}s: killed\n`;
        process.kill(-child.pid!, 'SIGKILL');
      }, RUN_TIMEOUT_MS);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      let closed = false;
      child.on('error', reject);
      child.on('close', (status) => {
        closed = true;
        clearTimeout(watchdog);
        const rawCalls = this.calls();
        const signals = this.records('signals.jsonl').map((r) => `${r.tool} ${r.event}`);
        resolve({ status, stdout, stderr, rawCalls, calls: rawCalls.map((c) => this.normalise(c)), signals });
      });
      // Like GitHub cancelling the job: the signals go to the script's process alone.
      void (async () => {
        for (const s of options.signals ?? []) {
          const after = s.afterCall === undefined ? undefined : new RegExp(s.afterCall);
          while (after && !closed && !this.calls().some((c) => after.test(this.normalise(c)))) await delay(20);
          await delay(s.delayMs ?? 0);
          if (closed) return;
          child.kill(s.signal);
        }
      })();
    });
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private calls(): Call[] {
    return this.records('calls.jsonl');
  }

  /** The JSON lines of a file the fakes append to; a line still being written is left out. */
  private records(name: string): any[] {
    const file = path.join(this.root, name);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          return line ? [JSON.parse(line)] : [];
        } catch {
          return [];
        }
      });
  }

  private normalise(call: Call): string {
    return [call.tool, ...call.args].join(' ').split(this.planDir).join('<plan>').split(this.out).join('<out>');
  }
}
