import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App as ManifestApp, Chart, Testing as ManifestTesting, YamlOutputType } from 'cdk8s';
import { KubeDeployment } from 'cdk8s-plus-27/lib/imports/k8s';
import { AnnotationMetadataEntryType, App, TerraformStack, Testing } from 'cdktf';
import { Checks, EnvironmentTier, GroundworkPack, VpcStack, WafRules } from 'cdktf-groundwork';
import { testStack } from '../support/util';

/** Runs `body` with console.log captured; returns what was printed. */
function printed(body: () => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

function report(outdir: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'groundwork-checks.json'), 'utf8'));
}

/** A development stack holding one raw bucket, the way a user writes one next to our constructs. */
function rawBucketApp(): { app: App; stack: TerraformStack; bucket: S3Bucket } {
  const app = Testing.app();
  const stack = testStack({ environment: EnvironmentTier.DEVELOPMENT }, app);
  const bucket = new S3Bucket(stack, 'Uploads', { bucket: 'shop-uploads' });
  return { app, stack, bucket };
}

describe('Checks with the GroundworkPack', () => {
  test('flags a user\'s own raw S3Bucket and prints the finding under its stack', () => {
    const { app, stack } = rawBucketApp();
    Checks.of(app).add(new GroundworkPack());
    const out = printed(() => Testing.synth(stack));
    expect(out).toMatch(/groundwork checks: stack test: 2 errors, 1 warning, 0 info/);
    expect(out).toMatch(/ERROR +GW-S3-NO-KMS-ENCRYPTION +aws_s3_bucket\.Uploads \(test\/Uploads\)/);
    expect(out).toMatch(/ERROR +GW-S3-PUBLIC-ACCESS-NOT-BLOCKED/);
    expect(out).toMatch(/WARNING GW-S3-NO-VERSIONING/);
    expect(out).toMatch(/Fix: Use SecureBucket/);
  });

  test('strict mode fails synth on the unacknowledged error, naming rule and resource', () => {
    const { app, stack } = rawBucketApp();
    Checks.of(app).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => Testing.synth(stack)).toThrow(/groundwork checks \(strict\): 2 unacknowledged error finding\(s\):\n {2}GW-S3-NO-KMS-ENCRYPTION aws_s3_bucket\.Uploads/);
  });

  test('the same bucket, acknowledged with a reason, passes strict mode and is reported as acknowledged', () => {
    const { app, stack, bucket } = rawBucketApp();
    Checks.acknowledge(bucket, 'GW-S3-NO-KMS-ENCRYPTION', 'Public product images, served through CloudFront; nothing confidential.');
    Checks.acknowledge(bucket, 'GW-S3-PUBLIC-ACCESS-NOT-BLOCKED', 'Read through CloudFront origin access only; the block is managed at account level.');
    Checks.of(app).add(new GroundworkPack({ strict: true }));
    const out = printed(() => Testing.synth(stack));
    // The summary names what was accepted; the findings themselves are not printed again.
    expect(out).toMatch(/stack test: 0 errors, 1 warning, 0 info; 2 acknowledged \(GW-S3-NO-KMS-ENCRYPTION, GW-S3-PUBLIC-ACCESS-NOT-BLOCKED\)\n/);
    expect(out).not.toMatch(/^\s+\w+\s+GW-S3-NO-KMS-ENCRYPTION\s/m);
    const json = report(app.outdir);
    expect(json.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'GW-S3-NO-KMS-ENCRYPTION', acknowledgedBecause: expect.stringMatching(/^Public product images/) }),
    );
    expect(json.summary).toEqual({ error: 0, warning: 1, info: 0 });
  });

  test('an acknowledgement on a parent covers its children', () => {
    const { app, stack } = rawBucketApp();
    Checks.acknowledge(stack, 'GW-S3-NO-VERSIONING', 'Scratch data, rebuilt by the nightly job.');
    Checks.of(app).add(new GroundworkPack({ print: false }));
    Testing.synth(stack);
    expect(report(app.outdir).findings.find((f: any) => f.ruleId === 'GW-S3-NO-VERSIONING').acknowledgedBecause).toBe('Scratch data, rebuilt by the nightly job.');
  });

  test('refuses an acknowledgement without a reason, naming the construct', () => {
    const { bucket } = rawBucketApp();
    expect(() => Checks.acknowledge(bucket, 'GW-S3-NO-VERSIONING', '  ')).toThrow(
      'S3Bucket test/Uploads: Checks.acknowledge reason for GW-S3-NO-VERSIONING must say why the finding is accepted, got "  "',
    );
  });

  test('reports an acknowledgement that matched nothing, and one that names no rule', () => {
    const { app, stack } = rawBucketApp();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    Checks.acknowledge(vpc, 'GW-VPC-NO-FLOW-LOGS', 'Flow logs are on; this is stale.');
    Checks.acknowledge(vpc, 'GW-NO-SUCH-RULE', 'Typo.');
    Checks.of(app).add(new GroundworkPack());
    const out = printed(() => Testing.synth(stack));
    expect(out).toMatch(/WARNING GW-CHECKS-UNUSED-ACKNOWLEDGEMENT {2}test\/Network\n +acknowledgement of GW-VPC-NO-FLOW-LOGS \("Flow logs are on; this is stale."\) matched no finding/);
    expect(out).toMatch(/acknowledgement of "GW-NO-SUCH-RULE" names no rule of the pack/);
  });

  test('collects the findings our constructs report, instead of plain warnings', () => {
    const { app, stack } = rawBucketApp();
    new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], flowLogs: false });
    Checks.of(app).add(new GroundworkPack());
    const out = printed(() => Testing.synth(stack));
    expect(out).toMatch(/WARNING GW-VPC-NO-FLOW-LOGS {2}test\/Network\n +flow logs are off/);
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string)));
    expect(warnings).toEqual([]);
  });

  test('without a pack, a construct\'s finding is still a cdktf warning, as before', () => {
    const stack = testStack({ environment: EnvironmentTier.DEVELOPMENT });
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], flowLogs: false });
    Testing.synth(stack, true); // with validations, as app.synth() runs them
    const warnings = vpc.node.metadata.filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string)).map((m) => m.data);
    expect(warnings).toEqual([expect.stringMatching(/^\[GW-VPC-NO-FLOW-LOGS\] flow logs are off/)]);
  });

  test('a rule that a construct says with more context stays silent (WAF logging)', () => {
    const app = Testing.app();
    const stack = testStack({}, app);
    new WafRules(stack, 'Waf', { logging: false });
    Checks.of(app).add(new GroundworkPack({ print: false }));
    Testing.synth(stack);
    const ids = report(app.outdir).findings.map((f: any) => f.ruleId);
    expect(ids).toContain('GW-WAF-NO-LOGGING');
    expect(ids).not.toContain('GW-WAF-ACL-NO-LOGGING');
  });

  test('applies to stacks created after the pack was added, when the App synthesizes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'checks-'));
    const app = new App({ outdir });
    Checks.of(app).add(new GroundworkPack());
    const stack = testStack({ environment: EnvironmentTier.PRODUCTION }, app);
    new S3Bucket(stack, 'Uploads', { bucket: 'shop-uploads' });
    const out = printed(() => app.synth());
    expect(out).toMatch(/ERROR +GW-STACK-LOCAL-BACKEND {2}test\n +the production stack keeps its state in a local file/);
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'groundwork-checks.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'GW-S3-NO-KMS-ENCRYPTION');
    expect(result).toMatchObject({
      level: 'error',
      // Relative to the working directory (the repository root under `cdktf synth`), as code scanning expects.
      locations: [{ physicalLocation: { artifactLocation: { uri: path.relative(process.cwd(), path.join(outdir, 'stacks', 'test', 'cdk.tf.json')) } }, logicalLocations: [{ fullyQualifiedName: 'aws_s3_bucket.Uploads' }] }],
    });
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('GW-S3-NO-KMS-ENCRYPTION');
  });

  test('strict mode checks and reports every stack before it fails, and names each error\'s stack and construct', () => {
    const app = Testing.app();
    const first = testStack({ environment: EnvironmentTier.DEVELOPMENT }, app);
    new S3Bucket(first, 'Uploads', { bucket: 'shop-uploads' });
    const second = new TerraformStack(app, 'second');
    new S3Bucket(second, 'Exports', { bucket: 'shop-exports' });
    Checks.of(app).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => Testing.synth(first)).toThrow(/GW-S3-NO-KMS-ENCRYPTION aws_s3_bucket\.Uploads \(stack test, test\/Uploads\)[\s\S]*GW-S3-NO-KMS-ENCRYPTION aws_s3_bucket\.Exports \(stack second, second\/Exports\)/);
    expect(report(app.outdir).findings.map((f: any) => f.unit)).toEqual(expect.arrayContaining(['stack test', 'stack second']));
  });

  test('checks the JSON of a stack synthesized as HCL', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'checks-hcl-')), hclOutput: true });
    const stack = testStack({ environment: EnvironmentTier.DEVELOPMENT }, app);
    new S3Bucket(stack, 'Uploads', { bucket: 'shop-uploads' });
    Checks.of(app).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => app.synth()).toThrow(/GW-S3-NO-KMS-ENCRYPTION aws_s3_bucket\.Uploads/);
  });

  test('refuses a second, different pack on the same stack', () => {
    const { app, stack } = rawBucketApp();
    Checks.of(app).add(new GroundworkPack({ print: false }));
    Checks.of(stack).add(new GroundworkPack({ print: false }));
    expect(() => Testing.synth(stack)).toThrow('GroundworkStack test: is already checked by another GroundworkPack; apply one pack per app');
  });

  test('Checks.of refuses a construct that is neither an app, a stack nor a chart', () => {
    const { bucket } = rawBucketApp();
    expect(() => Checks.of(bucket)).toThrow('Checks.of: scope must be a cdktf App or TerraformStack, or a cdk8s App or Chart, got S3Bucket test/Uploads');
  });
});

