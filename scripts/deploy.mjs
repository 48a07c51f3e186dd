#!/usr/bin/env node
// Deploys one environment from its deploy plan, the `deploy.json` that DeployPlan writes at
// synth (cdktf.out/deploy/<env>/deploy.json). docs/deploy-plan.md is the contract: the plan's
// fields, the order of the steps and the exit codes. Everything environment-specific comes
// from the plan, so the names used here are the names synth wrote.
//
//   node scripts/deploy.mjs <path to deploy.json> [--run-id <id>]
//   npx groundwork-deploy <path to deploy.json> [--run-id <id>]   (from the npm package)
//
// The run id (default: $GITHUB_RUN_ID, else the UTC time as YYYYMMDDHHMMSS) names the
// pre-deploy backup Job, so a re-run of the same workflow run finds the backup it already took.
//
// Exit codes: 0 deployed; 1 failed before any workload was updated (no rollback needed; the AWS
// stack, add-ons, bootstrap stack, database users or schema may have changed); 2 a workload
// failed and was rolled back; 3 the rollback failed too, or the run was stopped by a signal after
// the workloads were touched (a human is needed); 64 the plan or the arguments are invalid.
//
// The tools (aws, cdktf, terraform, helm, kubectl, curl) are called by name from the PATH, with
// argument arrays and never through a shell: the workflow puts node_modules/.bin on the PATH for
// cdktf. Their output is streamed so that the CI log shows it, except where it can hold secrets
// (`terraform output -json`, `kubectl get secret -o json`): that is captured and never printed.
//
// Deadline: the plan's deadlineMinutes (the job's timeout-minutes) counts from the script's
// start. Every wait (Jobs, Helm, rollouts, health checks) is cut to what is left of it minus a
// margin kept for a rollback and the summary, so the script fails a step and rolls back itself
// instead of being killed by the runner in the middle of a rollout.
//
// SIGINT/SIGTERM (a cancelled or timed-out GitHub job): the first one is forwarded to the running
// tools and the script waits for them to exit, so that Terraform can stop gracefully, save its
// state and release its lock; no further command starts and nothing is rolled back.
//
// Environment: DEPLOY_POLL_SECONDS (default 5) is the interval between two looks at a Job; tests
// set it to 0. DEPLOY_DEADLINE_SECONDS_OVERRIDE (tests only) replaces deadlineMinutes with a
// number of seconds, so that a test reaches the deadline without waiting for it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const EXIT = { deployed: 0, failed: 1, rolledBack: 2, rollbackFailed: 3, invalid: 64 };
// How the script was started, for the usage line: the package's bin or the repository's file.
const USAGE_COMMAND = /groundwork-deploy/.test(path.basename(process.argv[1] ?? '')) ? 'groundwork-deploy' : 'node scripts/deploy.mjs';
const FIELD_MANAGER = 'cdktf-groundwork';
// `kubectl create job <cronJob>-predeploy-<run id>`: the Job name is a DNS label (≤ 63).
const PREDEPLOY = '-predeploy-';
const STEP_TITLES = [
  'Auto Scaling service-linked role',
  'AWS stack and cluster access',
  'required Secrets and add-ons',
  'bootstrap stack and database jobs',
  'pre-deploy backups',
  'migrations',
  'manifests',
  'rollout',
  'verification',
  'rollback',
];
// Steps whose failure can leave a workload changed: from here on a failure rolls back.
const FIRST_WORKLOAD_STEP = 6;
// Kept back from every wait of steps 2–8: when a rollout or health check is cut short by the
// deadline, the rollback (undo and its rollout status) and the summary still fit before the
// runner kills the job.
const DEADLINE_MARGIN_SECONDS = 120;
// A rollback waits at least this long for each rollout, even past the deadline: giving up on it
// at once would turn a rollback that is under way into exit 3 for nothing.
const ROLLBACK_MINIMUM_SECONDS = 60;

/** A failure the script expected and explains itself: printed without a stack trace. */
class DeployError extends Error {}

// ---------------------------------------------------------------------------------------------
// Arguments and plan
// ---------------------------------------------------------------------------------------------

function invalid(lines) {
  for (const line of [].concat(lines)) console.error(`deploy: ${line}`);
  console.error(`usage: ${USAGE_COMMAND} <path to deploy.json> [--run-id <id>]`);
  process.exit(EXIT.invalid);
}

function parseArguments(argv) {
  let planPath;
  let runId;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--run-id') {
      if (i + 1 >= argv.length) invalid('--run-id needs a value');
      runId = argv[++i];
    } else if (arg.startsWith('--run-id=')) {
      runId = arg.slice('--run-id='.length);
    } else if (arg.startsWith('-')) {
      invalid(`unknown option ${JSON.stringify(arg)}`);
    } else if (planPath === undefined) {
      planPath = arg;
    } else {
      invalid(`unexpected argument ${JSON.stringify(arg)} (one plan per run)`);
    }
  }
  if (planPath === undefined) invalid('the path to deploy.json is missing');
  runId ??= process.env.GITHUB_RUN_ID || utcTimestamp();
  // The run id ends the backup Job's name, which must stay a DNS label: keep at least one
  // character of the CronJob's name in front of it.
  const maxRunId = 63 - PREDEPLOY.length - 1;
  if (!isDnsLabel(runId) || runId.length > maxRunId) {
    invalid(`run id must be lowercase letters, digits and "-" (at most ${maxRunId} characters); got ${JSON.stringify(runId)}`);
  }
  const poll = process.env.DEPLOY_POLL_SECONDS ?? '5';
  if (!/^\d+(\.\d+)?$/.test(poll)) invalid(`DEPLOY_POLL_SECONDS must be a number of seconds ≥ 0; got ${JSON.stringify(poll)}`);
  const override = process.env.DEPLOY_DEADLINE_SECONDS_OVERRIDE;
  if (override !== undefined && !/^\d+$/.test(override)) invalid(`DEPLOY_DEADLINE_SECONDS_OVERRIDE must be a whole number of seconds ≥ 0; got ${JSON.stringify(override)}`);
  return { planPath: path.resolve(planPath), runId, pollSeconds: Number(poll), deadlineOverride: override === undefined ? undefined : Number(override) };
}

function utcTimestamp() {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function loadPlan(planPath) {
  let text;
  try {
    text = fs.readFileSync(planPath, 'utf8');
  } catch (e) {
    invalid(`cannot read the plan ${planPath}: ${e.message}`);
  }
  let plan;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    invalid(`the plan ${planPath} is not valid JSON: ${e.message}`);
  }
  const errors = validatePlan(plan, path.dirname(planPath));
  if (errors.length > 0) invalid([`invalid plan ${planPath}:`, ...errors.map((e) => `  ${e}`)]);
  return plan;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function isDnsLabel(v) {
  return typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v);
}
function isDnsSubdomain(v) {
  return typeof v === 'string' && v.length <= 253 && DNS_SUBDOMAIN.test(v);
}
const isText = (v) => typeof v === 'string' && v.trim().length > 0;
const isPositiveInteger = (v) => Number.isInteger(v) && v > 0;

