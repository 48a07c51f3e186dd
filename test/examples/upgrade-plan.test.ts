import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildExample } from '../../examples/production/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require('../../scripts/lib/offline-terraform.cjs');

/**
 * The README promises that upgrading examples/production from release 0.1 to the current code
 * "moves resources and replaces nothing". The address-stability test shows that every old
 * address still exists or is moved; this one asks Terraform, offline:
 *
 * 1. plan release 0.1's production AWS stack (the committed fixture, see release-0.1/README.md)
 *    from an empty state;
 * 2. turn that plan into the state an apply would leave (harness.stateFromPlan: planned values,
 *    and consistent placeholders for what is unknown until apply: ids, ARNs, endpoints);
 * 3. plan the current example's production AWS stack against that state, without refresh.
 *
 * That plan must move every resource the library moves (its `moved` blocks) and delete or
 * replace none of 0.1's resources. New resources are created (the orders service and its
 * database, the Pod Identity agent and associations, the cluster role's VPC resource controller
 * policy for security groups for pods). Updates in place are allowed; expected ones:
 * - the web service's role (0.1's IRSA role, moved): description, and a trust policy that
 *   trusts EKS Pod Identity next to IRSA while `legacyAppName` is set;
 * - the load balancer controller's inline policy, which now names every service's target group;
 * - the load balancer's security group rules to the targets (moved): Name tags with the port;
 * - the load balancer's target 5xx and response time alarms, now per target group (a
 *   TargetGroup dimension);
 * - the vpc-cni add-on's configuration (ENABLE_POD_ENI, for security groups for pods);
 * and, generally, descriptions and tags that now name the service.
 */
