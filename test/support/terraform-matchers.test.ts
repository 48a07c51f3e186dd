import * as fs from 'fs';
import * as path from 'path';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing } from 'cdktf';
import { testStack } from './util';

// The offline matchers must be able to fail: a stack Terraform rejects is not "valid".
describe('offline Terraform matchers', () => {
  test('reject a stack the AWS provider schema rejects', () => {
    const stack = testStack();
    new Vpc(stack, 'Broken', { cidrBlock: 'not-a-cidr' });
    const outdir = Testing.fullSynth(stack);
    expect(() => expect(outdir).toBeValidTerraform()).toThrow(/terraform validate found 1 error\(s\)[\s\S]*not-a-cidr/);
    // A plan validates too (without a separate validate), naming the attribute and the value.
    expect(() => expect(outdir).toPlanSuccessfully()).toThrow(/terraform plan failed[\s\S]*cidr_block[\s\S]*not-a-cidr/);
  });

  test('accept a minimal valid stack', () => {
    const stack = testStack();
    new Vpc(stack, 'Fine', { cidrBlock: '10.1.0.0/16' });
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});

describe('offline override', () => {
  test('covers every AWS provider block, aliases included', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { offlineOverride } = require('../../scripts/lib/offline-terraform.cjs');
    const override = offlineOverride({ provider: { aws: [{ region: 'eu-west-1' }, { alias: 'dr', region: 'eu-central-1' }] } });
    expect(override.provider.aws).toEqual([
      expect.objectContaining({ skip_credentials_validation: true, allowed_account_ids: null }),
      expect.objectContaining({ alias: 'dr', skip_requesting_account_id: true }),
    ]);
    expect(override.provider.aws[0].alias).toBeUndefined();
    expect(override.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });
});

describe('result cache', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require('../../scripts/lib/offline-terraform.cjs');
  const check = (cidr: string, workName: string) => {
    const stack = testStack();
    new Vpc(stack, 'Cached', { cidrBlock: cidr });
    const outdir = Testing.fullSynth(stack);
    return harness.checkStack(path.join(outdir, 'stacks', 'test'), { workName });
  };

  test('returns the stored result for an unchanged stack, and checks a changed one again; a check leaves the plugin cache as it was', () => {
    // CIDRs no earlier run used, so the first check of each is a real one.
    const unique = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${16 * Math.floor(Math.random() * 16)}/28`;
    const cidr = unique();
    let other = unique();
    while (other === cidr) other = unique();
    // The provider's cache entry, installed once: a check's init in a fresh working directory
    // must not replace it while other workers plan through it.
    harness.prepareOfflineEnvironment();
    const entry = path.join(harness.WORK_ROOT, 'plugin-cache', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    const installed = fs.lstatSync(entry);
    try {
      const first = check(cidr, 'cache-test-a');
      const again = check(cidr, 'cache-test-b');
      const changed = check(other, 'cache-test-c');
      expect(first.cached).toBeUndefined();
      expect(again).toMatchObject({ cached: true, valid: true, resourceCount: 1 });
      // A changed configuration is checked again, not served the other's result.
      expect(changed.cached).toBeUndefined();
      const after = fs.lstatSync(entry);
      expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: installed.ino, mtimeMs: installed.mtimeMs });
    } finally {
      for (const w of ['a', 'b', 'c']) fs.rmSync(path.join(harness.WORK_ROOT, 'stacks', `cache-test-${w}`), { recursive: true, force: true });
    }
  });
});
