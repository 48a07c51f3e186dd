/**
 * A sandbox for scripts/deploy.mjs: recording fakes of the tools it calls, first on a PATH that
 * holds nothing else but the real node, and a realistic deploy plan with its files.
 *
 * Each fake is a small bash script that hands its call to a server the sandbox runs on loopback
 * for the length of a run. The server records the call (`{ tool, args, cwd, stdin }`, `stdin`
 * being what the script piped to it, as to `kubectl apply -f -`), then answers from the run's rules: the first rule whose tool matches and whose `match` (a
 * regular expression) matches the arguments joined by spaces wins; a rule with `times` wins
 * only that many times. No matching rule: exit 0, no output. `hang` keeps the fake alive until
 * it is signalled, as `kubectl port-forward` does.
 *
 * Every fake records the SIGINT/SIGTERM it receives in signals.jsonl, then exits (after the
 * rule's `exitDelayMs`, as Terraform takes a while to stop), recording that too: a test can tell
 * which signals the script forwarded and whether it waited for the tool to exit.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
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

/** The absolute path of a command the fakes call: their PATH holds only the fakes and node. */
function systemCommand(name: string): string {
  const found = ['/usr/bin', '/bin'].map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the deploy test's fakes need ${name} in /usr/bin or /bin`);
  return found;
}

// Each fake is a bash script, not a node one: the suite makes about 700 calls, and starting
// node costs about 45 ms of CPU each, bash about 2 ms. The fake hands its call to the sandbox's
// server on loopback (bash's /dev/tcp), which records it and answers with the rule; the fake
// prints the answer and exits with it, or hangs. Fields go as `<byte length>\n<bytes>`
// (LC_ALL=C makes ${#x} count bytes); the answer is `<exit code> <hang> <exit delay ms>`, then
// stdout and stderr as `printf %b` escapes, one line each.
//
// Until the answer is printed the fake uses bash builtins only: the script signals the tool's
// whole process group, which would kill a `cat` reading stdin or a decoder printing the output
// halfway, where the node fake read and wrote in one go before it handled any signal.
const FAKE = `#!/bin/bash
# Recording fake of TOOL for scripts/deploy.mjs tests (written by test/deploy/fake-tools.ts).
export LC_ALL=C
tool=TOOL
exiting=0 sleeper= delay_ms=0 exit_code=0 answered=0 pending=
record_signal() { printf '{"tool":"%s","event":"%s"}\\n' "$tool" "$1" >> "$FAKE_DIR/signals.jsonl"; }
# Exits, killing the sleepers. Sleepers hold none of the fake's output streams, so even one left
# behind (the fake killed with SIGKILL) cannot keep the script waiting for the streams to close.
finish() {
  kill $(jobs -p) 2>/dev/null
  exit "$1"
}
# Stops after the rule's exit delay (a sleeper the main line waits for), recording that.
start_exit() {
  exiting=1 exit_code=$1
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  if [ "$delay_ms" = 0 ]; then record_signal exited; finish "$exit_code"; fi
  local seconds
  printf -v seconds '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000))
  SLEEP "$seconds" </dev/null >/dev/null 2>&1 & sleeper=$!
}
# Installed before the call is recorded: a test that saw the call may signal at once. A signal
# before the answer is acted on once the answer (and with it the exit delay) is in.
on_signal() {
  record_signal "got $1"
  [ "$exiting" = 1 ] && return
  if [ "$answered" = 0 ]; then [ -z "$pending" ] && pending=$2; return; fi
  start_exit "$2"
}
install_traps() {
  trap 'on_signal SIGINT 130' INT
  trap 'on_signal SIGTERM 143' TERM
}
install_traps
# Waits for the sleeper (the hang, or the exit delay after a signal) to end, not for a signal.
wait_for_sleeper() {
  while [ -n "$sleeper" ]; do
    wait "$sleeper"
    kill -0 "$sleeper" 2>/dev/null || break
  done
}
field() { printf '%d\\n%s' "\${#1}" "$1"; }
# A pipe (a socket, as node makes them) is read to its end: the script closes it once written.
# Anything else is /dev/null ('ignore'), and a terminal must not be waited on. A read a signal
# interrupts returns what it has so far (status > 128), and goes on.
has_stdin=0 stdin=
if [ -p /dev/stdin ] || [ -S /dev/stdin ]; then
  has_stdin=1
  while :; do
    IFS= read -r -d '' chunk; status=$?
    stdin+=$chunk
    [ "$status" -gt 128 ] || break
  done
fi
exec 3<>"/dev/tcp/127.0.0.1/$FAKE_PORT" || exit 97
{ printf '%d\\n' $(($# + 4)); field "$tool"; field "$PWD"; field "$has_stdin"; field "$stdin"; for arg in "$@"; do field "$arg"; done; } >&3
until read -r -u 3 code hang delay_ms; do [ $? -gt 128 ] || exit 97; done
until read -r -u 3 out; do [ $? -gt 128 ] || exit 97; done
until read -r -u 3 err; do [ $? -gt 128 ] || exit 97; done
exec 3<&-
printf '%b' "$out"
printf '%b' "$err" >&2
answered=1
[ -n "$pending" ] && start_exit "$pending"
if [ "$hang" = 1 ] && [ "$exiting" = 0 ]; then
  # The script runs each tool in its own process group, out of reach of the test's watchdog: a
  # hanging fake gives up by itself, well after the watchdog.
  SLEEP 60 </dev/null >/dev/null 2>&1 & sleeper=$!
  wait_for_sleeper
  [ "$exiting" = 0 ] && finish 124
fi
if [ "$exiting" = 0 ]; then
  # A signal from here on is not seen at all (as one after the node fake's last tick), rather
  # than half handled: recorded, but the exit delay cut short by the exit below.
  trap '' INT TERM
  [ "$exiting" = 0 ] && exit "$code"
  install_traps
fi
wait_for_sleeper
record_signal exited
finish "$exit_code"
`
  .replace(/SLEEP/g, systemCommand('sleep'));

