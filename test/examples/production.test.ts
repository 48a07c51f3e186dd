import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildProductionExample } from '../../examples/production/main';

describe('examples/production', () => {
  const app = Testing.app();
  buildProductionExample(app);
  app.synth();
  const stackJson = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  test('synthesizes the AWS stack with a production VPC over three zones', () => {
    const stack = stackJson('shop-production-aws');
    const subnets = Object.values(stack.resource.aws_subnet) as any[];
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    expect(Object.keys(stack.resource.aws_nat_gateway)).toHaveLength(3);
  });

  test('is valid Terraform for the AWS provider 5.100.0', () => {
    expect(app.outdir).toBeValidTerraform();
  });

  test('plans offline with no AWS account', () => {
    expect(app.outdir).toPlanSuccessfully();
  });
});
