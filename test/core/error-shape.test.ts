import * as fs from 'fs';
import * as path from 'path';
import { Testing as ManifestTesting } from 'cdk8s';
import { Testing } from 'cdktf';
import * as gw from 'cdktf-groundwork';
import { Construct } from 'constructs';
import { CERTIFICATE_ARN, testPlatform, ZONES } from '../support/platform';
import { testStack } from '../support/util';

/**
 * One error shape for every construct: `<Construct> <path>: <prop path> must <rule>, got <value>`,
 * with the prop path written as a consumer writes it: `nodeGroups[0].name`,
 * `alertmanager.receivers[0].secretKey`, and for a method's argument `protect(id)` or
 * `connectTo(options.user)`.
 */
const PROP_PATH = String.raw`[a-zA-Z_]\w*(?:\[\d+\]|\.[\w./-]+|\((?:[a-zA-Z_][\w.]*)\))*`;
const SHAPE = new RegExp(String.raw`^(\w+) (\S+): (${PROP_PATH}(?:, ${PROP_PATH})*) must (.+), got (.+)$`, 's');

/** The message of the ValidationError `build` throws. */
function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect((e as Error).name).toBe('ValidationError');
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const vpcOf = (stack: Construct) => new gw.VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });

/**
 * One bad input per construct the package exports, with the class, the prop path and the value
 * the message must name. Each thunk builds everything else valid.
 */