// What a field must be, as [description for the message, predicate].
const LABEL = ['a DNS label (lowercase letters, digits and "-", at most 63 characters)', isDnsLabel];
const TEXT = ['a non-empty string', isText];
const SECONDS = ['a positive integer (seconds)', isPositiveInteger];
const BOOLEAN = ['true or false', (v) => typeof v === 'boolean'];
const SELECTOR = ['a label selector without spaces', (v) => isText(v) && !/\s/.test(v)];

/**
 * Every problem of the plan, each naming the field path and the value it has. All of them,
 * not just the first: a plan written by a generator tends to be wrong in several places at once.
 * Every field of the contract is required (lists may be empty): a missing one means the plan
 * and this script disagree about the format. Unknown fields are ignored.
 */
function validatePlan(plan, planDir) {
  const errors = [];
  const describe = (v) => (v === undefined ? 'nothing (the field is missing)' : JSON.stringify(v));
  const check = (parent, parentPath, key, [expected, ok]) => {
    const value = parent?.[key];
    const fieldPath = typeof key === 'number' ? `${parentPath}[${key}]` : parentPath ? `${parentPath}.${key}` : key;
    if (!ok(value)) errors.push(`${fieldPath} must be ${expected}; got ${describe(value)}`);
    return value;
  };
  const file = [
    `an existing file (relative to ${planDir})`,
    (v) => isText(v) && fs.statSync(path.resolve(planDir, v), { throwIfNoEntry: false })?.isFile() === true,
  ];
  const object = (parent, parentPath, key, each) => {
    const value = check(parent, parentPath, key, ['an object', (v) => v !== null && typeof v === 'object' && !Array.isArray(v)]);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) each(value, parentPath ? `${parentPath}.${key}` : key);
  };
  const list = (parent, parentPath, key, each) => {
    const value = check(parent, parentPath, key, ['a list', Array.isArray]);
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      const itemPath = `${parentPath ? `${parentPath}.` : ''}${key}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) errors.push(`${itemPath} must be an object; got ${describe(item)}`);
      else each(item, itemPath);
    });
  };
  const strings = (parent, parentPath, key, [expected, ok]) => {
    const value = check(parent, parentPath, key, ['a list', Array.isArray]);
    if (Array.isArray(value)) value.forEach((_, i) => check(value, `${parentPath ? `${parentPath}.` : ''}${key}`, i, [expected, ok]));
  };

  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) return [`the plan must be a JSON object; got ${describe(plan)}`];
  // Another format version means other fields: stop here rather than list every difference.
  if (plan.formatVersion !== 1) return [`formatVersion must be 1 (the format this script reads); got ${describe(plan.formatVersion)}`];

  check(plan, '', 'environment', LABEL);
  check(plan, '', 'region', ['an AWS region such as eu-west-1', (v) => typeof v === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(v)]);
  check(plan, '', 'clusterName', ['an EKS cluster name (letters, digits, "-" and "_", at most 100 characters)', (v) => typeof v === 'string' && /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(v)]);
  check(plan, '', 'cdktfOut', [`an existing directory (relative to ${planDir})`, (v) => isText(v) && fs.statSync(path.resolve(planDir, v), { throwIfNoEntry: false })?.isDirectory() === true]);
  // Stack names end up in a path (<cdktfOut>/stacks/<name>): no separators, no "..".
  const stackName = ['a cdktf stack name (letters, digits, "-" and "_")', (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(v)];
  object(plan, '', 'stacks', (stacks, p) => {
    check(stacks, p, 'aws', stackName);
    check(stacks, p, 'bootstrap', stackName);
  });
  check(plan, '', 'autoScalingServiceLinkedRole', ['"ensure" or "terraform"', (v) => v === 'ensure' || v === 'terraform']);
  check(plan, '', 'apiAccessHint', ['a string', (v) => typeof v === 'string']);
  const secretEntry = (secret, p) => {
    check(secret, p, 'namespace', LABEL);
    check(secret, p, 'name', ['a Kubernetes object name (DNS subdomain)', isDnsSubdomain]);
    strings(secret, p, 'keys', ['a Secret key (letters, digits, "-", "_" and ".")', (v) => typeof v === 'string' && /^[-._a-zA-Z0-9]+$/.test(v)]);
  };
  list(plan, '', 'requiredSecrets', secretEntry);
  list(plan, '', 'expectedSecrets', secretEntry);
  list(plan, '', 'addOns', (addOn, p) => {
    // Helm release names are DNS labels of at most 53 characters (Helm adds suffixes).
    check(addOn, p, 'release', ['a Helm release name (a DNS label of at most 53 characters)', (v) => isDnsLabel(v) && v.length <= 53]);
    check(addOn, p, 'chart', TEXT);
    // Passed as --repo, which takes a chart repository URL (not an oci:// reference).
    check(addOn, p, 'repository', ['an http(s) chart repository URL', (v) => typeof v === 'string' && /^https?:\/\/\S+$/.test(v)]);
    check(addOn, p, 'version', TEXT);
    check(addOn, p, 'namespace', LABEL);
    check(addOn, p, 'valuesFile', file);
    object(addOn, p, 'valuesFromOutputs', (outputs, op) => {
      for (const key of Object.keys(outputs)) {
        if (!isText(key)) errors.push(`${op} has an empty Helm key`);
        check(outputs, op, key, ['the name of a Terraform output', (v) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(v)]);
      }
    });
    check(addOn, p, 'timeoutSeconds', SECONDS);
  });
  list(plan, '', 'databases', (db, p) => {
    check(db, p, 'manifestFile', file);
    check(db, p, 'namespace', LABEL);
    check(db, p, 'usersJob', LABEL);
    // null: the database has no backup CronJob (then no backup before the deploy either).
    const backup = check(db, p, 'backupBeforeDeploy', BOOLEAN);
    if (backup === true) check(db, p, 'backupCronJob', ['a DNS label (the CronJob the backup before the deploy is made from)', isDnsLabel]);
    else check(db, p, 'backupCronJob', ['null or a DNS label', (v) => v === null || isDnsLabel(v)]);
    check(db, p, 'timeoutSeconds', SECONDS);
  });
  list(plan, '', 'migrations', (m, p) => {
    check(m, p, 'service', LABEL);
    check(m, p, 'namespace', LABEL);
    check(m, p, 'job', LABEL);
    check(m, p, 'manifestFile', file);
    check(m, p, 'selector', SELECTOR);
    check(m, p, 'serviceSelector', SELECTOR);
    check(m, p, 'timeoutSeconds', SECONDS);
  });
  strings(plan, '', 'manifestFiles', file);
  // Passed as one argument (`--selector <it>`), so a selector with spaces is fine here.
  check(plan, '', 'manifestSelector', TEXT);
  list(plan, '', 'workloads', (w, p) => {
    check(w, p, 'service', LABEL);
    check(w, p, 'namespace', LABEL);
    check(w, p, 'deployment', LABEL);
    check(w, p, 'serviceName', LABEL);
    check(w, p, 'servicePort', ['a port number (an integer from 1 to 65535)', (v) => Number.isInteger(v) && v >= 1 && v <= 65535]);
    check(w, p, 'healthPath', ['null or a URL path starting with "/"', (v) => v === null || (typeof v === 'string' && /^\/\S*$/.test(v))]);
    strings(w, p, 'configObjects', ['<kind>/<name>, e.g. secret/shop-web-connection', (v) => typeof v === 'string' && /^[a-z][a-z0-9.]*\/[^/]+$/.test(v) && isDnsSubdomain(v.split('/')[1])]);
  });
  check(plan, '', 'rolloutTimeoutSeconds', SECONDS);
  check(plan, '', 'healthCheckTimeoutSeconds', SECONDS);
  // The range DeployPlan accepts: GitHub's timeout-minutes for the job, which this run must end within.
  check(plan, '', 'deadlineMinutes', ['an integer from 10 to 360 (minutes)', (v) => Number.isInteger(v) && v >= 10 && v <= 360]);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Stopping on a signal
// ---------------------------------------------------------------------------------------------

/** Every tool that runs now: a signal is forwarded to them, and the 'exit' handler kills what is left. */
const children = new Set();
/** The signal that stopped this run, once one came. */
let stopping = null;
/** Sleeps to cut short when a signal comes (a Job poll must not keep a stopping run waiting). */
const wakeOnStop = new Set();

/** Thrown when a step would start a tool after a signal: the step stops there. */
class Stopped extends Error {}

/**
 * A cancelled GitHub job gets SIGINT, then SIGTERM 7.5 s later, then its process tree is killed
 * 2.5 s after that. The first signal is forwarded, once, to each running tool's process group,
 * as Ctrl-C in a terminal reaches a tool and the children in its group (cdktf runs terraform in a
 * pseudo-terminal: terraform gets the interrupt as far as cdktf passes it on). Later
 * signals are not forwarded: a second interrupt makes Terraform exit at once, mid-apply, leaving
 * its state unsaved and its lock held. The script then waits for the tools to exit: each step's
 * tool call returns when its tool exits, and no further tool starts (run() throws Stopped).
 */
function onSignal(signal) {
  const running = [...children].map((child) => child.spawnfile).join(', ') || 'none';
  if (stopping !== null) {
    console.error(`deploy: ${signal} after ${stopping}: still waiting for the running tool(s) to exit (${running}); not forwarded, since a second interrupt makes Terraform exit at once, mid-apply`);
    return;
  }
  stopping = signal;
  console.error(`deploy: ${signal}: stopping. Forwarding it to the running tool(s) (${running}) and waiting for them to exit; no further command is started.`);
  for (const child of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Exited in the meantime.
    }
  }
  wakeOnStop.forEach((wake) => wake());
}

/**
 * Starts a tool in its own process group (so that a signal reaches it once, from onSignal, and
 * not a second time from a terminal's Ctrl-C) and tracks it until it exits.
 */
function startTool(tool, args, options) {
  if (stopping !== null) throw new Stopped(`${tool} not started: the run is stopping (${stopping})`);
  const child = spawn(tool, args, { ...options, detached: true });
  children.add(child);
  const forget = () => children.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

// ---------------------------------------------------------------------------------------------
// Running the tools
// ---------------------------------------------------------------------------------------------

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a tool and resolves with { status, stdout, stderr }: a tool that cannot be started
 * resolves with status 127; it rejects (Stopped) only when the run is stopping on a signal. The
 * command line is printed first, so the CI log reads like a shell trace. stdout is streamed
 * unless `capture` (the caller parses it, or it may hold secrets); stderr is streamed unless
 * `quiet` (polling, where the caller reports instead). `display` replaces the printed arguments,
 * to keep sensitive values out of the log. `input` is written to the tool's stdin (which is
 * otherwise closed), for `kubectl apply -f -`.
 */
function run(tool, args, { capture = false, quiet = false, display = args, cwd, input } = {}) {
  if (stopping !== null) return Promise.reject(new Stopped(`${tool} not started: the run is stopping (${stopping})`));
  if (!quiet) console.log(`$ ${[tool, ...display].map(shellQuote).join(' ')}`);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (status) => {
      if (settled) return;
      settled = true;
      resolve({ status, stdout, stderr });
    };
    const child = startTool(tool, args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) {
      // A tool that exits before reading all of it (a failing apply) closes the pipe: the EPIPE
      // is not a failure of its own, the tool's exit status says what went wrong.
      child.stdin?.on('error', () => {});
      child.stdin?.end(input);
    }
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!capture && !quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on('error', (e) => {
      stderr += `${tool}: ${e.message}\n`;
      if (!quiet) console.error(`deploy: cannot run ${tool}: ${e.message}`);
      settle(127);
    });
    // `close`, not `exit`: it waits for the output streams, so stdout is complete.
    child.on('close', (code, signal) => settle(code ?? (signal ? 128 : 1)));
  });
}

/** Runs a tool that must succeed; a failure stops the step with `message`. */
async function must(message, tool, args, options) {
  const result = await run(tool, args, options);
  if (result.status !== 0) throw new DeployError(`${message} (${tool} exited ${result.status})`);
  return result;
}

/** Resolves after `seconds`, or at once when a signal stops the run. */
function sleep(seconds) {
  if (stopping !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      wakeOnStop.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, seconds * 1000);
    wakeOnStop.add(wake);
  });
}

// ---------------------------------------------------------------------------------------------
// The deadline
// ---------------------------------------------------------------------------------------------

function deadlineReached(ctx) {
  const shortened = ctx.deadlineOverride === undefined ? '' : ` (shortened to ${ctx.deadlineOverride} s by DEPLOY_DEADLINE_SECONDS_OVERRIDE)`;
  return `the deploy's deadline of ${ctx.plan.deadlineMinutes} minutes is reached${shortened}`;
}

