import * as fs from 'fs';
import * as path from 'path';
import { Testing as K8sTesting } from 'cdk8s';
import { TerraformVariable, Testing } from 'cdktf';
import { AppCluster } from '../../lib/app-cluster/app-cluster';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { AppWorkloadChart } from '../../lib/app-cluster/workload-chart';
import { CheckSeverity, ConstructRule } from '../../lib/checks/rule';
import { CONSTRUCT_RULES } from '../../lib/checks/rules/constructs';
import { EnvironmentTier } from '../../lib/core';
import { MonitoringStack } from '../../lib/monitoring-stack/monitoring-stack';
import { PostgresWithBackups } from '../../lib/postgres-with-backups';
import { VpcStack } from '../../lib/vpc-stack';
import { testStack, warningsOf } from '../support/util';

const ROOT = path.join(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');
const RULES_DIR = path.join(LIB, 'checks', 'rules', 'constructs');
const TESTS = path.join(ROOT, 'test');

const ID_PATTERN = /^GW-[A-Z0-9]+(-[A-Z0-9]+)+$/;
const EQUIVALENT_PATTERN = /^(checkov|trivy|kube-score|kube-linter) [A-Za-z0-9_-]+$/;

/** Every .ts file under a directory, recursively. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `GW-PG-NO-BACKUPS` → `pg-no-backups` (the rule's file) and `PG_NO_BACKUPS` (its constant). */
const fileOf = (id: string) => id.replace(/^GW-/, '').toLowerCase();
const constantOf = (id: string) => id.replace(/^GW-/, '').replace(/-/g, '_');

const ids = CONSTRUCT_RULES.map((rule) => rule.id);

describe('CONSTRUCT_RULES', () => {
  test('holds a rule for each of the 52 findings the constructs reported before the check pack, or more', () => {
    expect(CONSTRUCT_RULES.length).toBeGreaterThanOrEqual(52);
  });

  test('has unique IDs, sorted', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  test.each(CONSTRUCT_RULES.map((rule): [string, ConstructRule] => [rule.id, rule]))('%s declares itself fully', (id, rule) => {
    expect(id).toMatch(ID_PATTERN);
    expect(rule.kind).toBe('construct');
    expect(Object.values(CheckSeverity)).toContain(rule.severity);
    for (const field of [rule.title, rule.rationale, rule.fix]) {
      expect(typeof field).toBe('string');
      expect(field.trim()).not.toBe('');
      expect(field).not.toContain('\n');
    }
    if (rule.equivalents !== undefined) {
      expect(rule.equivalents.length).toBeGreaterThan(0);
      for (const equivalent of rule.equivalents) expect(equivalent).toMatch(EQUIVALENT_PATTERN);
    }
  });

  test('each rule lives in its own file, named after its ID, exporting the constant named after its ID', () => {
    const files = fs
      .readdirSync(RULES_DIR)
      .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
      .map((name) => name.slice(0, -'.ts'.length))
      .sort();
    expect(files).toEqual(ids.map(fileOf).sort());
    for (const rule of CONSTRUCT_RULES) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.join(RULES_DIR, fileOf(rule.id)));
      expect(Object.keys(exported)).toEqual([constantOf(rule.id)]);
      expect(exported[constantOf(rule.id)]).toBe(rule);
    }
  });

  test('only the public API endpoint open to the internet and a key in the alarm endpoint are errors', () => {
    expect(CONSTRUCT_RULES.filter((rule) => rule.severity !== CheckSeverity.WARNING).map((rule) => rule.id)).toEqual([
      'GW-EKS-PUBLIC-ENDPOINT-OPEN',
      'GW-MON-KEY-IN-ENDPOINT',
    ]);
  });
});

