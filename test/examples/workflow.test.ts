import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';

// The GitHub Actions pipeline cannot run here; these tests hold it to what the README promises.
const dir = path.resolve(__dirname, '..', '..', '.github', 'workflows');
const pipeline = YAML.parse(fs.readFileSync(path.join(dir, 'infrastructure.yml'), 'utf8'));
const deploy = YAML.parse(fs.readFileSync(path.join(dir, 'deploy-environment.yml'), 'utf8'));
const allText = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');

describe('the infrastructure pipeline', () => {
  test('plans every environment on pull requests with OIDC credentials', () => {
    expect(pipeline.jobs.plan.if).toBe("github.event_name == 'pull_request'");
    expect(pipeline.jobs.plan.strategy.matrix.environment).toEqual(['development', 'staging', 'production']);
    expect(pipeline.jobs.plan.permissions['id-token']).toBe('write');
    const steps = pipeline.jobs.plan.steps.map((s: any) => s.uses ?? s.run ?? s.name);
    expect(steps).toContain('aws-actions/configure-aws-credentials@v4');
    expect(JSON.stringify(pipeline.jobs.plan.steps)).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  test('deploys on main one environment after the other, production last', () => {
    expect(pipeline.on.push.branches).toEqual(['main']);
    expect(pipeline.jobs['deploy-development'].needs).toBe('test');
    expect(pipeline.jobs['deploy-staging'].needs).toBe('deploy-development');
    expect(pipeline.jobs['deploy-production'].needs).toBe('deploy-staging');
  });

  test('deploys the AWS stack, then the bootstrap stack, then the manifests', () => {
    const runs: string[] = deploy.jobs.deploy.steps.filter((s: any) => s.run).map((s: any) => s.run);
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/cdktf deploy shop-\$\{\{ inputs.environment \}\}-aws/)).toBeGreaterThan(-1);
    expect(at(/cdktf deploy shop-\$\{\{ inputs.environment \}\}-aws/)).toBeLessThan(at(/cdktf deploy .*-k8s/));
    expect(at(/cdktf deploy .*-k8s/)).toBeLessThan(at(/kubectl apply/));
    expect(deploy.jobs.deploy.environment).toBe('${{ inputs.environment }}');
  });

  test("checks that the Alertmanager receivers' Secrets exist before it applies the manifests", () => {
    const runs: string[] = deploy.jobs.deploy.steps.filter((s: any) => s.run).map((s: any) => s.run);
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/check-alertmanager-secrets\.mjs cdktf\.out\/helm\/\$\{\{ inputs\.environment \}\}\/kube-prometheus-stack-values\.yaml monitoring/)).toBeGreaterThan(-1);
    expect(at(/check-alertmanager-secrets/)).toBeLessThan(at(/kubectl apply/));
  });

  test('the Secrets check fails naming each missing Secret, and passes when all exist', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-secrets-'));
    // A kubectl stand-in: only alertmanager-slack exists.
    fs.writeFileSync(path.join(dir, 'kubectl'), '#!/bin/sh\n[ "$5" = alertmanager-slack ] && exit 0\nexit 1\n', { mode: 0o755 });
    const values = path.join(dir, 'values.yaml');
    const run = (secrets: string[]) => {
      fs.writeFileSync(values, YAML.stringify({ alertmanager: { alertmanagerSpec: { secrets } } }));
      return spawnSync('node', [path.resolve(__dirname, '../../scripts/check-alertmanager-secrets.mjs'), values, 'monitoring'], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      });
    };
    const missing = run(['alertmanager-slack', 'alertmanager-pagerduty']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('missing in namespace monitoring: alertmanager-pagerduty.');
    const present = run(['alertmanager-slack']);
    expect(present.status).toBe(0);
    expect(present.stdout).toContain('1 Secret(s) present in monitoring: alertmanager-slack');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('stores no AWS keys: credentials come only from an assumed role', () => {
    expect(allText).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
    expect(allText).toMatch(/role-to-assume/);
  });

  test('deploys the stack names the example synthesizes', () => {
    expect(fs.existsSync(path.resolve(__dirname, '..', '..', 'examples', 'production', 'architecture.ts'))).toBe(true);
    const architecture = fs.readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'production', 'architecture.ts'), 'utf8');
    expect(architecture).toMatch(/`\$\{name\}-aws`/);
    expect(architecture).toMatch(/`\$\{name\}-k8s`/);
  });
});