/**
 * How long a wait of steps 2–8 may take: its own timeout, cut to what is left of the deadline
 * minus the margin kept for a rollback. { seconds, cut }: `cut` when the deadline, not the
 * wait's own timeout, set it (the caller's failure then names the deadline). Nothing left: the
 * step fails before it starts waiting.
 */
function waitBudget(ctx, ownSeconds) {
  const left = Math.floor((ctx.deadline - Date.now()) / 1000) - DEADLINE_MARGIN_SECONDS;
  if (left <= 0) throw new DeployError(deadlineReached(ctx));
  return left < ownSeconds ? { seconds: left, cut: true } : { seconds: ownSeconds, cut: false };
}

/** ": <deadline reached>" after a wait that the deadline cut short, else nothing. */
const cutNote = (ctx, budget) => (budget.cut ? `: ${deadlineReached(ctx)}` : '');

/** A rollback's wait: whatever is left of the deadline (the margin included), at least ROLLBACK_MINIMUM_SECONDS. */
function rollbackBudget(ctx, ownSeconds) {
  const left = Math.floor((ctx.deadline - Date.now()) / 1000);
  return Math.min(ownSeconds, Math.max(ROLLBACK_MINIMUM_SECONDS, left));
}

const kubectl = (namespace, ...args) => ['-n', namespace, ...args];

