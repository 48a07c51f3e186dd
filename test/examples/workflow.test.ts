import * as fs from 'fs';
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

  test('deploys each environment with the deploy script and its plan, after a strict synth of that environment only', () => {
    const job = deploy.jobs.deploy;
    expect(job.environment).toBe('${{ inputs.environment }}');
    expect(job.env.SHOP_ENVIRONMENTS).toBe('${{ inputs.environment }}');
    const runs: string[] = job.steps.filter((s: any) => s.run).map((s: any) => s.run);
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/^npm run synth$/)).toBeGreaterThan(-1);
    expect(job.steps.find((s: any) => s.run === 'npm run synth').env.GROUNDWORK_CHECKS_STRICT).toBe('true');
    expect(at(/node scripts\/deploy\.mjs cdktf\.out\/deploy\/\$\{\{ inputs\.environment \}\}\/deploy\.json/)).toBeGreaterThan(at(/^npm run synth$/));
    // No step of its own deploys a stack or applies manifests any more: the script does, in order.
    expect(runs.join('\n')).not.toMatch(/cdktf deploy|kubectl apply|helm upgrade/);
    // The tools the script calls, pinned.
    const uses = job.steps.map((s: any) => s.uses).filter(Boolean);
    expect(uses).toEqual(expect.arrayContaining(['azure/setup-kubectl@v4', 'azure/setup-helm@v4', 'hashicorp/setup-terraform@v3']));
    // cdktf from the project's node_modules.
    expect(runs.find((r) => r.includes('deploy.mjs'))).toContain('node_modules/.bin');
  });

  test('runs on the self-hosted deploy runners of the CI network the clusters admit', () => {
    expect(deploy.jobs.deploy['runs-on']).toEqual(['self-hosted', 'linux', 'shop-deploy']);
    const environments = fs.readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'production', 'environments.ts'), 'utf8');
    expect(environments).toContain('label `shop-deploy`');
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
