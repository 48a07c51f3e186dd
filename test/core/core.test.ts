import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing, TerraformStack } from 'cdktf';
import {
  CommonTagsAspect,
  EncryptedLogGroup,
  SecurityGroupPeer,
  EncryptionKey,
  EnvironmentPreset,
  EnvironmentTier,
  GroundworkStack,
  Naming,
} from 'cdktf-groundwork';
import { onlyResourceOf, policyOf, refTo, resourcesOf, synthStack, testStack } from '../support/util';

describe('EnvironmentPreset', () => {
  test('production is highly available and protected', () => {
    const p = EnvironmentPreset.production();
    expect(p).toMatchObject({
      tier: EnvironmentTier.PRODUCTION,
      multiAz: true,
      natGatewayPerAz: true,
      deletionProtection: true,
      preventDestroy: true,
      logRetentionDays: 365,
      backupRetentionDays: 30,
      readReplicaCount: 2,
    });
    expect(p.isProduction).toBe(true);
  });

  test('development is cheap: single NAT, single AZ, short retention, no deletion protection', () => {
    const p = EnvironmentPreset.development();
    expect(p).toMatchObject({
      multiAz: false,
      natGatewayPerAz: false,
      deletionProtection: false,
      preventDestroy: false,
      logRetentionDays: 30,
      backupRetentionDays: 7,
      keyDeletionWindowDays: 7,
      readReplicaCount: 0,
    });
    expect(p.isProduction).toBe(false);
  });

  test('staging sits between: Multi-AZ and protected, but one NAT gateway', () => {
    expect(EnvironmentPreset.staging()).toMatchObject({ multiAz: true, natGatewayPerAz: false, deletionProtection: true });
  });

  test('forTier returns the preset of each tier', () => {
    for (const tier of Object.values(EnvironmentTier)) {
      expect(EnvironmentPreset.forTier(tier).tier).toBe(tier);
    }
  });
});

