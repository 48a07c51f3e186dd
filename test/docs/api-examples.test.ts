import * as fs from 'fs';
import * as path from 'path';
import { compileExamples } from '../support/compile-examples';

/**
 * Every `@example` in the public API's JSDoc (the examples API.md shows) compiles against the
 * library as a consumer imports it. The examples are read from the jsii assembly `npm test`
 * builds first, so what is checked is what API.md renders. Each is compiled after the
 * declarations below: the names the examples take from the surrounding program, with the types
 * a consumer's would have.
 */
const CONTEXT = `
import * as cdk8s from 'cdk8s';
import { App } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  AlertReceiver, AppCluster, AppService, AppWorkloadChart, Checks, ClusterBootstrapStack, DatabaseJobs,
  DatabaseJobsChart, DeployPlan, EnvironmentTier, GroundworkPack, GroundworkStack, MonitoringChart,
  MonitoringStack, PostgresWithBackups, RedisAuth, RedisHA, ResourceMoves, SecurityGroupPeer, ServiceRoute,
  StateBackend, VpcStack, WafRules, WafStatement,
} from 'cdktf-groundwork';
declare const app: App;
declare const manifests: cdk8s.App;
declare const stack: GroundworkStack;
declare const aws: GroundworkStack;
declare const awsStack: GroundworkStack;
declare const vpc: VpcStack;
declare const network: VpcStack;
declare const cluster: AppCluster;
declare const bootstrap: ClusterBootstrapStack;
declare const database: PostgresWithBackups;
declare const db: PostgresWithBackups;
declare const ordersDb: PostgresWithBackups;
declare const ordersDatabase: PostgresWithBackups;
declare const ordersJobs: DatabaseJobs;
declare const cache: RedisHA;
declare const waf: WafRules;
declare const bucket: S3Bucket;
declare const grant: { policy: IamRolePolicy };
declare const shopWebChart: AppWorkloadChart;
declare const certificateArn: string;
declare const loadBalancerArn: string;
declare const tokenSecretArn: string;
void [AlertReceiver, AppService, Checks, DatabaseJobsChart, DeployPlan, EnvironmentTier, GroundworkPack, MonitoringChart,
  MonitoringStack, RedisAuth, ResourceMoves, SecurityGroupPeer, ServiceRoute, StateBackend, WafStatement, app, manifests,
  stack, aws, awsStack, vpc, network, cluster, bootstrap, database, db, ordersDb, ordersDatabase, ordersJobs, cache, waf,
  bucket, grant, shopWebChart, certificateArn, loadBalancerArn, tokenSecretArn];
`;

/** The `@example`s of the assembly's types, initializers, methods and properties, by API name. */
function apiExamples(): Array<{ name: string; source: string }> {
  const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf8'));
  const examples: Array<{ name: string; source: string }> = [];
  for (const [fqn, type] of Object.entries<any>(assembly.types)) {
    const name = fqn.replace(/^cdktf-groundwork\./, '');
    const members = [
      ['', type],
      ['.constructor', type.initializer],
      ...(type.methods ?? []).map((m: any) => [`.${m.name}`, m]),
      ...(type.properties ?? []).map((p: any) => [`.${p.name}`, p]),
    ];
    for (const [suffix, member] of members) {
      if (member?.docs?.example) examples.push({ name: `${name}${suffix}`, source: member.docs.example });
    }
  }
  return examples;
}

describe('API.md examples', () => {
  const examples = apiExamples();

  test('the public API documents its constructs with examples', () => {
    const documented = new Set(examples.map((e) => e.name));
    for (const name of ['AppService', 'AppWorkloadChart', 'ClusterBootstrapStack', 'DeployPlan', 'MonitoringStack', 'PostgresWithBackups', 'WafRules']) {
      expect(documented).toContain(name);
    }
  });

  test('every example compiles as a consumer writes it', () => {
    // Each example in a block of its own: a name it declares may shadow the context's.
    expect(compileExamples(examples.map(({ name, source }) => ({ name, source: `${CONTEXT}\n{\n${source}\n}` })))).toEqual([]);
  });

  test('a broken example fails the check, so the check has teeth', () => {
    const errors = compileExamples([{ name: 'broken', source: `${CONTEXT}\ncluster.addService('Web', { name: 'web', noSuchOption: true });` }]);
    expect(errors.join('\n')).toMatch(/noSuchOption/);
  });
});
