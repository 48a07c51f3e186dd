/**
 * Jest matchers that run real Terraform, offline, on synthesized stacks:
 *
 *   expect(Testing.fullSynth(stack)).toBeValidTerraform();
 *   expect(Testing.fullSynth(stack)).toPlanSuccessfully();
 *
 * They use the same harness as `npm run plan` (scripts/lib/offline-terraform.cjs): the AWS
 * provider 5.100.0 from the local mirror, fake credentials and skip_* flags added by an
 * override file, no network.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require('../../scripts/lib/offline-terraform.cjs');

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Every stack in the synth output directory passes `terraform init` + `validate`. */
      toBeValidTerraform(): R;
      /** Every stack in the synth output directory passes `terraform init` + `validate` + `plan`. */
      toPlanSuccessfully(): R;
    }
  }
}

let counter = 0;

function checkAll(outdir: string, plan: boolean): jest.CustomMatcherResult {
  const what = plan ? 'plan successfully' : 'be valid Terraform';
  try {
    // Stacks with providers outside the offline mirror (the kubernetes bootstrap stack) are
    // checked by synth and unit tests, as `npm run plan` does.
    const all = harness.listStacks(outdir) as Array<{ name: string; dir: string; awsOnly: boolean }>;
    const stacks = all.filter((s) => s.awsOnly);
    if (stacks.length === 0) {
      return { pass: false, message: () => `expected ${outdir} to hold synthesized AWS stacks, found none` };
    }
    // A distinct working directory per stack and call (jest runs test files in parallel
    // workers), removed afterwards; the plugin cache keeps the next init fast. A plan validates
    // the configuration too, and only the counts are needed, so neither a separate validate nor
    // a `terraform show` runs. Several stacks are checked at once, one process each.
    const jobs = stacks.map((s) => ({
      dir: s.dir,
      options: { plan, validate: !plan, show: false, name: s.name, workName: `jest-${process.pid}-${++counter}-${path.basename(s.dir)}` },
    }));
    let summaries: Array<{ name?: string; error?: string }>;
    try {
      summaries =
        jobs.length === 1
          ? [harness.checkStack(jobs[0].dir, jobs[0].options)]
          : JSON.parse(
            execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'lib', 'check-stacks-parallel.cjs'), JSON.stringify(jobs)], {
              encoding: 'utf8',
              maxBuffer: 64 * 1024 * 1024,
            }),
          );
    } finally {
      for (const job of jobs) fs.rmSync(path.join(harness.WORK_ROOT, 'stacks', job.options.workName), { recursive: true, force: true });
    }
    const failed = summaries.filter((s) => s.error);
    if (failed.length > 0) throw new Error(failed.map((s) => s.error).join('\n'));
    return {
      pass: true,
      message: () => `expected the stacks not to ${what}, but ${summaries.map((s) => s.name).join(', ')} did`,
    };
  } catch (e) {
    return { pass: false, message: () => `expected the stacks to ${what}:\n${(e as Error).message}` };
  }
}

/** Registers toBeValidTerraform / toPlanSuccessfully with jest's expect. */
export function registerOfflineTerraformMatchers(): void {
  expect.extend({
    toBeValidTerraform(outdir: string) {
      return checkAll(outdir, false);
    },
    toPlanSuccessfully(outdir: string) {
      return checkAll(outdir, true);
    },
  });
}
