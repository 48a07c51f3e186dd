// Offline Terraform harness: init, validate and plan synthesized cdktf stacks against the
// local AWS provider mirror, with no network and no AWS account.
//
// Used by `npm run plan` (scripts/offline-plan.mjs) and by the jest matchers
// toBeValidTerraform / toPlanSuccessfully (test/setup/terraform-matchers.ts), so both check
// stacks the same way.
//
// How it stays offline:
// - A Terraform CLI config of our own (TF_CLI_CONFIG_FILE) installs providers only from the
//   filesystem mirror; there is no `direct` block, so a provider not in the mirror fails
//   init at once instead of reaching for the network.
// - Each stack is copied into a working directory with an `offline_override.tf.json` that
//   gives the AWS provider fake credentials and the skip_* flags and swaps the backend for a
//   local one. cdktf.out itself is never modified, so a later `cdktf deploy` sees exactly
//   what synth wrote.
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORK_ROOT = path.join(REPO_ROOT, '.terraform-offline');
const MIRROR_DIR = process.env.GROUNDWORK_TF_MIRROR || '/opt/tf-plugins';
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';
const AWS_PROVIDER_VERSION = '5.100.0';
const PLUGIN_CACHE = path.join(WORK_ROOT, 'plugin-cache');

class OfflineTerraformError extends Error {}

