import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing } from 'cdktf';
import { testStack } from './util';

// The offline matchers must be able to fail: a stack Terraform rejects is not "valid".
describe('offline Terraform matchers', () => {
  test('reject a stack the AWS provider schema rejects', () => {
    const stack = testStack();
    new Vpc(stack, 'Broken', { cidrBlock: 'not-a-cidr' });
    const outdir = Testing.fullSynth(stack);
    expect(() => expect(outdir).toPlanSuccessfully()).toThrow(/terraform validate found 1 error\(s\)[\s\S]*not-a-cidr/);
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
