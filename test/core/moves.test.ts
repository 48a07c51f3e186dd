import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Testing } from 'cdktf';
import { ResourceMoves } from 'cdktf-groundwork';
import { testStack } from '../support/util';

describe('ResourceMoves', () => {
  const role = (stack: ReturnType<typeof testStack>, id: string) => new IamRole(stack, id, { name: id.toLowerCase(), assumeRolePolicy: '{}' });

  test('writes a moved block from the former address to the resource, next to cdktf-native ones', () => {
    const stack = testStack();
    ResourceMoves.moveFrom(role(stack, 'Role'), 'aws_iam_role.App_AppServiceAccountRole_E96E30EC');
    const bucket = new S3Bucket(stack, 'Bucket', {});
    bucket.moveFromId('aws_s3_bucket.OldBucket');
    const synth = JSON.parse(Testing.synth(stack));
    expect(synth.moved).toEqual(
      expect.arrayContaining([
        { from: 'aws_iam_role.App_AppServiceAccountRole_E96E30EC', to: 'aws_iam_role.Role' },
        { from: 'aws_s3_bucket.OldBucket', to: 'aws_s3_bucket.Bucket' },
      ]),
    );
    expect(synth.moved).toHaveLength(2);
  });

  test('points at the address the resource has at synth, after an overridden logical ID', () => {
    const stack = testStack();
    const r = role(stack, 'Role');
    ResourceMoves.moveFrom(r, 'aws_iam_role.Old');
    r.overrideLogicalId('renamed');
    expect(JSON.parse(Testing.synth(stack)).moved).toEqual([{ from: 'aws_iam_role.Old', to: 'aws_iam_role.renamed' }]);
  });

  test("adds no cdktf resource move, so synth starts no `terraform version` check", () => {
    const stack = testStack();
    ResourceMoves.moveFrom(role(stack, 'Role'), 'aws_iam_role.Old');
    expect(stack.hasResourceMove()).toBe(false);
  });

  test('throws on an address that is not a resource address, and on moving one address twice', () => {
    const stack = testStack();
    expect(() => ResourceMoves.moveFrom(role(stack, 'A'), 'App/AppServiceAccountRole')).toThrow(
      /^IamRole test\/A: moveFrom\(fromAddress\) must be a Terraform resource address such as .*, got "App\/AppServiceAccountRole"$/,
    );
    ResourceMoves.moveFrom(role(stack, 'B'), 'aws_iam_role.Old');
    expect(() => ResourceMoves.moveFrom(role(stack, 'C'), 'aws_iam_role.Old')).toThrow(
      /^IamRole test\/C: moveFrom\(fromAddress\) must be moved once; it already moves to test\/B, got "aws_iam_role.Old"$/,
    );
  });
});
