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