/** Checks terraform and the mirror, writes the CLI config; returns the environment for terraform. */
function prepareOfflineEnvironment() {
  const version = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new OfflineTerraformError(
      'terraform is not on PATH: the offline harness needs Terraform >= 1.5 (this project is checked with 1.11)',
    );
  }
  const providerDir = path.join(MIRROR_DIR, AWS_PROVIDER, AWS_PROVIDER_VERSION);
  if (!fs.existsSync(providerDir)) {
    throw new OfflineTerraformError(
      `the AWS provider mirror is missing: expected ${providerDir} (hashicorp/aws ${AWS_PROVIDER_VERSION}); ` +
        'set GROUNDWORK_TF_MIRROR to a filesystem mirror that holds it',
    );
  }
  fs.mkdirSync(PLUGIN_CACHE, { recursive: true });
  const cliConfig = path.join(WORK_ROOT, 'terraformrc');
  writeFileAtomically(
    cliConfig,
    [
      '# Written by scripts/lib/offline-terraform.cjs: providers come only from the local mirror.',
      `plugin_cache_dir = ${JSON.stringify(PLUGIN_CACHE)}`,
      // Every check inits a fresh working directory, without a lock file. Without this setting
      // Terraform (1.4+) then ignores the cached provider and installs it into the cache again,
      // replacing the cache entry while other processes plan through it ("failed to verify
      // checksum ... lstat ... plugin-cache"). With it, the cache is written once, by
      // ensurePluginCache, and only read afterwards. The working directories are throwaway.
      'plugin_cache_may_break_dependency_lock_file = true',
      'disable_checkpoint = true',
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(MIRROR_DIR)}`,
      `    include = [${JSON.stringify(AWS_PROVIDER)}]`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const env = { ...process.env };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const offlineEnv = {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'offline-plan-not-a-real-key',
    AWS_SECRET_ACCESS_KEY: 'offline-plan-not-a-real-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  ensurePluginCache(offlineEnv);
  return offlineEnv;
}

/**
 * Writes a file by renaming a complete temporary one over it, unless it already holds that
 * content: test workers write the CLI config while other workers' Terraform reads it, and a
 * truncated config would let Terraform look past the mirror.
 */
function writeFileAtomically(file, content) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/**
 * Installs the AWS provider into the plugin cache once, before any check uses it: concurrent
 * first inits (the test workers of a fresh clone) would each install it and replace the entry
 * while the others read it. One process does it under a lock (a file created exclusively,
 * holding its PID; a dead holder's lock is taken over), in a scratch directory, and leaves a
 * marker; the others wait for the marker.
 */
function ensurePluginCache(env) {
  const marker = path.join(PLUGIN_CACHE, `.installed-aws-${AWS_PROVIDER_VERSION}`);
  if (fs.existsSync(marker)) return;
  withLock(path.join(WORK_ROOT, 'plugin-cache.lock'), () => {
    if (fs.existsSync(marker)) return;
    const scratch = fs.mkdtempSync(path.join(WORK_ROOT, 'plugin-cache-install-'));
    try {
      fs.writeFileSync(
        path.join(scratch, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION } } } }),
      );
      run(['init', '-input=false', '-no-color', '-backend=false'], scratch, env);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  });
}

const LOCK_WAIT_SECONDS = 300;

/** Runs `fn` holding a lock file that other processes (not threads) respect. */
function withLock(lockFile, fn) {
  const deadline = Date.now() + LOCK_WAIT_SECONDS * 1000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new OfflineTerraformError(`${lockFile} is held by process ${holder} for more than ${LOCK_WAIT_SECONDS} s; remove it if that process is gone`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The providers a synthesized stack requires, by local name. */
function requiredProviders(stackJson) {
  return Object.keys((stackJson.terraform && stackJson.terraform.required_providers) || {});
}

/** True when the stack needs only the AWS provider, so the mirror can plan it. */
function isAwsOnly(stackJson) {
  const providers = requiredProviders(stackJson);
  return providers.length > 0 && providers.every((p) => p === 'aws');
}

/**
 * The override that makes a stack plannable offline without touching its own configuration:
 * one entry per AWS provider block (the default one and every alias, such as a second region
 * for disaster recovery), matched by alias.
 */
function offlineOverride(stackJson = { provider: { aws: [{}] } }) {
  const blocks = (stackJson.provider && stackJson.provider.aws) || [{}];
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: {
      aws: blocks.map((block) => ({
        ...(block.alias ? { alias: block.alias } : {}),
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
        // The account guard needs the account ID from STS, which an offline plan cannot ask.
        allowed_account_ids: null,
      })),
    },
  };
}

function run(args, cwd, env) {
  const result = spawnSync('terraform', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new OfflineTerraformError(
      `terraform ${args[0]} failed in ${cwd} (exit ${result.status}):\n${result.stderr || ''}${result.stdout || ''}`,
    );
  }
  return result.stdout;
}

/**
 * Copies a synthesized stack directory (holding cdk.tf.json) into the offline work area and
 * runs init and validate; with `plan: true` also plan, returning the planned changes (counts,
 * and the whole `terraform show -json` as `plan`). With `state` (a state object), the plan
 * starts from that state instead of an empty one. Options for upgrade tests: `validate: false`
 * and `ignorePreventDestroy: true` (see below). `show: false` returns the counts only (no
 * `plan`, `plannedResources`), saving a `terraform show`.
 */
function checkStack(stackDir, options = {}) {
  const env = options.env || prepareOfflineEnvironment();
  const stackJson = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const name = options.name || path.basename(stackDir);
  if (!isAwsOnly(stackJson)) {
    throw new OfflineTerraformError(
      `stack ${name} requires providers ${requiredProviders(stackJson).join(', ')}; only aws-only stacks can be planned offline`,
    );
  }
  const workDir = path.join(WORK_ROOT, 'stacks', options.workName || name);
  fs.mkdirSync(workDir, { recursive: true });
  for (const entry of fs.readdirSync(workDir)) {
    // Keep .terraform (the installed provider) between runs; replace everything else.
    if (entry !== '.terraform' && entry !== '.terraform.lock.hcl') {
      fs.rmSync(path.join(workDir, entry), { recursive: true, force: true });
    }
  }
  fs.cpSync(stackDir, workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, 'offline_override.tf.json'), JSON.stringify(offlineOverride(stackJson), null, 2));
  if (options.ignorePreventDestroy) {
    // lifecycle.prevent_destroy turns a planned destroy into an error that names the resource
    // but not the attribute that forces the replacement; without it the plan completes and
    // shows the replacement and its replace_paths (an upgrade test reports those).
    const copy = JSON.parse(JSON.stringify(stackJson));
    for (const byName of Object.values(copy.resource || {})) {
      for (const resource of Object.values(byName)) {
        if (resource.lifecycle) delete resource.lifecycle.prevent_destroy;
      }
    }
    fs.writeFileSync(path.join(workDir, 'cdk.tf.json'), JSON.stringify(copy, null, 2));
  }
  if (options.state) {
    // A prior state to plan against (the local backend's file): an upgrade test plans the new
    // configuration against the resources the old one left behind (see stateFromPlan).
    fs.writeFileSync(path.join(workDir, 'terraform.tfstate'), JSON.stringify(options.state));
  }

  const started = Date.now();
  const cacheFile = resultCacheFile(workDir, options);
  if (cacheFile && fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    return { ...cached, name, workDir, cached: true, seconds: (Date.now() - started) / 1000 };
  }
  run(['init', '-input=false', '-no-color', '-reconfigure'], workDir, env);
  // `validate: false` skips the separate validate (about 4 s for a large stack) when a plan
  // follows, which validates the configuration too, only with less tidy messages.
  const validation =
    options.validate === false && options.plan
      ? { valid: true }
      : JSON.parse(spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: workDir, env, encoding: 'utf8' }).stdout);
  if (!validation.valid) {
    const details = (validation.diagnostics || [])
      .map((d) => `${d.severity}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}${d.address ? ` (${d.address})` : ''}`)
      .join('\n');
    throw new OfflineTerraformError(`terraform validate found ${validation.error_count} error(s) in ${name}:\n${details}`);
  }
  const result = { name, workDir, valid: true, resourceCount: countResources(stackJson) };
  if (options.plan && options.show === false) {
    // Counts only, from plan's summary line: `terraform show -json` loads the provider schema
    // again (about 3 s for a large stack), which only callers that read single changes need.
    const output = run(['plan', '-input=false', '-lock=false', '-refresh=false', '-no-color'], workDir, env);
    const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
    if (!summary && !/No changes\./.test(output)) {
      throw new OfflineTerraformError(`terraform plan in ${workDir} printed no summary line:\n${output.slice(-2000)}`);
    }
    [result.toAdd, result.toChange, result.toDestroy] = summary ? summary.slice(1).map(Number) : [0, 0, 0];
  } else if (options.plan) {
    run(['plan', '-input=false', '-lock=false', '-refresh=false', '-no-color', '-out=offline.tfplan'], workDir, env);
    const plan = JSON.parse(run(['show', '-json', 'offline.tfplan'], workDir, env));
    const changes = { create: 0, update: 0, delete: 0 };
    for (const change of plan.resource_changes || []) {
      for (const action of change.change.actions) {
        if (action in changes) changes[action] += 1;
      }
    }
    result.toAdd = changes.create;
    result.toChange = changes.update;
    result.toDestroy = changes.delete;
    result.plannedResources = (plan.resource_changes || []).map((c) => c.address);
    // The whole `terraform show -json` of the plan, for tests that look at single changes.
    result.plan = plan;
  }
  result.seconds = (Date.now() - started) / 1000;
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const { workDir: _dir, seconds: _seconds, ...stored } = result;
    fs.writeFileSync(cacheFile, JSON.stringify(stored));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Result cache: a successful check is stored under the hash of everything that decides it (the
// files terraform reads, the options, the Terraform and provider builds, this harness), so a
// stack that has not changed is not planned again: the tests and `npm run plan` share results,
// and a second `npm test` only plans what changed. Failures are never stored. A fresh clone
// starts empty; GROUNDWORK_TF_CACHE=off turns the cache off.
const RESULT_CACHE = path.join(WORK_ROOT, 'results');
let toolchainFingerprint;

function resultCacheFile(workDir, options) {
  const hash = toolchainHash();
  if (!hash) return undefined;
  // Terraform's own files (.terraform/, the lock file) are results of init, not inputs.
  const inputs = listFiles(workDir)
    .map((file) => path.relative(workDir, file))
    .filter((file) => !file.startsWith('.terraform'))
    .sort();
  for (const file of inputs) hash.update(`\n${file}\n`).update(fs.readFileSync(path.join(workDir, file)));
  hash.update(JSON.stringify({ plan: !!options.plan, validate: options.validate !== false, show: options.show !== false }));
  return path.join(RESULT_CACHE, `${hash.digest('hex')}.json`);
}

/** A hash seeded with the Terraform and provider builds and this harness; undefined when the cache is off. */
function toolchainHash() {
  if ((process.env.GROUNDWORK_TF_CACHE || '').toLowerCase() === 'off') return undefined;
  if (!toolchainFingerprint) {
    const terraform = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } }).stdout;
    const providerDir = path.join(MIRROR_DIR, AWS_PROVIDER, AWS_PROVIDER_VERSION);
    const providerFiles = listFiles(providerDir).map((f) => {
      const stat = fs.statSync(f);
      return `${path.relative(providerDir, f)}:${stat.size}:${stat.mtimeMs}`;
    });
    toolchainFingerprint = [terraform, ...providerFiles, fs.readFileSync(__filename, 'utf8')].join('\n');
  }
  return crypto.createHash('sha256').update(toolchainFingerprint);
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function countResources(stackJson) {
  return Object.values(stackJson.resource || {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/** Lists the stacks of a synth output directory (cdktf.out) from its manifest. */
function listStacks(outdir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries(manifest.stacks).map(([name, stack]) => {
    const dir = path.join(outdir, stack.workingDirectory);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    return { name, dir, awsOnly: isAwsOnly(json), providers: requiredProviders(json) };
  });
}

/** `terraform providers schema -json` in a working directory checkStack initialized: the AWS resource schemas by type. */
function resourceSchemas(workDir, env = prepareOfflineEnvironment()) {
  // The schemas depend on the provider build only: cached beside the results.
  const hash = toolchainHash();
  const file = hash && path.join(RESULT_CACHE, `${hash.update('resource schemas').digest('hex')}.schemas.json`);
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  // A working directory whose check came from the cache has not been initialized.
  if (!fs.existsSync(path.join(workDir, '.terraform'))) run(['init', '-input=false', '-no-color', '-reconfigure'], workDir, env);
  const schemas = JSON.parse(run(['providers', 'schema', '-json'], workDir, env)).provider_schemas[AWS_PROVIDER].resource_schemas;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(schemas));
  }
  return schemas;
}

// ---------------------------------------------------------------------------------------------
// A state from a plan, for upgrade tests.
//
// stateFromPlan(plan, schemas, stackJson) returns a Terraform state (format version 4) that
// holds every resource a plan from an empty state creates, at its planned address, with its
// planned attribute values: what `terraform apply` of that plan would leave behind, except for
// the values unknown until apply, which are filled in so that a later plan can compare:
// - an attribute the configuration sets to an expression over other resources
//   (`"vpc_id": "${aws_vpc.Network.id}"`, a policy document with ARNs in it) is evaluated
//   against those resources as filled here, so references between resources agree;
// - a computed-only attribute (id, arn, endpoint, ...) gets a placeholder of its schema type,
//   derived from the resource address and the attribute path, so the same attribute always
//   gets the same value: a well-formed ARN for `arn` and `*_arn` and an ID of the right form
//   where providers check what a configuration holds (ID_PREFIXES), the configured name for an
//   `id` that AWS sets to it (RESOURCE_ID_ATTRIBUTE), an https URL for URLs, a string naming
//   the address and path otherwise; 1 for numbers, false for booleans, one placeholder element
//   for a list or set (so `identity[0].oidc[0].issuer` resolves);
// - an optional+computed attribute the configuration leaves out gets the empty value of its
//   type ("", 0, false, [], {}), and a computed block none.
// The sensitive paths of the plan become the state's sensitive_attributes, as apply writes them.
// Checked with release 0.1's production stack: its configuration planned against this state
// has no changes at all.
// It evaluates only the expressions cdktf writes: string templates of resource and local
// references and `replace(...)`. Anything else throws, naming the expression.
// `schemas` is resourceSchemas(...) of a working directory with the same provider; `stackJson`
// the cdk.tf.json that was planned (for the expressions, which the plan JSON does not hold).

const PLACEHOLDER_ACCOUNT = '123456789012';

// Resource types whose `id` AWS (or the provider) sets to one of their configured attributes.
const RESOURCE_ID_ATTRIBUTE = {
  aws_backup_vault: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_db_parameter_group: 'name',
  aws_db_subnet_group: 'name',
  aws_eks_cluster: 'name',
  aws_elasticache_parameter_group: 'name',
  aws_elasticache_replication_group: 'replication_group_id',
  aws_elasticache_subnet_group: 'name',
  aws_elasticache_user: 'user_id',
  aws_elasticache_user_group: 'user_group_id',
  aws_eip: 'allocation_id',
  aws_iam_role: 'name',
  aws_kms_alias: 'name',
  aws_kms_key: 'key_id',
  aws_s3_bucket: 'bucket',
  aws_s3_bucket_lifecycle_configuration: 'bucket',
  aws_s3_bucket_ownership_controls: 'bucket',
  aws_s3_bucket_policy: 'bucket',
  aws_s3_bucket_public_access_block: 'bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'bucket',
  aws_s3_bucket_versioning: 'bucket',
};

// Computed IDs that providers check the form of when another resource's configuration holds
// them (a launch template ID must be lt- and alphanumerics), by resource type and attribute.
const ID_PREFIXES = {
  'aws_default_security_group.id': 'sg',
  'aws_eip.allocation_id': 'eipalloc',
  'aws_eks_cluster.vpc_config.cluster_security_group_id': 'sg',
  'aws_flow_log.id': 'fl',
  'aws_internet_gateway.id': 'igw',
  'aws_launch_template.id': 'lt',
  'aws_nat_gateway.id': 'nat',
  'aws_route_table.id': 'rtb',
  'aws_security_group.id': 'sg',
  'aws_subnet.id': 'subnet',
  'aws_vpc.id': 'vpc',
  'aws_vpc_endpoint.id': 'vpce',
  'aws_vpc_security_group_egress_rule.id': 'sgr',
  'aws_vpc_security_group_ingress_rule.id': 'sgr',
};

// The ARN service of a resource type, for placeholder ARNs (default: ec2).
const ARN_SERVICES = [
  ['aws_iam_', 'iam'],
  ['aws_kms_', 'kms'],
  ['aws_sns_', 'sns'],
  ['aws_s3_', 's3'],
  ['aws_lb', 'elasticloadbalancing'],
  ['aws_eks_', 'eks'],
  ['aws_db_', 'rds'],
  ['aws_elasticache_', 'elasticache'],
  ['aws_wafv2_', 'wafv2'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_backup_', 'backup'],
];

function stateFromPlan(plan, schemas, stackJson) {
  const changes = new Map();
  for (const change of plan.resource_changes || []) {
    if (change.mode !== 'managed') continue;
    if (change.module_address || change.index !== undefined || change.change.actions.join() !== 'create') {
      throw new OfflineTerraformError(
        `stateFromPlan takes a plan from an empty state of root-module resources without count or for_each; ${change.address} is not one`,
      );
    }
    changes.set(change.address, change);
  }
  const providerKeys = new Map(plan.configuration.root_module.resources.map((r) => [r.address, r]));
  const filled = new Map();
  const filling = new Set();

  /** The attribute values of a planned resource, unknowns filled in. */
  function resourceValues(address) {
    if (filled.has(address)) return filled.get(address);
    const change = changes.get(address);
    if (!change) throw new OfflineTerraformError(`a reference to ${address}, which the plan does not create`);
    if (filling.has(address)) throw new OfflineTerraformError(`a reference cycle through ${address}`);
    filling.add(address);
    const schema = schemas[change.type];
    if (!schema) throw new OfflineTerraformError(`no provider schema for ${change.type}`);
    const resource = { type: change.type, name: change.name, address };
    const config = ((stackJson.resource || {})[change.type] || {})[change.name] || {};
    const values = fillValue(change.change.after, change.change.after_unknown, config, { block: schema.block }, [], resource);
    const idFrom = RESOURCE_ID_ATTRIBUTE[change.type];
    if (change.change.after_unknown.id === true && idFrom && typeof values[idFrom] === 'string') {
      values.id = values[idFrom];
    }
    filling.delete(address);
    filled.set(address, values);
    return values;
  }

  function fillValue(after, unknown, config, node, pathSoFar, resource) {
    if (unknown === true) {
      return config === undefined || config === null
        ? placeholder(node, pathSoFar, resource)
        : conform(evaluate(config, resource), node);
    }
    if (!containsUnknown(unknown)) return after;
    if (Array.isArray(after)) {
      return after.map((element, i) =>
        fillValue(element, unknown[i], configElement(config, node, element, i), childNode(node, i, resource, pathSoFar), [...pathSoFar, i], resource),
      );
    }
    const result = { ...after };
    for (const key of Object.keys(unknown)) {
      const configValue = config !== null && typeof config === 'object' && !Array.isArray(config) ? config[key] : undefined;
      const child = childNode(node, key, resource, pathSoFar);
      result[key] = fillValue(after ? after[key] : undefined, unknown[key], configValue, child, [...pathSoFar, key], resource);
    }
    return result;
  }

  /**
   * The configuration of element i of a list or set. cdktf writes a block of one as an object.
   * A set's elements are not in configuration order: take the first configuration element whose
   * literal values agree with the planned element's.
   */
  function configElement(config, node, element, i) {
    if (config === undefined || config === null) return undefined;
    const candidates = Array.isArray(config) ? config : [config];
    const isSet = node.nesting === 'set' || (Array.isArray(node.type) && node.type[0] === 'set');
    if (!isSet) return candidates[i];
    return candidates.find((candidate) => agrees(element, candidate));
  }

  /** Whether a planned set element and a configuration element agree on their literal values. */
  function agrees(element, candidate) {
    const literal = (v) => v !== null && typeof v !== 'object' && !(typeof v === 'string' && v.includes('${'));
    if (element === null || typeof element !== 'object') return !literal(candidate) || String(element) === String(candidate);
    if (candidate === null || typeof candidate !== 'object') return false;
    return Object.entries(candidate).every(([key, value]) => !literal(value) || element[key] === undefined || String(element[key]) === String(value));
  }

  function placeholder(node, pathSoFar, resource) {
    if (node.nesting) return node.nesting === 'map' ? {} : [];
    if (node.block) {
      if (!node.single) throw new OfflineTerraformError(`no placeholder for a whole block at ${resource.address}.${pathSoFar.join('.')}`);
      return null;
    }
    const type = node.type;
    // An optional+computed attribute the configuration leaves out keeps its state value in
    // later plans whatever it is, but the provider's own checks may read it (a standard SNS
    // topic with a FIFO throughput scope fails the plan): give it the empty value AWS reports.
    // Not to `id`, which SDKv2 declares optional+computed: an empty id is a resource that is gone.
    if (type === 'string') {
      return node.optional && !(pathSoFar.length === 1 && pathSoFar[0] === 'id') ? '' : placeholderString(pathSoFar, resource);
    }
    if (type === 'number') return node.optional ? 0 : 1;
    if (type === 'bool') return false;
    if (type === 'dynamic') return null;
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set') {
      return node.optional ? [] : [placeholder({ type: inner }, [...pathSoFar, 0], resource)];
    }
    if (kind === 'map') return {};
    if (kind === 'object') {
      return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, placeholder({ type: t }, [...pathSoFar, k], resource)]));
    }
    throw new OfflineTerraformError(`no placeholder for type ${JSON.stringify(type)} at ${resource.address}.${pathSoFar.join('.')}`);
  }

  function placeholderString(pathSoFar, resource) {
    const attribute = pathSoFar.filter((p) => typeof p === 'string').pop() || '';
    const label = [resource.name, ...pathSoFar].join('-');
    const digest = crypto.createHash('sha256').update(`${resource.address}.${pathSoFar.join('.')}`).digest('hex');
    const idPrefix = ID_PREFIXES[[resource.type, ...pathSoFar.filter((p) => typeof p === 'string')].join('.')];
    if (idPrefix) return `${idPrefix}-${digest.slice(0, 17)}`;
    if (resource.type === 'aws_kms_key' && attribute === 'key_id') {
      return [digest.slice(0, 8), digest.slice(8, 12), `4${digest.slice(13, 16)}`, `8${digest.slice(17, 20)}`, digest.slice(20, 32)].join('-');
    }
    if (/(^|_)(url|issuer)$/.test(attribute) || (resource.type === 'aws_eks_cluster' && attribute === 'endpoint')) {
      return `https://${label.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.placeholder.invalid`;
    }
    if (attribute === 'arn' || attribute.endsWith('_arn')) {
      const [, service] = ARN_SERVICES.find(([prefix]) => resource.type.startsWith(prefix)) || [null, 'ec2'];
      const region = service === 'iam' || service === 's3' ? '' : regionOf(resource);
      return `arn:aws:${service}:${region}:${service === 's3' ? '' : PLACEHOLDER_ACCOUNT}:${resource.type.replace(/^aws_/, '')}/${label}`;
    }
    return `placeholder-${label}`;
  }

  function regionOf(resource) {
    const config = providerKeys.get(resource.address);
    const key = config ? config.provider_config_key : 'aws';
    const provider = (plan.configuration.provider_config || {})[key];
    const region = provider && provider.expressions && provider.expressions.region;
    return (region && region.constant_value) || 'eu-west-1';
  }

  /** Evaluates a configuration value: templates inside it, recursively. */
  function evaluate(config, resource) {
    if (typeof config === 'string') return evaluateTemplate(config, resource);
    if (Array.isArray(config)) return config.map((c) => evaluate(c, resource));
    if (config !== null && typeof config === 'object') {
      return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, evaluate(v, resource)]));
    }
    return config;
  }

  function evaluateTemplate(text, resource) {
    const parts = [];
    let literal = '';
    let i = 0;
    while (i < text.length) {
      if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
        literal += text.slice(i + 1, i + 3);
        i += 3;
      } else if (text.startsWith('%{', i)) {
        throw new OfflineTerraformError(`stateFromPlan does not evaluate template directives (${resource.address}): ${text}`);
      } else if (text.startsWith('${', i)) {
        const parser = expressionParser(text, i + 2, resource);
        const value = parser.expression();
        parser.expect('}');
        if (literal) parts.push(literal);
        literal = '';
        parts.push({ value });
        i = parser.position();
      } else {
        literal += text[i];
        i += 1;
      }
    }
    if (literal) parts.push(literal);
    if (parts.length === 1 && typeof parts[0] === 'object') return parts[0].value;
    return parts.map((p) => (typeof p === 'string' ? p : templateString(p.value, text, resource))).join('');
  }

  function templateString(value, text, resource) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new OfflineTerraformError(`a non-string value interpolated in ${resource.address}: ${text}`);
  }

  /** A recursive-descent parser of the expressions cdktf writes inside `${...}`. */
  function expressionParser(text, start, resource) {
    let pos = start;
    const fail = (why) => {
      throw new OfflineTerraformError(`stateFromPlan cannot evaluate ${JSON.stringify(text)} (${resource.address}): ${why}`);
    };
    const skip = () => {
      while (/\s/.test(text[pos] || '')) pos += 1;
    };
    const identifier = () => {
      skip();
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(pos));
      if (!match) fail(`an identifier expected at ${pos}`);
      pos += match[0].length;
      return match[0];
    };
    const expect = (token) => {
      skip();
      if (!text.startsWith(token, pos)) fail(`"${token}" expected at ${pos}`);
      pos += token.length;
    };
    const stringLiteral = () => {
      expect('"');
      let value = '';
      while (text[pos] !== '"') {
        if (pos >= text.length) fail('an unterminated string');
        if (text[pos] === '\\') {
          const escaped = text[pos + 1];
          value += { n: '\n', t: '\t', r: '\r' }[escaped] || escaped;
          pos += 2;
        } else {
          value += text[pos];
          pos += 1;
        }
      }
      pos += 1;
      return value;
    };
    const step = (value, what) => {
      if (value === undefined || value === null) fail(`${what} is not set`);
      return value;
    };
    const expression = () => {
      skip();
      if (text[pos] === '"') return stringLiteral();
      const root = identifier();
      skip();
      if (text[pos] === '(') {
        pos += 1;
        const args = [];
        skip();
        while (text[pos] !== ')') {
          args.push(expression());
          skip();
          if (text[pos] === ',') pos += 1;
          else if (text[pos] !== ')') fail(`"," or ")" expected at ${pos}`);
          skip();
        }
        pos += 1;
        if (root === 'replace' && args.length === 3 && !/^\/.*\/$/.test(args[1])) {
          return String(args[0]).split(args[1]).join(args[2]);
        }
        fail(`the function ${root}(...) is not supported`);
      }
      let value;
      let what;
      if (root === 'local') {
        const name = (expect('.'), identifier());
        const locals = stackJson.locals || {};
        if (!(name in locals)) fail(`local.${name} is not defined`);
        value = evaluate(locals[name], resource);
        what = `local.${name}`;
      } else if (['var', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self'].includes(root)) {
        fail(`${root}.* references are not supported`);
      } else {
        const name = (expect('.'), identifier());
        value = resourceValues(`${root}.${name}`);
        what = `${root}.${name}`;
      }
      for (;;) {
        skip();
        if (text[pos] === '.') {
          pos += 1;
          const key = identifier();
          what += `.${key}`;
          value = step(value, what)[key];
        } else if (text[pos] === '[') {
          pos += 1;
          skip();
          const match = /^\d+/.exec(text.slice(pos));
          if (!match) fail(`an index expected at ${pos}`);
          pos += match[0].length;
          expect(']');
          what += `[${match[0]}]`;
          value = step(value, what)[Number(match[0])];
        } else {
          return step(value, what);
        }
      }
    };
    return { expression, expect, position: () => pos };
  }

  const state = {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000000',
    outputs: {},
    resources: [...changes.values()].map((change) => {
      const config = providerKeys.get(change.address);
      const alias = config && config.provider_config_key.includes('.') ? `.${config.provider_config_key.split('.')[1]}` : '';
      return {
        mode: 'managed',
        type: change.type,
        name: change.name,
        provider: `provider["${change.provider_name}"]${alias}`,
        instances: [
          {
            schema_version: schemas[change.type].version,
            attributes: resourceValues(change.address),
            // Terraform plans an update for a value whose sensitivity differs from the state's,
            // so the state records what apply would: the plan's sensitive paths.
            sensitive_attributes: sensitivePaths(change.change.after_sensitive, { block: schemas[change.type].block }),
          },
        ],
      };
    }),
  };
  return state;
}

