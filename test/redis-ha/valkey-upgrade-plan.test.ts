import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { EnvironmentTier, GroundworkStack } from '../../lib/core';
import { CacheEngine, RedisHA, RedisHAProps } from '../../lib/redis-ha';
import { VpcStack } from '../../lib/vpc-stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require('../../scripts/lib/offline-terraform.cjs');

/**
 * The README's Redis OSS -> Valkey path, asked of Terraform offline: plan a production RedisHA
 * on Redis OSS 7.1 from an empty state, turn the plan into the state an apply would leave
 * (harness.stateFromPlan), then plan the same construct with `engine: CacheEngine.VALKEY` against
 * it, without refresh. ElastiCache upgrades a replication group across engines in place
 * (ModifyReplicationGroup with the new engine, version and a parameter group of the new family).
 */
describe('moving a RedisHA from Redis OSS to Valkey', () => {
  let changes: Map<string, { actions: string[]; replace_paths?: unknown }>;

  const synthesize = (props: Partial<RedisHAProps>): string => {
    const app: App = Testing.app();
    const stack = new GroundworkStack(app, 'cache', { project: 'shop', environment: EnvironmentTier.PRODUCTION, accountId: '123456789012', region: 'eu-west-1' });
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], flowLogs: false });
    new RedisHA(stack, 'Cache', { vpc, ...props });
    app.synth();
    return path.join(app.outdir, 'stacks', 'cache');
  };

  beforeAll(() => {
    const env = harness.prepareOfflineEnvironment();
    const workName = (what: string) => `jest-${process.pid}-valkey-${what}`;
    const cleanUp = (what: string) => fs.rmSync(path.join(harness.WORK_ROOT, 'stacks', workName(what)), { recursive: true, force: true });
    try {
      const redisDir = synthesize({});
      const redis = harness.checkStack(redisDir, { env, plan: true, validate: false, name: 'cache (Redis OSS)', workName: workName('redis') });
      const state = harness.stateFromPlan(redis.plan, harness.resourceSchemas(redis.workDir, env), JSON.parse(fs.readFileSync(path.join(redisDir, 'cdk.tf.json'), 'utf8')));
      const valkey = harness.checkStack(synthesize({ engine: CacheEngine.VALKEY }), {
        env,
        plan: true,
        validate: false,
        state,
        ignorePreventDestroy: true,
        name: 'cache (Valkey, from Redis OSS)',
        workName: workName('valkey'),
      });
      changes = new Map(valkey.plan.resource_changes.map((c: any) => [c.address, c.change]));
    } finally {
      cleanUp('redis');
      cleanUp('valkey');
    }
  });

  const changeOf = (prefix: string) => [...changes.entries()].filter(([address]) => address.startsWith(prefix)).map(([, change]) => change);

  test('updates the replication group in place: same endpoints, no data lost', () => {
    const [group] = changeOf('aws_elasticache_replication_group.');
    expect(group.actions).toEqual(['update']);
  });

  test('creates the valkey8 parameter group before the old redis7 one goes (its name carries the family)', () => {
    expect(changeOf('aws_elasticache_parameter_group.').map((c) => c.actions)).toEqual([['create', 'delete']]);
  });

  test('leaves the IAM users and the user group as they are (Valkey groups accept Redis OSS user groups)', () => {
    const users = [...changeOf('aws_elasticache_user.'), ...changeOf('aws_elasticache_user_group.')];
    expect(users.length).toBeGreaterThan(1);
    for (const change of users) expect(change.actions).toEqual(['no-op']);
  });

  test('replaces nothing else', () => {
    const replaced = [...changes.entries()].filter(([, c]) => c.actions.includes('delete') && !c.actions.includes('create'));
    expect(replaced).toEqual([]);
    const others = [...changes.entries()].filter(
      ([address, c]) => !/^aws_elasticache_(replication_group|parameter_group|user|user_group)\./.test(address) && c.actions.some((a) => a !== 'no-op'),
    );
    expect(others.map(([address, c]) => `${address}: ${c.actions.join(', ')}`)).toEqual([]);
  });
});