/**
 * `kubectl apply --server-side`, always with --force-conflicts: `kubectl rollout undo` updates a
 * Deployment as another field manager, and without it the next deploy's apply fails with a
 * conflict on every field it touched (after any rollback).
 */
const serverSideApply = (file, ...args) => ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', file, ...args];

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

// One jsonpath get gives everything the wait needs: `<succeeded>,<failed>,<Failed condition>`,
// e.g. `1,,` (done), `,6,True` (failed for good), `,,` (running). --ignore-not-found prints
// nothing for a Job that does not exist, so "absent" is told apart from an API error (exit ≠ 0).
const JOB_STATUS = '{.status.succeeded},{.status.failed},{.status.conditions[?(@.type=="Failed")].status}';

/** 'absent' | 'succeeded' | 'failed' | 'running', or null when kubectl itself failed. */
async function jobState(namespace, job, { quiet = false } = {}) {
  const result = await run('kubectl', kubectl(namespace, 'get', 'job', job, '-o', `jsonpath=${JOB_STATUS}`, '--ignore-not-found'), { capture: true, quiet });
  if (result.status !== 0) return { state: null, error: result.stderr.trim() };
  const text = result.stdout.trim();
  if (text === '') return { state: 'absent' };
  const [succeeded, , failedCondition] = text.split(',');
  if (Number(succeeded) >= 1) return { state: 'succeeded' };
  if (failedCondition === 'True') return { state: 'failed' };
  return { state: 'running' };
}

async function mustJobState(namespace, job) {
  const { state, error } = await jobState(namespace, job);
  if (state === null) throw new DeployError(`cannot read job/${job} in ${namespace}: ${error}`);
  return state;
}

/**
 * A Job that failed in an earlier run keeps its Failed status: applying the same manifest again
 * is a no-op and the wait would fail at once. Deleting it lets this run try again (a re-run is
 * how a human asks for that).
 */
async function deleteFailedJob(namespace, job) {
  console.log(`job/${job} in ${namespace} failed in an earlier run: deleting it so that this run retries it`);
  await must(`could not delete the failed job/${job}`, 'kubectl', kubectl(namespace, 'delete', 'job', job, '--ignore-not-found'));
}

async function printJobLogs(namespace, job) {
  console.error(`--- logs of job/${job} in ${namespace} (last 200 lines per container) ---`);
  await run('kubectl', kubectl(namespace, 'logs', `job/${job}`, '--all-containers', '--tail=200'));
  console.error(`--- end of the logs of job/${job} ---`);
}

/**
 * Polls the Job until it succeeded, has a Failed condition, or its timeout (timeoutSeconds, cut
 * by the deploy's deadline) passed. A failing kubectl call is not a failure of the Job (the API
 * may blink): it is retried until the timeout. Polls are quiet (one line per change of state) so
 * a ten-minute wait does not flood the log.
 */