describe('the constructs report exactly the rules of CONSTRUCT_RULES', () => {
  const sources = tsFiles(LIB)
    .filter((file) => !file.startsWith(path.join(LIB, 'checks') + path.sep))
    .map((file) => ({ file: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }));

  /** The rule IDs each `reportFinding(scope, RULE, …)` call of lib/ names, through the rule constant it imports. */
  const reported = new Map<string, string[]>();
  for (const { file, text } of sources) {
    const imported = new Map<string, string>();
    for (const m of text.matchAll(/import \{ ([A-Z0-9_]+) \} from '(?:\.\.\/)+checks\/rules\/constructs\/([a-z0-9-]+)';/g)) {
      imported.set(m[1], m[2]);
    }
    for (const m of text.matchAll(/reportFinding\(\s*[^,]+,\s*([A-Za-z0-9_]+),/g)) {
      const ruleFile = imported.get(m[1]);
      if (ruleFile === undefined) throw new Error(`${file}: reportFinding names ${m[1]}, which is not imported from lib/checks/rules/constructs`);
      const id = `GW-${ruleFile.toUpperCase()}`;
      reported.set(id, [...(reported.get(id) ?? []), file]);
    }
  }

  test('every rule is reported by some construct, and every reported rule is in CONSTRUCT_RULES', () => {
    expect([...reported.keys()].sort()).toEqual([...ids].sort());
  });

  test('no construct records a [GW-…] warning of its own any more', () => {
    const leftovers = sources.filter(({ text }) => /addWarning\(\s*['"`]\[GW-|['"`]\[GW-[A-Z0-9-]+\] /.test(text)).map(({ file }) => file);
    expect(leftovers).toEqual([]);
  });
});

describe('every rule is triggered by a test', () => {
  // The tests of the constructs expect a finding as `[<ID>] message` (some inside a regular
  // expression, hence the backslashes dropped). Test names do not count: only what a test
  // expects. Two findings no construct test expected are triggered at the end of this file.
  const testSources = tsFiles(TESTS).map((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(test|it|describe)(\.each\(.*\))?\(/.test(line))
      .join('\n')
      .replace(/\\/g, ''),
  );

  test.each(ids)('%s', (id) => {
    expect(testSources.some((text) => text.includes(`[${id}]`))).toBe(true);
  });
});

describe('findings no construct test triggered', () => {
  const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

  test('MonitoringStack.watchPostgres reports [GW-MON-PG-STORAGE-UNKNOWN] for a storage size given as a token', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, flowLogs: false });
    const storage = new TerraformVariable(stack, 'storage', { type: 'number' });
    const db = new PostgresWithBackups(stack, 'Database', { vpc, awsBackup: false, allocatedStorageGiB: storage.numberValue });
    const monitoring = new MonitoringStack(stack, 'Monitoring', { alarmEmailAddresses: ['oncall@example.com'] });
    monitoring.watchPostgres(db);
    expect(warningsOf(monitoring)).toEqual([
      '[GW-MON-PG-STORAGE-UNKNOWN] PostgresWithBackups test/Database: allocatedStorageGiB is not known at synth time, so there is no FreeStorageLow alarm.',
    ]);

    const literal = testStack();
    const literalDb = new PostgresWithBackups(literal, 'Database', {
      vpc: new VpcStack(literal, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, flowLogs: false }),
      awsBackup: false,
    });
    const literalMonitoring = new MonitoringStack(literal, 'Monitoring', { alarmEmailAddresses: ['oncall@example.com'] });
    literalMonitoring.watchPostgres(literalDb);
    expect(warningsOf(literalMonitoring)).toEqual([]);
  });

  test('AppWorkloadChart reports [GW-K8S-INTERNAL-LB-SOURCE] for a service behind an internal load balancer, unless loadBalancerSourceCidrs narrows it', () => {
    const stack = testStack({}, Testing.app());
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    const cluster = new AppCluster(stack, 'App', {
      vpc,
      clusterName: 'shop-production',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
    });
    const admin = cluster.addService('Admin', { name: 'admin', route: ServiceRoute.ownLoadBalancer() });
    const chartProps = {
      service: admin,
      environment: EnvironmentTier.PRODUCTION,
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-admin:1.4.2',
    };

    const chart = new AppWorkloadChart(K8sTesting.app(), 'admin', chartProps);
    expect(warningsOf(chart)).toContainEqual(
      expect.stringMatching(/^\[GW-K8S-INTERNAL-LB-SOURCE\] AppService test\/App\/Admin sits behind an internal load balancer/),
    );

    const narrowed = new AppWorkloadChart(K8sTesting.app(), 'admin', { ...chartProps, loadBalancerSourceCidrs: [vpc.privateSubnetCidrs[0]] });
    expect(warningsOf(narrowed).filter((w) => w.startsWith('[GW-K8S-INTERNAL-LB-SOURCE]'))).toEqual([]);
  });
});