/** The state's form of the sensitive paths of a plan's `after_sensitive` tree; node: its schema. */
function sensitivePaths(tree, node, steps = []) {
  if (tree === true) return [steps];
  if (tree === null || typeof tree !== 'object') return [];
  const isMap = node.nesting === 'map' || (Array.isArray(node.type) && node.type[0] === 'map');
  return Object.entries(tree).flatMap(([key, subtree]) => {
    const step = Array.isArray(tree)
      ? { type: 'index', value: { value: Number(key), type: 'number' } }
      : isMap
        ? { type: 'index', value: { value: key, type: 'string' } }
        : { type: 'get_attr', value: key };
    return sensitivePaths(subtree, childNode(node, Array.isArray(tree) ? Number(key) : key), [...steps, step]);
  });
}

function containsUnknown(unknown) {
  if (unknown === true) return true;
  if (unknown === null || typeof unknown !== 'object') return false;
  return Object.values(unknown).some(containsUnknown);
}

/** The schema node of a child of a value: an attribute, block, element or object key. */
function childNode(node, key, resource = { address: '?' }, pathSoFar = []) {
  if (node.nesting) return { block: node.block };
  if (node.block) {
    const attribute = (node.block.attributes || {})[key];
    if (attribute) {
      if (attribute.nested_type) {
        const nested = { block: { attributes: attribute.nested_type.attributes } };
        return attribute.nested_type.nesting_mode === 'single'
          ? { ...nested, single: true }
          : { nesting: attribute.nested_type.nesting_mode, ...nested };
      }
      return { type: attribute.type, optional: Boolean(attribute.optional) };
    }
    const blockType = (node.block.block_types || {})[key];
    if (blockType) {
      return blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group'
        ? { block: blockType.block, single: true }
        : { nesting: blockType.nesting_mode, block: blockType.block };
    }
    throw new OfflineTerraformError(`no attribute or block ${key} in the schema at ${[resource.address, ...pathSoFar].join('.')}`);
  }
  const [kind, inner] = node.type;
  if (kind === 'list' || kind === 'set' || kind === 'map') return { type: inner };
  if (kind === 'object') return { type: inner[key] };
  if (kind === 'tuple') return { type: inner[key] };
  throw new OfflineTerraformError(`no child ${key} of type ${JSON.stringify(node.type)} at ${[resource.address, ...pathSoFar].join('.')}`);
}