describe('GroundworkStack', () => {
  test('configures the AWS provider for one region and guards the account', () => {
    const synth = synthStack(testStack());
    expect(synth.provider?.aws).toEqual([{ region: 'eu-west-1', allowed_account_ids: ['123456789012'] }]);
  });

  test('tags every taggable resource with Project, Environment, ManagedBy and user tags, keeping resource tags', () => {
    const stack = testStack({ tags: { CostCenter: 'cc-42' } });
    new Vpc(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', tags: { Name: 'mine' } });
    const vpc = onlyResourceOf(synthStack(stack), 'aws_vpc');
    expect(vpc.tags).toEqual({
      Name: 'mine',
      CostCenter: 'cc-42',
      Project: 'shop',
      Environment: 'production',
      ManagedBy: 'cdktf-groundwork',
    });
  });

  test('reserved tags win over a resource that sets them', () => {
    const stack = testStack();
    new Vpc(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', tags: { Environment: 'development' } });
    expect(onlyResourceOf(synthStack(stack), 'aws_vpc').tags.Environment).toBe('production');
  });

  test('derives the partition from the region', () => {
    expect(testStack({ region: 'cn-north-1' }).partition).toBe('aws-cn');
    expect(testStack({ region: 'us-gov-west-1' }).partition).toBe('aws-us-gov');
    expect(testStack().accountRootArn).toBe('arn:aws:iam::123456789012:root');
  });

  test('takes its preset from the environment tier', () => {
    expect(testStack({ environment: EnvironmentTier.DEVELOPMENT }).preset.natGatewayPerAz).toBe(false);
    expect(testStack().namePrefix).toBe('shop-production');
  });

  test.each([
    ['project', { project: 'Shop' }, /project must be 2-24 lowercase letters.*got "Shop"/],
    ['project', { project: 'a-very-long-project-name-indeed' }, /project must be 2-24/],
    // "sg-production-..." would name security groups the way EC2 reserves for their IDs.
    ['project', { project: 'sg' }, /project must not be "sg" or start with "sg-": .*EC2 rejects security group names starting with "sg-", got "sg"/],
    ['project', { project: 'sg-shop' }, /project must not be "sg" or start with "sg-"/],
    ['accountId', { accountId: '1234' }, /accountId must be a 12-digit AWS account ID, got "1234"/],
    ['region', { region: 'europe' }, /region must be an AWS region name such as eu-west-1, got "europe"/],
    ['environment', { environment: 'prod' as EnvironmentTier }, /environment must be one of development, staging, production, got "prod"/],
    ['tags', { tags: { Environment: 'x' } }, /tags.Environment must not be set: Project, Environment, ManagedBy are set by the library/],
    ['tags', { tags: { 'aws:foo': 'x' } }, /tags must have keys of 1-128 characters that do not start with "aws:", got "aws:foo"/],
  ])('throws on an invalid %s and names the stack path', (_prop, overrides, message) => {
    expect(() => testStack(overrides)).toThrow(message);
    expect(() => testStack(overrides)).toThrow(/^GroundworkStack test: /);
  });

  test('constructs outside a GroundworkStack get an error that says where they belong', () => {
    const plain = new TerraformStack(Testing.app(), 'plain');
    expect(() => new EncryptionKey(plain, 'Key', { description: 'x' })).toThrow(
      /EncryptionKey plain\/Key: must be created inside a GroundworkStack .* got a TerraformStack/,
    );
  });
});

describe('EncryptionKey', () => {
  test('rotates, has an alias and lets only the account administer it by default', () => {
    const stack = testStack();
    new EncryptionKey(stack, 'Data', { description: 'data' });
    const synth = synthStack(stack);
    const key = onlyResourceOf(synth, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(policyOf(key.policy).Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*' }),
    ]);
    expect(onlyResourceOf(synth, 'aws_kms_alias').name).toBe('alias/shop-production-data');
  });

  test('lets CloudWatch Logs use the key only for the named log groups', () => {
    const stack = testStack();
    new EncryptionKey(stack, 'Logs', { description: 'logs', cloudWatchLogGroupNames: ['/app/one'] });
    const statements = policyOf(onlyResourceOf(synthStack(stack), 'aws_kms_key').policy).Statement;
    expect(statements[1]).toMatchObject({
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Condition: {
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:eu-west-1:123456789012:log-group:/app/one'] },
      },
    });
  });

  test('appends extra key policy statements after its own', () => {
    const stack = testStack();
    const statement = {
      Sid: 'ServiceUse',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    };
    new EncryptionKey(stack, 'Topic', { description: 'topic', extraPolicyStatementsJson: [JSON.stringify(statement)] });
    const statements = policyOf(onlyResourceOf(synthStack(stack), 'aws_kms_key').policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['AccountAdministration', 'ServiceUse']);
    expect(statements[1]).toEqual(statement);
  });

  test('throws when an extra key policy statement is not one JSON statement', () => {
    expect(() => new EncryptionKey(testStack(), 'Data', { description: 'd', extraPolicyStatementsJson: ['{"Effect":"Allow"}', 'not json'] })).toThrow(
      'EncryptionKey test/Data: extraPolicyStatementsJson[1] must be one JSON policy statement (an object with Effect), got "not json"',
    );
    expect(() => new EncryptionKey(testStack(), 'Data', { description: 'd', extraPolicyStatementsJson: ['[{"Effect":"Allow"}]'] })).toThrow(
      /extraPolicyStatementsJson\[0\] must be one JSON policy statement/,
    );
  });

  test('development keys have a short deletion window and no prevent_destroy', () => {
    const stack = testStack({ environment: EnvironmentTier.DEVELOPMENT });
    new EncryptionKey(stack, 'Data', { description: 'data' });
    const key = onlyResourceOf(synthStack(stack), 'aws_kms_key');
    expect(key.deletion_window_in_days).toBe(7);
    expect(key.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('throws when deletionWindowDays is outside 7-30', () => {
    expect(() => new EncryptionKey(testStack(), 'Data', { description: 'd', deletionWindowDays: 3 })).toThrow(
      'EncryptionKey test/Data: deletionWindowDays must be an integer from 7 to 30, got 3',
    );
  });
});

describe('Naming', () => {
  test('lowercases and cleans names', () => {
    expect(Naming.resourceName(['Shop', 'production', 'My_DB'])).toBe('shop-production-my-db');
  });

  test('shortens long names with a stable hash so they stay distinct', () => {
    const a = Naming.resourceName(['x'.repeat(50), 'alpha'], 40);
    const b = Naming.resourceName(['x'.repeat(50), 'beta'], 40);
    expect(a).toHaveLength(40);
    expect(a).not.toBe(b);
    expect(Naming.resourceName(['x'.repeat(50), 'alpha'], 40)).toBe(a);
  });
});

describe('CommonTagsAspect', () => {
  test('exposes the reserved keys', () => {
    expect(CommonTagsAspect.RESERVED_KEYS).toEqual(['Project', 'Environment', 'ManagedBy']);
  });

  test('applies to resources in nested constructs too', () => {
    const app = Testing.app();
    const stack = new GroundworkStack(app, 'nested', {
      project: 'shop',
      environment: EnvironmentTier.STAGING,
      accountId: '123456789012',
      region: 'eu-west-1',
    });
    new EncryptionKey(stack, 'Key', { description: 'k' });
    expect(onlyResourceOf(synthStack(stack), 'aws_kms_key').tags).toMatchObject({ Environment: 'staging' });
  });
});

describe('EncryptedLogGroup', () => {
  test('encrypts with its own key that CloudWatch Logs may use for this group only', () => {
    const stack = testStack();
    const group = new EncryptedLogGroup(stack, 'AppLogs', { logGroupName: '/app/web' });
    const synth = synthStack(stack);
    expect(onlyResourceOf(synth, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/app/web', retention_in_days: 365 });
    const statements = policyOf(onlyResourceOf(synth, 'aws_kms_key').policy).Statement;
    expect(statements[1].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:/app/web',
    ]);
    expect(onlyResourceOf(synth, 'aws_kms_alias').name).toBe('alias/shop-production-applogs-key');
    expect(group.retentionDays).toBe(365);
  });

  test('throws on a retention CloudWatch Logs does not accept', () => {
    expect(() => new EncryptedLogGroup(testStack(), 'AppLogs', { logGroupName: '/x', retentionDays: 10 })).toThrow(
      /EncryptedLogGroup test\/AppLogs: retentionDays must be one of 1, 3, 5, 7, 14, 30, .*, got 10/,
    );
  });
});

describe('SecurityGroupPeer', () => {
  test('describes an external security group', () => {
    const peer = SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0');
    expect(peer.connectionsSecurityGroupId).toBe('sg-0123456789abcdef0');
    expect(peer.connectionsDescription).toBe('security group sg-0123456789abcdef0');
    expect(SecurityGroupPeer.fromSecurityGroupId('sg-1', 'bastion').connectionsDescription).toBe('bastion');
  });
});

describe('EncryptionKey in another region', () => {
  test('puts the key and its alias on the given provider', () => {
    const stack = testStack();
    const dr = new AwsProvider(stack, 'Dr', { alias: 'dr', region: 'eu-central-1' });
    new EncryptionKey(stack, 'DrKey', { description: 'dr', provider: dr });
    const synth = synthStack(stack);
    expect(onlyResourceOf(synth, 'aws_kms_key').provider).toBe('aws.dr');
    expect(onlyResourceOf(synth, 'aws_kms_alias').provider).toBe('aws.dr');
  });
});

describe('EncryptedLogGroup with a shared key', () => {
  test('extends the shared key policy to each log group and creates no key of its own', () => {
    const stack = testStack();
    const key = new EncryptionKey(stack, 'LogKey', { description: 'logs' });
    new EncryptedLogGroup(stack, 'One', { logGroupName: '/app/one', encryptionKey: key });
    new EncryptedLogGroup(stack, 'Two', { logGroupName: '/app/two', encryptionKey: key });
    const synth = synthStack(stack);
    const policy = policyOf(onlyResourceOf(synth, 'aws_kms_key').policy);
    expect(policy.Statement[1].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:/app/one',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/app/two',
    ]);
    for (const group of resourcesOf(synth, 'aws_cloudwatch_log_group')) {
      expect(group.kms_key_id).toBe(refTo(synth, 'aws_kms_key', 'LogKey/Resource', 'arn'));
    }
  });
});

describe('the values error messages echo', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describeValue } = require('../../lib/core/private/errors');

  test('are quoted JSON, cut past 120 characters with the full length said', () => {
    expect(describeValue('10.0.0/16')).toBe('"10.0.0/16"');
    expect(describeValue(['a', 1])).toBe('["a",1]');
    expect(describeValue(undefined)).toBe('nothing');
    const long = describeValue('x'.repeat(300));
    expect(long).toBe(`"${'x'.repeat(119)}… (302 characters)`);
  });

  test.each([
    ['a Slack webhook', 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['a URL with user:password', 'postgres://app:s3cret@db.internal:5432/shop'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['an AWS access key ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['a Redis URL with only a password', 'rediss://:Zm9vYmFyYmF6@cache.internal:6379'],
    ['a password with a slash', 'postgres://app:pa/ss@db:5432/shop'],
    ['a token in a query string', 'https://hooks.example.com/notify?token=abcdef1234567890'],
    ['an STS access key ID', 'ASIAIOSFODNN7EXAMPLE'],
  ])('never echo %s, even inside a list', (_what, secret) => {
    expect(describeValue(secret)).toBe('(a value that looks like a credential, not shown)');
    expect(describeValue(['ok', secret])).not.toContain(secret.slice(10, 30));
  });
});