/** Always last: the port-forward answers like kubectl's and runs until the script kills it. */
const PORT_FORWARD: Rule = {
  tool: 'kubectl',
  match: ' port-forward ',
  stdout: 'Forwarding from 127.0.0.1:40123 -> 8080\nForwarding from [::1]:40123 -> 8080\n',
  hang: true,
};

/**
 * The fields of a fake's call, each sent as `<byte length>\n<bytes>` after a line with their
 * number; undefined until all of them arrived.
 */
function parseFields(data: Buffer): string[] | undefined {
  let offset = 0;
  const line = (): number | undefined => {
    const end = data.indexOf(10, offset);
    if (end < 0) return undefined;
    const value = Number(data.subarray(offset, end).toString('latin1'));
    offset = end + 1;
    return value;
  };
  const count = line();
  if (count === undefined) return undefined;
  const fields: string[] = [];
  while (fields.length < count) {
    const length = line();
    if (length === undefined || offset + length > data.length) return undefined;
    fields.push(data.subarray(offset, offset + length).toString('utf8'));
    offset += length;
  }
  return fields;
}

/** Text as `printf %b` prints it back, on one line: printable ASCII as it is, any other byte as `\0NNN`. */
function printfEscaped(text: string | undefined): string {
  return [...Buffer.from(text ?? '', 'utf8')]
    .map((byte) => (byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\0${byte.toString(8).padStart(3, '0')}`))
    .join('');
}

export class Sandbox {
  readonly root: string;
  readonly bin: string;
  /** cdktf.out of the fake project; the plan is at <out>/deploy/production/deploy.json. */
  readonly out: string;
  readonly planDir: string;
  readonly planPath: string;
  /** The calls of the current run, in the order the server received them. */
  private received: Call[] = [];

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
  async run(rules: Rule[], options: { args?: string[]; env?: Record<string, string>; signals?: SignalToSend[] } = {}): Promise<DeployRun> {
    this.received = [];
    fs.rmSync(path.join(this.root, 'signals.jsonl'), { force: true });
    let serverError: Error | undefined;
    const server = await this.answerCalls([...rules, PORT_FORWARD], (e) => (serverError ??= e));
    try {
      const result = await this.runScript(options, (server.address() as net.AddressInfo).port);
      // A fake left without an answer exits 97; the reason is here, not in the script's output.
      if (serverError) throw new Error(`the fakes' server failed: ${serverError.message}`);
      return result;
    } finally {
      server.close();
    }
  }

  /**
   * The server the fakes call: it records each call and answers with the first
   * rule whose tool matches and whose `match` matches the arguments joined by spaces; a rule
   * with `times` wins only that many times. No matching rule: exit 0, no output. One call per
   * connection; an error (a rule's bad regular expression) goes to `onError` and drops it.
   */
  private answerCalls(rules: Rule[], onError: (e: Error) => void): Promise<net.Server> {
    const counts = rules.map(() => 0);
    const server = net.createServer((socket) => {
      let received = Buffer.alloc(0);
      let answered = false;
      socket.on('data', (chunk) => {
        if (answered) return;
        received = Buffer.concat([received, chunk]);
        try {
          const fields = parseFields(received);
          if (!fields) return;
          answered = true;
          const [tool, cwd, hasStdin, stdin, ...args] = fields;
          const call: Call = { tool: tool as Tool, args, cwd, ...(hasStdin === '1' ? { stdin } : {}) };
          this.received.push(call);
          const joined = args.join(' ');
          const index = rules.findIndex((r, i) => r.tool === tool && new RegExp(r.match ?? '').test(joined) && (r.times === undefined || counts[i] < r.times));
          const rule: Rule = index >= 0 ? rules[index] : { tool: tool as Tool };
          if (index >= 0) counts[index] += 1;
          socket.end(
            `${rule.exitCode ?? 0} ${rule.hang ? 1 : 0} ${Math.round(rule.exitDelayMs ?? 0)}\n${printfEscaped(rule.stdout)}\n${printfEscaped(rule.stderr)}\n`,
          );
        } catch (e) {
          onError(e as Error);
          socket.destroy();
        }
      });
      socket.on('error', () => {});
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
  }

  private runScript(options: { args?: string[]; env?: Record<string, string>; signals?: SignalToSend[] }, port: number): Promise<DeployRun> {
    const env = {
      PATH: [this.bin, path.dirname(process.execPath)].join(path.delimiter),
      FAKE_DIR: this.root,
      FAKE_PORT: String(port),
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
    return [...this.received];
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
