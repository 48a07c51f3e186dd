import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildExample } from '../../examples/production/main';

/**
 * When the AWS stack replaces a service's target group (create_before_destroy), its ARN changes,
 * and a TargetGroupBinding's `spec.targetGroupARN` is immutable: the AWS Load Balancer
 * Controller's webhook denies the update, and the pods never join the new group. So the binding
 * must be replaced with the group, never updated in place.
 *
 * The bootstrap stack ties the binding to a `terraform_data` resource that holds the ARN
 * (`replace_triggered_by`). `replace_triggered_by` is evaluated by Terraform itself, whatever
 * the resource type, and the kubernetes provider is not in the offline mirror: so this test
 * plans the synthesized identity resource and lifecycle exactly as synthesized, with the binding
 * itself stood in by a `terraform_data` of the same address, across a real apply and plan.
 */
describe('a replaced target group replaces its TargetGroupBinding', () => {
  const app = Testing.app();
  buildExample(app, ['development'], { checks: false });
  app.synth();
  const stack = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'shop-development-k8s', 'cdk.tf.json'), 'utf8'));
  const bindings = Object.entries(stack.resource.kubernetes_manifest as Record<string, any>).filter(
    ([, r]) => r.manifest.kind === 'TargetGroupBinding',
  );
  const identities = stack.resource.terraform_data as Record<string, any>;

  test('every binding is triggered by an identity that holds exactly its target group ARN', () => {
    expect(bindings.map(([, r]) => r.manifest.metadata.name).sort()).toEqual(['orders-api', 'shop-web']);
    for (const [, binding] of bindings) {
      const [trigger] = binding.lifecycle.replace_triggered_by;
      const identityId = trigger.replace(/^terraform_data\./, '');
      expect(identities[identityId].triggers_replace).toEqual({ targetGroupArn: binding.manifest.spec.targetGroupARN });
    }
  });

  test('Terraform replaces the binding when the ARN changes, and leaves it alone otherwise', () => {
    const [bindingId, binding] = bindings[0];
    const identityId = binding.lifecycle.replace_triggered_by[0].replace(/^terraform_data\./, '');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgb-replace-'));
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        variable: { target_group_arn: { type: 'string' } },
        resource: {
          terraform_data: {
            // The identity as synthesized, fed the ARN from a variable instead of the AWS stack's output.
            [identityId]: { ...identities[identityId], triggers_replace: { targetGroupArn: '${var.target_group_arn}' } },
            // The binding's stand-in: its manifest's ARN as input, its lifecycle as synthesized.
            [bindingId]: { input: { targetGroupARN: '${var.target_group_arn}' }, lifecycle: binding.lifecycle },
          },
        },
      }),
    );
    const terraform = (...args: string[]) => {
      const run = spawnSync('terraform', [`-chdir=${dir}`, ...args], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' } });
      if (run.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${run.stderr}`);
      return run.stdout;
    };
    const planned = (arn: string) => {
      terraform('plan', '-input=false', '-out=tfplan', `-var=target_group_arn=${arn}`);
      const plan = JSON.parse(terraform('show', '-json', 'tfplan'));
      return plan.resource_changes.find((c: any) => c.address === `terraform_data.${bindingId}`);
    };
    const oldArn = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/shop-development-shop-web/0123456789abcdef';
    const newArn = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/shop-development-shop-web/fedcba9876543210';
    try {
      terraform('init', '-input=false');
      terraform('apply', '-input=false', '-auto-approve', `-var=target_group_arn=${oldArn}`);
      expect(planned(oldArn).change.actions).toEqual(['no-op']);
      const replaced = planned(newArn);
      expect(replaced.change.actions).toEqual(['delete', 'create']);
      expect(replaced.action_reason).toBe('replace_by_triggers');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