describe('upgrading examples/production from release 0.1 moves resources and replaces nothing', () => {
  const release01 = path.join(__dirname, 'release-0.1', 'shop-production-aws');
  let oldState: any;
  let upgrade: any;
  let moved: Array<{ from: string; to: string }>;

  beforeAll(() => {
    const env = harness.prepareOfflineEnvironment();
    // A working directory of their own per run (jest runs test files in parallel workers).
    const workName = (what: string) => `jest-${process.pid}-upgrade-${what}`;
    const cleanUp = (what: string) => fs.rmSync(path.join(harness.WORK_ROOT, 'stacks', workName(what)), { recursive: true, force: true });
    try {
      // The plan validates the configuration: no separate `terraform validate` (4 s a stack).
      const old = harness.checkStack(release01, { env, plan: true, validate: false, name: 'shop-production-aws (0.1)', workName: workName('0.1') });
      const schemas = harness.resourceSchemas(old.workDir, env);
      oldState = harness.stateFromPlan(old.plan, schemas, JSON.parse(fs.readFileSync(path.join(release01, 'cdk.tf.json'), 'utf8')));

      const app = Testing.app();
      buildExample(app, ['production']);
      app.synth();
      const stackDir = path.join(app.outdir, 'stacks', 'shop-production-aws');
      moved = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')).moved ?? [];
      // prevent_destroy would stop the plan at the first replacement with an error that does not
      // say which attribute forces it; without it the plan shows every replacement and why.
      const current = harness.checkStack(stackDir, {
        env,
        plan: true,
        validate: false,
        state: oldState,
        ignorePreventDestroy: true,
        name: 'shop-production-aws (current, from 0.1)',
        workName: workName('current'),
      });
      upgrade = current.plan;
      // UPGRADE_PLAN_DUMP=<file> keeps the state and the plan, to look into a failure.
      if (process.env.UPGRADE_PLAN_DUMP) fs.writeFileSync(process.env.UPGRADE_PLAN_DUMP, JSON.stringify({ state: oldState, plan: upgrade }));
    } finally {
      cleanUp('0.1');
      cleanUp('current');
    }
  });

  test('the 0.1 state holds every resource of release 0.1', () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(release01, 'cdk.tf.json'), 'utf8'));
    const declared = Object.entries(fixture.resource).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`));
    expect(oldState.resources.map((r: any) => `${r.type}.${r.name}`).sort()).toEqual(declared.sort());
  });

  test('no resource of release 0.1 is deleted or replaced', () => {
    expect(destructiveChanges(upgrade, oldState)).toEqual([]);
  });

  test('every moved block from a 0.1 address moves that resource', () => {
    // Blocks from addresses of later releases (none yet) are for upgrades from those releases;
    // a block whose `from` misses a 0.1 address leaves that resource to be deleted, which the
    // test above reports.
    const before = new Set(oldState.resources.map((r: any) => `${r.type}.${r.name}`));
    const movedTo = new Map(moved.map((m) => [m.from, m.to]));
    const byAddress = new Map<string, PlannedChange>(upgrade.resource_changes.map((c: PlannedChange) => [c.address, c]));
    const fromRelease01 = moved.filter((m) => before.has(m.from));
    expect(fromRelease01.length).toBeGreaterThan(0);
    const notTaken = fromRelease01
      .filter((m) => {
        let to = m.to;
        for (let hops = 0; movedTo.has(to) && hops < moved.length; hops++) to = movedTo.get(to)!;
        return byAddress.get(to)?.previous_address !== m.from;
      })
      .map((m) => `${m.from} -> ${m.to}`);
    expect(notTaken).toEqual([]);
  });

  test('a replacement is reported with the attributes that force it', () => {
    const plan = {
      resource_changes: [
        {
          address: 'aws_db_instance.New_1',
          previous_address: 'aws_db_instance.Old_1',
          change: {
            actions: ['delete', 'create'],
            before: { identifier: 'shop', storage_encrypted: true, arn: 'arn:aws:rds:eu-west-1:123456789012:db:shop' },
            after: { identifier: 'shop', storage_encrypted: false },
            after_unknown: { arn: true },
            replace_paths: [['storage_encrypted']],
          },
        },
        { address: 'aws_iam_role.Gone_1', action_reason: 'delete_because_no_resource_config', change: { actions: ['delete'] } },
        { address: 'aws_iam_role.Kept_1', change: { actions: ['update'] } },
        { address: 'aws_iam_role.New_2', change: { actions: ['create'] } },
      ],
    };
    const state = { resources: ['aws_db_instance.Old_1', 'aws_iam_role.Gone_1', 'aws_iam_role.Kept_1'].map((a) => ({ type: a.split('.')[0], name: a.split('.')[1] })) };
    expect(destructiveChanges(plan, state)).toEqual([
      'aws_db_instance.New_1 (moved from aws_db_instance.Old_1): delete, create; forced by storage_encrypted (true -> false)',
      'aws_iam_role.Gone_1: delete; delete_because_no_resource_config',
    ]);
  });
});

interface PlannedChange {
  address: string;
  previous_address?: string;
  action_reason?: string;
  change: { actions: string[]; before?: any; after?: any; after_unknown?: any; replace_paths?: Array<Array<string | number>> };
}

/**
 * The planned changes that delete (or replace: delete and create) a resource of the prior state,
 * each with the attributes that force it and their old and new values.
 */
function destructiveChanges(plan: { resource_changes?: PlannedChange[] }, state: { resources: Array<{ type: string; name: string }> }): string[] {
  const before = new Set(state.resources.map((r) => `${r.type}.${r.name}`));
  const at = (value: any, steps: Array<string | number>) => steps.reduce((v, step) => (v === null || v === undefined ? undefined : v[step]), value);
  const shown = (value: any) => (value === undefined ? '(known after apply)' : JSON.stringify(value));
  return (plan.resource_changes ?? [])
    .filter((c) => c.change.actions.includes('delete') && before.has(c.previous_address ?? c.address))
    .map((c) => {
      const moved = c.previous_address ? ` (moved from ${c.previous_address})` : '';
      const forcedBy = (c.change.replace_paths ?? []).map(
        (steps) => `${steps.join('.')} (${shown(at(c.change.before, steps))} -> ${at(c.change.after_unknown, steps) === true ? '(known after apply)' : shown(at(c.change.after, steps))})`,
      );
      const why = forcedBy.length > 0 ? `forced by ${forcedBy.join(', ')}` : (c.action_reason ?? 'no reason given');
      return `${c.address}${moved}: ${c.change.actions.join(', ')}; ${why}`;
    });
}