/** Converts an evaluated configuration value to the schema's type, as Terraform would. */
function conform(value, node) {
  if (value === null || value === undefined) return null;
  if (node.nesting) {
    if (node.nesting === 'map') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, conform(v, { block: node.block })]));
    return (Array.isArray(value) ? value : [value]).map((v) => conform(v, { block: node.block }));
  }
  if (node.block) {
    const object = Array.isArray(value) ? value[0] : value;
    if (object === undefined) return null;
    const result = {};
    for (const key of Object.keys(node.block.attributes || {})) result[key] = conform(object[key], childNode(node, key));
    for (const [key, blockType] of Object.entries(node.block.block_types || {})) {
      const empty = blockType.nesting_mode === 'list' || blockType.nesting_mode === 'set' ? [] : null;
      result[key] = object[key] === undefined ? empty : conform(object[key], childNode(node, key));
    }
    return result;
  }
  const type = node.type;
  if (type === 'string') return typeof value === 'object' ? value : String(value);
  if (type === 'number') return Number(value);
  if (type === 'bool') return value === true || value === 'true';
  if (type === 'dynamic') return value;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') return (Array.isArray(value) ? value : [value]).map((v) => conform(v, { type: inner }));
  if (kind === 'map') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, conform(v, { type: inner })]));
  if (kind === 'object') return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, conform(value[k], { type: t })]));
  return value;
}

module.exports = {
  OfflineTerraformError,
  prepareOfflineEnvironment,
  checkStack,
  listStacks,
  isAwsOnly,
  offlineOverride,
  resourceSchemas,
  stateFromPlan,
  WORK_ROOT,
};