const CASES: Array<{ construct: string; path: string; value: string; build: () => unknown }> = [
  { construct: 'GroundworkStack', path: 'region', value: '"nowhere"', build: () => testStack({ region: 'nowhere' }) },
  { construct: 'VpcStack', path: 'cidr', value: '"10.0.0/16"', build: () => new gw.VpcStack(testStack(), 'Network', { cidr: '10.0.0/16', availabilityZones: ZONES }) },
  {
    construct: 'AppCluster',
    path: 'nodeGroups[0].name',
    value: '"General Purpose"',
    build: () => testPlatform({ nodeGroups: [{ name: 'General Purpose', instanceTypes: ['m6i.large'] }] }),
  },
  {
    construct: 'AppService',
    path: 'connectTo(options.keyPrefix)',
    value: '"orders-db"',
    build: () => {
      const p = testPlatform();
      p.cluster.addService('Web', { name: 'shop-web', namespace: 'shop' }).connectTo(p.database('Database'), { user: 'shop_app', keyPrefix: 'orders-db' });
    },
  },
  {
    construct: 'AppLoadBalancer',
    path: 'targetPort',
    value: '0',
    build: () => {
      const stack = testStack();
      new gw.AppLoadBalancer(stack, 'Web', { vpc: vpcOf(stack), certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-1', targetPort: 0 });
    },
  },
  {
    construct: 'PostgresWithBackups',
    path: 'backupRetentionDays',
    value: '40',
    build: () => {
      const stack = testStack();
      new gw.PostgresWithBackups(stack, 'Database', { vpc: vpcOf(stack), backupRetentionDays: 40 });
    },
  },
  {
    construct: 'PostgresProxy',
    path: 'allowConnectionsFrom(ruleId)',
    value: '"a/b"',
    build: () => {
      const stack = testStack();
      const database = new gw.PostgresWithBackups(stack, 'Database', { vpc: vpcOf(stack), proxy: {} });
      database.proxy!.allowConnectionsFrom(gw.SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0'), 'a/b');
    },
  },
  {
    construct: 'RedisHA',
    path: 'auth.iamUsers[0].name',
    value: '"Web"',
    build: () => {
      const stack = testStack();
      new gw.RedisHA(stack, 'Cache', { vpc: vpcOf(stack), auth: gw.RedisAuth.iamUserGroup([{ name: 'Web' }]) });
    },
  },
  { construct: 'WafRules', path: 'protect(id)', value: '"admin alb"', build: () => new gw.WafRules(testStack(), 'Waf', {}).protect('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/0123456789abcdef', 'admin alb') },
  {
    construct: 'MonitoringStack',
    path: 'alarmEmailAddresses[0]',
    value: '"oncall"',
    build: () => new gw.MonitoringStack(testStack(), 'Monitoring', { alarmEmailAddresses: ['oncall'] }),
  },
  {
    construct: 'SecureBucket',
    path: 'expirationDays',
    value: '0',
    build: () => new gw.SecureBucket(testStack(), 'Dumps', { purpose: 'dumps', expirationDays: 0 }),
  },
  {
    construct: 'EncryptionKey',
    path: 'deletionWindowDays',
    value: '3',
    build: () => new gw.EncryptionKey(testStack(), 'Key', { description: 'data', deletionWindowDays: 3 }),
  },
  {
    construct: 'EncryptedLogGroup',
    path: 'retentionDays',
    value: '10',
    build: () => new gw.EncryptedLogGroup(testStack(), 'Logs', { logGroupName: '/shop/app', retentionDays: 10 }),
  },
  {
    construct: 'ClusterBootstrapStack',
    path: 'region',
    value: '"nowhere"',
    build: () => new gw.ClusterBootstrapStack(Testing.app(), 'k8s', { cluster: testPlatform().cluster, region: 'nowhere' }),
  },
  {
    construct: 'AppWorkloadChart',
    path: 'settings',
    value: '"LOG LEVEL"',
    build: () =>
      new gw.AppWorkloadChart(ManifestTesting.app(), 'web', {
        appName: 'shop-web',
        namespace: 'shop',
        environment: gw.EnvironmentTier.PRODUCTION,
        image: 'registry.example.com/shop/web:1.4.2',
        settings: { 'LOG LEVEL': 'info' },
      }),
  },
  {
    construct: 'MonitoringChart',
    path: 'alertmanager.receivers[0].webhookUrlSecretKey',
    value: '"a/b"',
    build: () =>
      new gw.MonitoringChart(ManifestTesting.app(), 'monitoring', {
        appName: 'shop-web',
        team: 'shop',
        environment: gw.EnvironmentTier.PRODUCTION,
        runbookBaseUrl: 'https://runbooks.example.com/shop',
        alertmanager: { receivers: [gw.AlertReceiver.slack('oncall', { channel: '#oncall', webhookUrlSecretName: 'alertmanager-slack', webhookUrlSecretKey: 'a/b' })] },
      }),
  },
  {
    construct: 'DatabaseJobs',
    path: 'name',
    value: '"Orders DB"',
    build: () => {
      const p = testPlatform();
      p.cluster.addDatabaseJobs('OrdersJobs', { database: p.database('Database'), name: 'Orders DB' });
    },
  },
  {
    construct: 'DatabaseJobsChart',
    path: 'postgresImage',
    value: '"postgres"',
    build: () => {
      const p = testPlatform();
      const jobs = p.cluster.addDatabaseJobs('OrdersJobs', { database: p.database('Database') });
      new gw.DatabaseJobsChart(ManifestTesting.app(), 'jobs', { jobs, postgresImage: 'postgres' });
    },
  },
  {
    construct: 'DeployPlan',
    path: 'deadlineMinutes',
    value: '0',
    build: () => {
      const p = testPlatform();
      const bootstrap = new gw.ClusterBootstrapStack(p.app, 'k8s', { cluster: p.cluster });
      new gw.DeployPlan(p.stack, 'DeployPlan', { cluster: p.cluster, bootstrap, manifests: ManifestTesting.app(), deadlineMinutes: 0 });
    },
  },
];

describe('every construct reports bad input in one shape', () => {
  test.each(CASES)('$construct: $path', ({ construct, path: propPath, value, build }) => {
    const message = messageOf(build);
    const match = SHAPE.exec(message);
    expect({ message, shaped: match !== null }).toEqual({ message, shaped: true });
    const [, className, , prop, , received] = match!;
    expect(className).toBe(construct);
    expect(prop).toBe(propPath);
    expect(received.startsWith(value)).toBe(true);
  });

  test('the table covers every construct class the package exports', () => {
    const exported = Object.entries(gw)
      .filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Construct)
      .map(([name]) => name)
      .sort();
    const covered = new Set(CASES.map((c) => c.construct));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  test('every prop path the library names in an error is written as a consumer writes it', () => {
    // The property argument of each invalidProp(...) call in lib/, as written in the source:
    // a literal or a template whose fixed parts follow the grammar above.
    const root = path.join(__dirname, '..', '..', 'lib');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const call = /invalidProp\(\s*[^,]+?,\s*(`[^`]*`|'[^']*')\s*,/g;
    const malformed: string[] = [];
    let checked = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      for (const [, quoted] of source.matchAll(call)) {
        checked++;
        // A template's substitutions stand for a path segment or an index.
        const text = quoted
          .slice(1, -1)
          .replace(/\[\$\{[^}]+\}\]/g, '[0]')
          .replace(/\$\{[^}]+\}/g, 'x');
        if (!new RegExp(`^${PROP_PATH}(?:, ${PROP_PATH})*$`).test(text)) malformed.push(`${file}: ${quoted}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(malformed).toEqual([]);
  });

  test('a long value is cut at 120 characters and a credential is never echoed', () => {
    const long = messageOf(() => new gw.MonitoringStack(testStack(), 'Monitoring', { alarmEmailAddresses: [`${'a'.repeat(200)}`] }));
    expect(long).toMatch(/got "a{119}… \(202 characters\)$/);
    const webhook = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX';
    const secret = messageOf(() => new gw.MonitoringStack(testStack(), 'Monitoring', { alarmHttpsEndpoint: `${webhook} ` }));
    expect(secret).toMatch(SHAPE);
    expect(secret).not.toContain('hooks.slack.com');
    expect(secret).toContain('(a value that looks like a credential, not shown)');
  });
});

