import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildProductionExample } from '../../examples/production/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests, parseManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

describe('examples/production', () => {
  const app = Testing.app();
  const manifests = buildProductionExample(app);
  manifests.synth();
  app.synth();
  const stackJson = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  const awsStack = stackJson('shop-production-aws');
  const manifestDir = path.join(app.outdir, 'manifests');
  const yamlText = fs.readFileSync(path.join(manifestDir, 'shop-web.k8s.yaml'), 'utf8');
  const allYaml = fs
    .readdirSync(manifestDir)
    .map((f) => fs.readFileSync(path.join(manifestDir, f), 'utf8'))
    .join('\n---\n');
  const operatorResources = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].map((k) => `monitoring.coreos.com/v1 ${k}`);

  test('synthesizes the AWS stack with a production VPC over three zones', () => {
    const subnets = Object.values(awsStack.resource.aws_subnet) as any[];
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    expect(Object.keys(awsStack.resource.aws_nat_gateway)).toHaveLength(3);
  });

  test('has a Multi-AZ Postgres primary with two read replicas and a Redis group of three nodes', () => {
    const instances = Object.values(awsStack.resource.aws_db_instance) as any[];
    expect(instances.filter((i) => i.replicate_source_db === undefined)).toEqual([
      expect.objectContaining({ multi_az: true, storage_encrypted: true, publicly_accessible: false }),
    ]);
    expect(instances.filter((i) => i.replicate_source_db !== undefined)).toHaveLength(2);
    const [redis] = Object.values(awsStack.resource.aws_elasticache_replication_group) as any[];
    expect(redis).toMatchObject({ num_cache_clusters: 3, automatic_failover_enabled: true, multi_az_enabled: true });
  });

  test('puts the ALB behind a WAF web ACL with the managed rules and a per-IP rate limit', () => {
    const [acl] = Object.values(awsStack.resource.aws_wafv2_web_acl) as any[];
    const names = acl.rule.map((r: any) => r.name);
    expect(names).toEqual(expect.arrayContaining(['AWS-AWSManagedRulesCommonRuleSet', 'AWS-AWSManagedRulesSQLiRuleSet', 'RateLimitPerIp']));
    expect(JSON.stringify(acl.rule)).toMatch(/"limit":2000/);
    const [association] = Object.values(awsStack.resource.aws_wafv2_web_acl_association) as any[];
    expect(association.resource_arn).toMatch(/^\$\{aws_lb\./);
  });

  test('keeps the kubernetes provider out of the AWS stack', () => {
    expect(Object.keys(awsStack.terraform.required_providers)).toEqual(['aws']);
    expect(Object.keys(stackJson('shop-production-k8s').terraform.required_providers)).toContain('kubernetes');
  });

  test('writes manifests that pass the official Kubernetes schemas', () => {
    const docs = parseManifests(yamlText);
    expect(docs.map((d: any) => d.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler']));
    expect(validateManifests(parseManifests(allYaml), { customResources: operatorResources })).toEqual([]);
  });

  test('writes the monitoring rules, scrape targets and dashboards next to the app', () => {
    const kinds = parseManifests(allYaml).map((d: any) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['PrometheusRule', 'ServiceMonitor', 'ConfigMap']));
  });

  test('puts no Terraform token and no secret value into the YAML', () => {
    expect(allYaml).not.toMatch(/\$\{/);
    expect(allYaml).not.toMatch(/password:|arn:aws:iam/i);
  });

  test('is valid Terraform for the AWS provider 5.100.0', () => {
    expect(app.outdir).toBeValidTerraform();
  });

  test('plans offline with no AWS account', () => {
    expect(app.outdir).toPlanSuccessfully();
  });
});