async function waitForJob(ctx, namespace, job, timeoutSeconds) {
  const budget = waitBudget(ctx, timeoutSeconds);
  console.log(`waiting for job/${job} in ${namespace} (timeout ${budget.seconds}s${budget.cut ? `, cut from ${timeoutSeconds}s by the deploy's deadline` : ''})`);
  const deadline = Date.now() + budget.seconds * 1000;
  let last;
  for (;;) {
    const { state, error } = await jobState(namespace, job, { quiet: true });
    const seen = state ?? `unknown (${error})`;
    if (seen !== last) console.log(`  job/${job}: ${seen}`);
    last = seen;
    if (state === 'succeeded') return;
    if (state === 'failed') {
      await printJobLogs(namespace, job);
      throw new DeployError(`job/${job} in ${namespace} failed`);
    }
    if (Date.now() >= deadline) {
      await printJobLogs(namespace, job);
      throw new DeployError(`job/${job} in ${namespace} did not complete within ${budget.seconds}s (last state: ${seen})${cutNote(ctx, budget)}`);
    }
    await sleep(ctx.pollSeconds);
  }
}

// ---------------------------------------------------------------------------------------------
// The steps. Each returns a short detail for the summary, or { skipped: detail }; a failure
// throws (DeployError for the expected ones).
// ---------------------------------------------------------------------------------------------

/**
 * 0. The Auto Scaling groups behind the EKS node groups need AWSServiceRoleForAutoScaling. AWS
 * creates it on first use only when the caller may; an account that never had an ASG lacks it.
 */
async function ensureServiceLinkedRole(ctx) {
  if (ctx.plan.autoScalingServiceLinkedRole !== 'ensure') return { skipped: 'the AWS stack manages it' };
  const exists = await run('aws', ['iam', 'get-role', '--role-name', 'AWSServiceRoleForAutoScaling'], { capture: true });
  if (exists.status === 0) return 'present';
  // Only "no such role" means missing. AccessDenied or throttling says nothing about the role, and
  // creating it then would fail anyway, with a message that hides the real problem.
  if (!exists.stderr.includes('NoSuchEntity')) {
    const error = /\(([A-Za-z.]+)\)/.exec(exists.stderr)?.[1] ?? (exists.stderr.trim().split('\n').pop() || 'no message');
    throw new DeployError(`aws iam get-role --role-name AWSServiceRoleForAutoScaling failed with ${error} (aws exited ${exists.status}): cannot tell whether the role exists`);
  }
  console.log('AWSServiceRoleForAutoScaling not found (NoSuchEntity): creating it');
  await must('could not create AWSServiceRoleForAutoScaling', 'aws', ['iam', 'create-service-linked-role', '--aws-service-name', 'autoscaling.amazonaws.com']);
  return 'created';
}

/** 1. The AWS stack, its outputs (for the add-ons' values) and access to the cluster's API. */
async function deployAwsStack(ctx) {
  const { plan } = ctx;
  await cdktfDeploy(ctx, plan.stacks.aws);
  // Captured, never printed: `output -json` shows sensitive outputs in clear text.
  const outputs = await must('could not read the AWS stack outputs', 'terraform', [`-chdir=${path.join(ctx.cdktfOut, 'stacks', plan.stacks.aws)}`, 'output', '-json'], { capture: true });
  try {
    ctx.outputs = JSON.parse(outputs.stdout || '{}');
  } catch (e) {
    throw new DeployError(`terraform output -json did not print JSON: ${e.message}`);
  }
  console.log(`read ${Object.keys(ctx.outputs).length} output(s) of ${plan.stacks.aws}`);
  await must('could not write the kubeconfig', 'aws', ['eks', 'update-kubeconfig', '--name', plan.clusterName, '--region', plan.region]);
  const version = await run('kubectl', ['version', '--request-timeout=20s']);
  if (version.status !== 0) {
    console.error(`deploy: the Kubernetes API of ${plan.clusterName} cannot be reached from this runner.`);
    if (plan.apiAccessHint) console.error(`deploy: ${plan.apiAccessHint}`);
    throw new DeployError('the Kubernetes API cannot be reached');
  }
  return `${Object.keys(ctx.outputs).length} output(s) read, API reachable`;
}

/**
 * `cdktf deploy` runs where cdktf.json is: the directory that holds cdktf.out (cdktf's default
 * output, `cdktfOut` in the plan), whatever directory the script was started from. With
 * --skip-synth: the pipeline synthesized (with the strict checks) before, and synthesizing again
 * would rewrite cdktf.out, this plan included, in the middle of the deploy.
 */
async function cdktfDeploy(ctx, stack) {
  await must(`cdktf deploy ${stack} failed`, 'cdktf', ['deploy', stack, '--auto-approve', '--skip-synth', '--ignore-missing-stack-dependencies'], { cwd: path.dirname(ctx.cdktfOut) });
}

/** 2. The Secrets made outside the repository, then the Helm add-ons in the plan's order. */
async function installAddOns(ctx) {
  await checkRequiredSecrets(ctx.plan.requiredSecrets);
  for (const addOn of ctx.plan.addOns) await helmInstall(ctx, addOn);
  return `${ctx.plan.requiredSecrets.length} Secret(s) present, ${ctx.plan.addOns.length} add-on(s) installed`;
}

/**
 * What is wrong with each Secret: missing, unreadable, or lacking keys; [] when all is well. The
 * JSON holds the Secret's values: captured, never printed, and only its key names are looked at.
 */
async function secretProblems(secrets) {
  const problems = [];
  for (const secret of secrets) {
    const result = await run('kubectl', kubectl(secret.namespace, 'get', 'secret', secret.name, '-o', 'json'), { capture: true });
    if (result.status !== 0) {
      const why = result.stderr.includes('NotFound') ? 'is missing' : `could not be read (kubectl exited ${result.status})`;
      problems.push(`secret/${secret.name} in ${secret.namespace} ${why} (keys ${secret.keys.join(', ')})`);
      continue;
    }
    let data;
    try {
      data = JSON.parse(result.stdout).data ?? {};
    } catch {
      problems.push(`kubectl get secret ${secret.name} in ${secret.namespace} did not print JSON`);
      continue;
    }
    const missingKeys = secret.keys.filter((key) => !(key in data));
    if (missingKeys.length > 0) problems.push(`secret/${secret.name} in ${secret.namespace} lacks the key(s) ${missingKeys.join(', ')}`);
  }
  return problems;
}

/** How to create a Secret by hand (the values stay placeholders). */
function createSecretHint(secret, { createNamespace }) {
  return (
    (createNamespace ? `kubectl create namespace ${secret.namespace}; ` : '') +
    `kubectl -n ${secret.namespace} create secret generic ${secret.name} ` +
    secret.keys.map((key) => `--from-literal=${key}=<value>`).join(' ')
  );
}

/** Step 2: the cluster's Alertmanager mounts these, so the add-ons must not be installed without them. */
async function checkRequiredSecrets(secrets) {
  const problems = await secretProblems(secrets);
  if (problems.length === 0) return;
  for (const problem of problems) console.error(`deploy: ${problem}`);
  console.error(
    'deploy: these Secrets hold credentials and are created by hand, outside Terraform and this repository, ' +
      `e.g. ${createSecretHint(secrets[0], { createNamespace: true })}`,
  );
  throw new DeployError(`${problems.length} required Secret(s) missing or incomplete`);
}

/**
 * Step 3, after the bootstrap stack created the services' namespaces: the Secrets a namespace's
 * own alert routing reads. A warning, not a failure: the service runs without them, only its
 * alerts go nowhere until they exist. Kept in ctx.warnings for the summary.
 */
async function checkExpectedSecrets(ctx) {
  const secrets = ctx.plan.expectedSecrets;
  const problems = await secretProblems(secrets);
  for (const problem of problems) {
    console.error(`deploy: WARNING: ${problem}: the alert routing that reads it cannot send alerts until it is created`);
    ctx.warnings.push(problem);
  }
  if (problems.length > 0) {
    console.error(`deploy: WARNING: these Secrets hold credentials and are created by hand, e.g. ${createSecretHint(secrets[0], { createNamespace: false })}`);
  }
  return problems.length;
}

async function helmInstall(ctx, addOn) {
  const args = ['upgrade', '--install', addOn.release, addOn.chart, '--repo', addOn.repository, '--version', addOn.version, '--namespace', addOn.namespace, '--create-namespace', '--values', path.resolve(ctx.planDir, addOn.valuesFile)];
  const display = [...args];
  for (const [key, outputName] of Object.entries(addOn.valuesFromOutputs)) {
    const output = ctx.outputs[outputName];
    if (!output || !('value' in output)) throw new DeployError(`add-on ${addOn.release}: the AWS stack has no output ${outputName} (for ${key})`);
    if (output.value !== null && typeof output.value === 'object') throw new DeployError(`add-on ${addOn.release}: output ${outputName} is not a single value (for ${key})`);
    // --set-string splits on commas: escape them so a value stays one value.
    const value = String(output.value).replace(/\\/g, '\\\\').replace(/,/g, '\\,');
    args.push('--set-string', `${key}=${value}`);
    display.push('--set-string', `${key}=${output.sensitive ? '(sensitive)' : value}`);
  }
  // Nothing left of the deadline: do not change the CRDs of a release this run cannot upgrade.
  waitBudget(ctx, addOn.timeoutSeconds);
  await applyCrds(addOn);
  // Helm's own wait is cut by the deadline too: a helm killed by the runner would leave the
  // release pending, which blocks the next deploy's upgrade; with --atomic it rolls back instead.
  const budget = waitBudget(ctx, addOn.timeoutSeconds);
  const tail = ['--atomic', '--wait', '--timeout', `${budget.seconds}s`];
  await must(`add-on ${addOn.release} failed to install${cutNote(ctx, budget)}`, 'helm', [...args, ...tail], { display: [...display, ...tail] });
}

/**
 * Helm installs the CRDs of a chart's crds/ directory on the first install only and never
 * upgrades them (Helm's documented CRD policy): a chart version that needs a newer CRD (a new
 * field of a ServiceMonitor, an IngressClassParams, …) would otherwise run against the old one.
 * The AWS Load Balancer Controller and kube-prometheus-stack both say to apply their CRDs by
 * hand before an upgrade; this does it for every add-on, from the exact chart version that is
 * about to be installed. Server-side, since kube-prometheus-stack's CRDs are larger than the
 * annotation a client-side apply keeps (262144 bytes); --force-conflicts takes over the fields
 * Helm's first install owns. `helm show crds` prints them (subcharts' included), captured: they
 * are thousands of lines, and the apply lists every CRD anyway.
 */
async function applyCrds(addOn) {
  const chart = `${addOn.chart} ${addOn.version}`;
  const crds = await must(`add-on ${addOn.release}: could not read the CRDs of ${chart}`, 'helm', ['show', 'crds', addOn.chart, '--repo', addOn.repository, '--version', addOn.version], { capture: true });
  if (crds.stdout.trim() === '') {
    console.log(`${chart} has no CRDs`);
    return;
  }
  const count = (crds.stdout.match(/^kind:\s*CustomResourceDefinition\s*$/gm) ?? []).length;
  console.log(`${chart}: applying its ${count} CRD(s) before the upgrade (${crds.stdout.length} bytes on stdin)`);
  await must(`add-on ${addOn.release}: could not apply the CRDs of ${chart}`, 'kubectl', serverSideApply('-'), { input: crds.stdout });
}

/** 3. The bootstrap stack; the database jobs; then the expected Secrets. */
async function deployBootstrap(ctx) {
  await cdktfDeploy(ctx, ctx.plan.stacks.bootstrap);
  for (const db of ctx.plan.databases) {
    // The users Job must be done before a migration signs in with the users it creates.
    if ((await mustJobState(db.namespace, db.usersJob)) === 'failed') await deleteFailedJob(db.namespace, db.usersJob);
    await must(`could not apply ${db.manifestFile}`, 'kubectl', serverSideApply(path.resolve(ctx.planDir, db.manifestFile)));
    await waitForJob(ctx, db.namespace, db.usersJob, db.timeoutSeconds);
  }
  const missing = await checkExpectedSecrets(ctx);
  return `stack deployed, ${ctx.plan.databases.length} database(s) ready${missing > 0 ? `; WARNING: ${missing} expected Secret(s) missing or incomplete` : ''}`;
}

/** 4. A logical backup from each database's CronJob, before a migration can change the schema. */
async function backUpDatabases(ctx) {
  const databases = ctx.plan.databases.filter((db) => db.backupBeforeDeploy);
  if (databases.length === 0) return { skipped: 'no database asks for one' };
  for (const db of databases) {
    const job = predeployJobName(db.backupCronJob, ctx.runId);
    // The name comes from the run id: a re-run of the same workflow run finds its own Job.
    const state = await mustJobState(db.namespace, job);
    if (state === 'succeeded') {
      console.log(`job/${job}: this run's backup was already taken`);
      continue;
    }
    if (state === 'failed') await deleteFailedJob(db.namespace, job);
    if (state !== 'running') {
      waitBudget(ctx, db.timeoutSeconds);
      await must(`could not start the backup job/${job}`, 'kubectl', kubectl(db.namespace, 'create', 'job', job, `--from=cronjob/${db.backupCronJob}`));
    }
    await waitForJob(ctx, db.namespace, job, db.timeoutSeconds);
  }
  return `${databases.length} backup(s)`;
}

/** `<cronJob>-predeploy-<run id>`, the CronJob part cut so that the whole stays ≤ 63. */
function predeployJobName(cronJob, runId) {
  const room = 63 - PREDEPLOY.length - runId.length;
  const prefix = cronJob.slice(0, room).replace(/-+$/, '');
  return `${prefix}${PREDEPLOY}${runId}`;
}

/** 5. Each migration Job, applied alone and waited for; a re-run of a release skips it. */
async function runMigrations(ctx) {
  if (ctx.plan.migrations.length === 0) return { skipped: 'no service has a migration' };
  const done = [];
  for (const m of ctx.plan.migrations) {
    const state = await mustJobState(m.namespace, m.job);
    if (state === 'succeeded') {
      console.log(`job/${m.job}: skipped, the release is already migrated`);
      done.push(`${m.service} skipped`);
      continue;
    }
    if (state === 'failed') await deleteFailedJob(m.namespace, m.job);
    // Nothing left of the deadline: do not start a migration this run could not wait for.
    waitBudget(ctx, m.timeoutSeconds);
    // Server-side with the same field manager as step 6. The selector takes the Job, its
    // NetworkPolicy and the settings ConfigMap it reads; step 6 leaves the Job and its
    // NetworkPolicy alone (manifestSelector), since a Job's template is immutable.
    await must(`could not apply the migration job/${m.job}`, 'kubectl', serverSideApply(path.resolve(ctx.planDir, m.manifestFile), '--selector', m.selector));
    await waitForJob(ctx, m.namespace, m.job, m.timeoutSeconds);
    // Older migration Jobs of the service are history now; a failed cleanup does not fail the
    // deploy (they are deleted by the next successful migration).
    const cleanup = await run('kubectl', kubectl(m.namespace, 'delete', 'job', '--selector', m.serviceSelector, '--field-selector', `metadata.name!=${m.job}`, '--ignore-not-found'));
    if (cleanup.status !== 0) console.warn(`deploy: warning: could not delete the older migration jobs of ${m.service}`);
    done.push(`${m.service} migrated`);
  }
  return done.join(', ');
}

// `<name>,<revision>`, empty when the Deployment does not exist. The revision is what rollback
// returns to: a bare `rollout undo` would go back one revision even for a Deployment this run
// did not change, undoing the previous release instead.
const DEPLOYMENT_REVISION = 'jsonpath={.metadata.name},{.metadata.annotations.deployment\\.kubernetes\\.io/revision}';

/** 6. Every manifest file, server-side; then the config versions of each workload's pod template. */
async function applyManifests(ctx) {
  for (const w of ctx.plan.workloads) {
    const result = await must(`could not read deployment/${w.deployment}`, 'kubectl', kubectl(w.namespace, 'get', 'deployment', w.deployment, '-o', DEPLOYMENT_REVISION, '--ignore-not-found'), { capture: true });
    const [name, revision] = result.stdout.trim().split(',');
    ctx.before.set(w, { exists: Boolean(name), revision: revision || undefined });
  }
  // From here on a workload may have changed: a failure rolls back.
  ctx.workloadsTouched = true;
  // manifestSelector leaves out the migration Jobs and their NetworkPolicies: step 5 applied
  // them, and applying a Job again after its template changed fails (the template is immutable).
  for (const file of ctx.plan.manifestFiles) {
    await must(`could not apply ${file}`, 'kubectl', serverSideApply(path.resolve(ctx.planDir, file), '--selector', ctx.plan.manifestSelector));
  }
  const patched = [];
  const versions = new Map();
  for (const w of ctx.plan.workloads) {
    if (await recordConfigVersions(w, versions)) patched.push(w.deployment);
  }
  return `${ctx.plan.manifestFiles.length} file(s) applied${patched.length ? `; config versions set (pods restart): ${patched.join(', ')}` : ''}`;
}

/** The pod-template annotation that holds the config versions the pods started with. */
const CONFIG_VERSIONS = 'groundwork.dev/config-versions';
const CONFIG_VERSIONS_JSONPATH = `jsonpath={.spec.template.metadata.annotations.${CONFIG_VERSIONS.replace(/\./g, '\\.')}}`;

/**
 * Pods read their Terraform-managed config (configObjects: Secrets, ConfigMaps) at start, and a
 * change of it does not change the Deployment. Its resourceVersions, joined in configObjects
 * order (`secret/shop-web-connection=1001,configmap/shop-web-infrastructure=77`), are kept in
 * the pod template's CONFIG_VERSIONS annotation: when they differ from the cluster's, setting it
 * rolls the pods, so they restart exactly when the config they started with changed.
 *
 * Compared with the cluster on every run, not with what this run's bootstrap stack changed: a
 * run that changed the config and failed before this point leaves the old versions in the
 * template, so the re-run (whose stack deploy changes nothing) still restarts the pods. A rollback brings back an
 * older template and its older annotation, so the next run sets it again.
 *
 * After the apply, so the apply (field manager cdktf-groundwork) never owns the annotation and
 * a later apply leaves it alone; before step 7, so the rollout status waits for, and step 8
 * verifies, the pods with this config (patched after, they would roll out unwatched). On a first
 * deploy the annotation is absent and is set too: harmless, it only changes the template before
 * the first rollout completes. A workload without configObjects has nothing to compare.
 * `versions` caches the objects already read in this run (workloads may share one).
 * Returns whether the Deployment was patched.
 */
async function recordConfigVersions(w, versions) {
  if (w.configObjects.length === 0) return false;
  const current = [];
  for (const object of w.configObjects) {
    const key = `${w.namespace}/${object}`;
    if (!versions.has(key)) {
      // --ignore-not-found: an absent object reads as '' (then `<object>=`), so its creation later changes the value.
      const result = await must(`could not read ${object} in ${w.namespace}`, 'kubectl', kubectl(w.namespace, 'get', object, '-o', 'jsonpath={.metadata.resourceVersion}', '--ignore-not-found'), { capture: true });
      versions.set(key, result.stdout.trim());
    }
    current.push(`${object}=${versions.get(key)}`);
  }
  const value = current.join(',');
  const read = await must(`could not read the ${CONFIG_VERSIONS} annotation of deployment/${w.deployment}`, 'kubectl', kubectl(w.namespace, 'get', 'deployment', w.deployment, '-o', CONFIG_VERSIONS_JSONPATH, '--ignore-not-found'), { capture: true });
  const recorded = read.stdout.trim();
  if (recorded === value) return false;
  console.log(`deployment/${w.deployment}: its pods started with config ${recorded || '(none recorded)'}, now ${value}: setting ${CONFIG_VERSIONS}, which restarts them`);
  const patch = JSON.stringify({ spec: { template: { metadata: { annotations: { [CONFIG_VERSIONS]: value } } } } });
  await must(`could not set ${CONFIG_VERSIONS} on deployment/${w.deployment}`, 'kubectl', kubectl(w.namespace, 'patch', 'deployment', w.deployment, '--type=merge', '-p', patch));
  return true;
}

function rolloutStatus(w, seconds) {
  return run('kubectl', kubectl(w.namespace, 'rollout', 'status', `deployment/${w.deployment}`, `--timeout=${seconds}s`));
}

/** 7. Each workload's rollout; the first that does not finish stops the deploy. */
async function waitForRollouts(ctx) {
  for (const w of ctx.plan.workloads) {
    const budget = waitBudget(ctx, ctx.plan.rolloutTimeoutSeconds);
    if ((await rolloutStatus(w, budget.seconds)).status !== 0) {
      throw new DeployError(`deployment/${w.deployment} in ${w.namespace} did not roll out within ${budget.seconds}s${cutNote(ctx, budget)}`);
    }
  }
  return `${ctx.plan.workloads.length} Deployment(s) rolled out`;
}

// `<desired>,<updated>,<available>`; an absent count (a fresh status) is read as 0.
const DEPLOYMENT_REPLICAS = 'jsonpath={.spec.replicas},{.status.updatedReplicas},{.status.availableReplicas}';

/**
 * 8. At least one updated and one available replica, and the health path answers 2xx through the
 * Service. Not "available equals desired": rollout status (step 7) already waited for the rollout,
 * and an HPA that scales up right after it would make that comparison fail and roll back a
 * healthy release.
 */
async function verifyWorkloads(ctx) {
  for (const w of ctx.plan.workloads) {
    const result = await must(`could not read deployment/${w.deployment}`, 'kubectl', kubectl(w.namespace, 'get', 'deployment', w.deployment, '-o', DEPLOYMENT_REPLICAS), { capture: true });
    const [desired, updated, available] = result.stdout.trim().split(',').map((n) => Number(n || 0));
    console.log(`deployment/${w.deployment}: ${desired} desired, ${updated} updated, ${available} available`);
    // Scaled to zero on purpose: no replica can be checked, nothing can answer the health path,
    // and nothing needs to.
    if (desired === 0) continue;
    if (updated < 1 || available < 1) {
      throw new DeployError(`deployment/${w.deployment} has ${updated} updated and ${available} available replica(s) of ${desired}: at least one of each is needed`);
    }
    if (w.healthPath === null) continue;
    const budget = waitBudget(ctx, ctx.plan.healthCheckTimeoutSeconds);
    await withPortForward(ctx, w, budget, (port) => checkHealth(ctx, w, budget, port));
  }
  return `${ctx.plan.workloads.length} workload(s) available and healthy`;
}

/**
 * Runs fn(localPort) while `kubectl port-forward` to the Service runs in the background: through
 * the Service, as its clients reach the pods. The port-forward is always stopped afterwards.
 */
async function withPortForward(ctx, w, budget, fn) {
  const timeout = budget.seconds;
  const args = kubectl(w.namespace, 'port-forward', `svc/${w.serviceName}`, `:${w.servicePort}`);
  if (stopping !== null) throw new Stopped(`kubectl port-forward not started: the run is stopping (${stopping})`);
  console.log(`$ kubectl ${args.map(shellQuote).join(' ')} &`);
  const child = startTool('kubectl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new DeployError(`kubectl port-forward to svc/${w.serviceName} did not start within ${timeout}s${cutNote(ctx, budget)}`)), timeout * 1000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        seen += chunk;
        const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.stderr.on('data', (chunk) => process.stderr.write(chunk));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new DeployError(`cannot run kubectl port-forward: ${e.message}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new DeployError(`kubectl port-forward to svc/${w.serviceName} exited (${code}) before forwarding`));
      });
    });
    return await fn(port);
  } finally {
    await stopProcess(child);
  }
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function checkHealth(ctx, w, budget, port) {
  const timeout = budget.seconds;
  const url = `http://127.0.0.1:${port}${w.healthPath}`;
  // --fail makes an HTTP error an exit code (22); a 3xx still exits 0, hence the 2xx check.
  const result = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', String(timeout), '-o', '/dev/null', '-w', '%{http_code}', url], { capture: true });
  const code = result.stdout.trim();
  console.log(`${w.serviceName}${w.healthPath}: HTTP ${code || '(no answer)'}`);
  if (result.status !== 0 || !/^2\d\d$/.test(code)) {
    throw new DeployError(`health check of ${w.service} failed: ${url} answered ${code || 'nothing'} (curl exited ${result.status})${cutNote(ctx, budget)}`);
  }
}

/**
 * 9. Back to the revision each Deployment had before step 6, and wait for that rollout. Every
 * workload is tried even when one fails. A Deployment this run created has no earlier revision:
 * it is left as applied and counted as a failed rollback, since the environment is not back
 * where it was and someone has to decide (fix forward or delete it).
 */
async function rollBack(ctx) {
  const problems = [];
  for (const w of ctx.plan.workloads) {
    const before = ctx.before.get(w);
    if (!before?.exists) {
      problems.push(`deployment/${w.deployment} in ${w.namespace} did not exist before this run: there is no earlier revision to go back to; it is left as applied`);
      continue;
    }
    const target = before.revision ? [`--to-revision=${before.revision}`] : [];
    const undo = await run('kubectl', kubectl(w.namespace, 'rollout', 'undo', `deployment/${w.deployment}`, ...target));
    if (undo.status !== 0) {
      problems.push(`kubectl rollout undo of deployment/${w.deployment} in ${w.namespace} failed`);
      continue;
    }
    // Past the deadline too: the undo is under way, and waiting at least a minute for it is what
    // tells exit 2 from exit 3.
    const seconds = rollbackBudget(ctx, ctx.plan.rolloutTimeoutSeconds);
    if ((await rolloutStatus(w, seconds)).status !== 0) problems.push(`deployment/${w.deployment} in ${w.namespace} did not roll back within ${seconds}s`);
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`deploy: ${problem}`);
    throw new DeployError(`the rollback is incomplete (${problems.length} workload(s))`);
  }
  return `${ctx.plan.workloads.length} workload(s) rolled back`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const STEPS = [ensureServiceLinkedRole, deployAwsStack, installAddOns, deployBootstrap, backUpDatabases, runMigrations, applyManifests, waitForRollouts, verifyWorkloads];

async function runStep(ctx, n, fn) {
  console.log(`\n== ${n}. ${STEP_TITLES[n]} ==`);
  try {
    const result = await fn(ctx);
    ctx.results[n] = result && typeof result === 'object' ? { status: 'skipped', detail: result.skipped } : { status: 'ok', detail: result };
    if (ctx.results[n].status === 'skipped') console.log(`skipped: ${result.skipped}`);
    return true;
  } catch (e) {
    if (stopping !== null) {
      // Whatever failed here failed because its tool was interrupted, or was not started.
      console.error(`deploy: step ${n} (${STEP_TITLES[n]}) stopped by ${stopping}: ${e.message}`);
      ctx.results[n] = { status: 'stopped', detail: `${stopping}: ${e.message}` };
      return false;
    }
    // An unexpected error is still a failed step (so steps 6–8 roll back), with its stack.
    const message = e instanceof DeployError ? e.message : e.stack;
    console.error(`deploy: step ${n} (${STEP_TITLES[n]}) failed: ${message}`);
    ctx.results[n] = { status: 'failed', detail: e.message };
    return false;
  }
}

const FAILED_BEFORE_WORKLOADS =
  'failed before any workload was updated (no rollback needed; the AWS stack, add-ons, bootstrap stack, database users or schema may have changed)';

function printSummary(ctx, exitCode) {
  const stoppedAfterWorkloads = stopping !== null && exitCode === EXIT.rollbackFailed && ctx.results[9] === undefined;
  const outcome = stoppedAfterWorkloads
    ? `STOPPED BY ${stopping} after the manifests were applied: the workloads may be mid-rollout and were not rolled back; a human is needed`
    : {
        [EXIT.deployed]: 'deployed',
        [EXIT.failed]: `${stopping !== null ? `stopped by ${stopping}: ` : ''}${FAILED_BEFORE_WORKLOADS}`,
        [EXIT.rolledBack]: 'a workload failed and was rolled back',
        [EXIT.rollbackFailed]: 'THE ROLLBACK FAILED TOO: a human is needed',
      }[exitCode];
  console.log(`\n== summary: ${ctx.plan.environment}, run ${ctx.runId} ==`);
  STEP_TITLES.forEach((title, n) => {
    const notRolledBack = stoppedAfterWorkloads ? `not attempted (stopped by ${stopping})` : 'not needed';
    const r = ctx.results[n] ?? { status: 'skipped', detail: n === 9 ? notRolledBack : 'not reached' };
    console.log(`  ${n}. ${title.padEnd(36)} ${r.status.padEnd(7)} ${r.detail ?? ''}`.trimEnd());
  });
  if (ctx.warnings.length > 0) {
    console.log(`warnings (${ctx.warnings.length}):`);
    for (const warning of ctx.warnings) console.log(`  WARNING: ${warning}`);
  }
  console.log(`result: exit ${exitCode}, ${outcome}`);
}

async function main() {
  const startedAt = Date.now();
  const { planPath, runId, pollSeconds, deadlineOverride } = parseArguments(process.argv.slice(2));
  const plan = loadPlan(planPath);
  const planDir = path.dirname(planPath);
  const ctx = {
    plan,
    planDir,
    cdktfOut: path.resolve(planDir, plan.cdktfOut),
    runId,
    pollSeconds,
    // The job's clock started before this script (checkout, npm ci, synth): the margin in
    // waitBudget absorbs that too.
    deadline: startedAt + (deadlineOverride ?? plan.deadlineMinutes * 60) * 1000,
    deadlineOverride,
    outputs: {},
    before: new Map(),
    workloadsTouched: false,
    warnings: [],
    results: [],
  };
  // Whatever still runs when the script exits (a port-forward after an unexpected error) goes
  // with it: the tools run in their own process groups, so nothing else would stop them.
  process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  console.log(`deploy: ${plan.environment} (${plan.clusterName}, ${plan.region}), run ${runId}, plan ${planPath}, deadline ${deadlineOverride ?? plan.deadlineMinutes * 60}s`);

  let exitCode = EXIT.deployed;
  for (let n = 0; n < STEPS.length; n++) {
    // A signal between two tools: the next step does not start.
    if (stopping === null && (await runStep(ctx, n, STEPS[n]))) continue;
    if (stopping !== null) {
      // No rollback on a signal: the runner kills the job seconds later, and an undo cut off
      // half-way is worse than a rollout a human can see and finish or undo.
      exitCode = ctx.workloadsTouched ? EXIT.rollbackFailed : EXIT.failed;
    } else if (n < FIRST_WORKLOAD_STEP || !ctx.workloadsTouched) {
      exitCode = EXIT.failed;
    } else {
      exitCode = (await runStep(ctx, 9, rollBack)) ? EXIT.rolledBack : EXIT.rollbackFailed;
    }
    break;
  }
  if (stopping !== null && ctx.workloadsTouched && ctx.results[9] === undefined) {
    console.error(`deploy: stopped by ${stopping} after the manifests were applied: the workloads may be mid-rollout and nothing was rolled back. Check them (kubectl rollout status) and finish or undo the rollout by hand.`);
  } else if (exitCode === EXIT.rollbackFailed) {
    console.error('deploy: the rollback failed: a human is needed. The workloads above are not back at their previous revision.');
  }
  printSummary(ctx, exitCode);
  return exitCode;
}

process.exitCode = await main();