describe('Checks on cdk8s charts', () => {
  function chartWithRootDeployment(app: ManifestApp): Chart {
    const chart = new Chart(app, 'legacy');
    new KubeDeployment(chart, 'Web', {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    });
    return chart;
  }

  test('prints a chart\'s findings when the cdk8s app synthesizes', () => {
    const app = new ManifestApp({ outdir: ManifestTesting.app().outdir });
    chartWithRootDeployment(app);
    Checks.of(app).add(new GroundworkPack());
    const out = printed(() => app.synth());
    expect(out).toMatch(/groundwork checks: chart legacy \(.*\): [1-9]\d* errors?/);
    expect(out).toMatch(/ERROR +GW-K8S-POD-SECURITY-CONTEXT +Deployment shop\/web \(legacy\/Web\)/);
    expect(out).toMatch(/WARNING GW-K8S-IMAGE-NOT-PINNED/);
    // The report sits beside the manifest directory, so `kubectl apply -f <dir>` never reads it.
    expect(fs.readdirSync(app.outdir)).toEqual(['legacy.k8s.yaml']);
    const name = path.basename(app.outdir);
    const json = JSON.parse(fs.readFileSync(path.join(path.dirname(app.outdir), `groundwork-checks-${name}.json`), 'utf8'));
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.findings.every((f: any) => f.file === path.relative(process.cwd(), path.join(app.outdir, 'legacy.k8s.yaml')))).toBe(true);
  });

  test('checks charts written one file per object, which cdk8s renders without the chart', () => {
    const app = new ManifestApp({ outdir: ManifestTesting.app().outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    chartWithRootDeployment(app);
    Checks.of(app).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => app.synth()).toThrow(/GW-K8S-POD-SECURITY-CONTEXT Deployment shop\/web \(chart legacy/);
  });

  test('strict mode fails the cdk8s synth on an unacknowledged error; an acknowledgement lets it pass', () => {
    const failing = new ManifestApp({ outdir: ManifestTesting.app().outdir });
    chartWithRootDeployment(failing);
    Checks.of(failing).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => failing.synth()).toThrow(/GW-K8S-POD-SECURITY-CONTEXT Deployment shop\/web/);

    const passing = new ManifestApp({ outdir: ManifestTesting.app().outdir });
    const chart = chartWithRootDeployment(passing);
    Checks.acknowledge(chart, 'GW-K8S-POD-SECURITY-CONTEXT', 'Vendor image that must run as root; isolated on its own node group.');
    Checks.of(passing).add(new GroundworkPack({ strict: true, print: false }));
    expect(() => passing.synth()).not.toThrow();
  });
});
