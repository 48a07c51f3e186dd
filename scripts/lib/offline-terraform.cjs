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

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORK_ROOT = path.join(REPO_ROOT, '.terraform-offline');
const MIRROR_DIR = process.env.GROUNDWORK_TF_MIRROR || '/opt/tf-plugins';
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';
const AWS_PROVIDER_VERSION = '5.100.0';

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
  const pluginCache = path.join(WORK_ROOT, 'plugin-cache');
  fs.mkdirSync(pluginCache, { recursive: true });
  const cliConfig = path.join(WORK_ROOT, 'terraformrc');
  fs.writeFileSync(
    cliConfig,
    [
      '# Written by scripts/lib/offline-terraform.cjs: providers come only from the local mirror.',
      `plugin_cache_dir = ${JSON.stringify(pluginCache)}`,
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
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'offline-plan-not-a-real-key',
    AWS_SECRET_ACCESS_KEY: 'offline-plan-not-a-real-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
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
 * runs init and validate; with `plan: true` also plan, returning the planned changes.
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

  const started = Date.now();
  run(['init', '-input=false', '-no-color', '-reconfigure'], workDir, env);
  const validation = JSON.parse(
    spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: workDir, env, encoding: 'utf8' }).stdout,
  );
  if (!validation.valid) {
    const details = (validation.diagnostics || [])
      .map((d) => `${d.severity}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}${d.address ? ` (${d.address})` : ''}`)
      .join('\n');
    throw new OfflineTerraformError(`terraform validate found ${validation.error_count} error(s) in ${name}:\n${details}`);
  }
  const result = { name, workDir, valid: true, resourceCount: countResources(stackJson) };
  if (options.plan) {
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
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
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

module.exports = {
  OfflineTerraformError,
  prepareOfflineEnvironment,
  checkStack,
  listStacks,
  isAwsOnly,
  offlineOverride,
  WORK_ROOT,
};
