import * as path from 'path';
import { ApiObject, App as ManifestApp, Chart } from 'cdk8s';
import { App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError, constructLabel, describeValue } from '../core/private/errors';
import {
  ACKNOWLEDGEMENT_METADATA,
  AcknowledgementData,
  acknowledgementsCovering,
  acknowledgementsOn,
  Finding,
  findingsReportedBy,
  markChecked,
  PlacedAcknowledgement,
} from './private/findings';
import { evaluateKubernetes, KubernetesView } from './private/kubernetes';
import { formatUnit, ReportLocation, writeReports } from './private/output';
import { evaluateTerraform, TerraformView } from './private/terraform';
import { CheckRule, CheckSeverity, KubernetesSubject } from './rule';
import { ALL_RULES, KUBERNETES_RULES, TERRAFORM_RULES, UNUSED_ACKNOWLEDGEMENT } from './rules';

/** Properties of a {@link GroundworkPack}. */
export interface GroundworkPackProps {
  /**
   * Fail synth when an error-severity finding is not acknowledged.
   *
   * Use it where a deploy is decided: the deploy workflow's synth step sets
   * `GROUNDWORK_CHECKS_STRICT=true`.
   *
   * @default - true when the environment variable GROUNDWORK_CHECKS_STRICT is "true" or "1", else false
   */
  readonly strict?: boolean;

  /**
   * Print each stack's and chart's findings to standard output at synth (`cdktf synth` shows
   * the app's standard output).
   *
   * @default true
   */
  readonly print?: boolean;

  /**
   * Write `groundwork-checks.json` and `groundwork-checks.sarif` (SARIF 2.1.0, for code-scanning
   * UIs) into the app's output directory.
   *
   * @default true
   */
  readonly writeReport?: boolean;
}

/** What one app root has been through in this process: for the report and unused acknowledgements. */
interface RunState {
  readonly report: ReportLocation;
  readonly findingsByUnit: Map<string, Finding[]>;
  readonly usedAcknowledgements: Set<AcknowledgementData>;
  readonly checkedUnits: Set<IConstruct>;
  readonly reportedUnused: Set<AcknowledgementData>;
}

const RULES_BY_ID = new Map<string, CheckRule>(ALL_RULES.map((r) => [r.id, r]));
const STACK_HOOKED = Symbol.for('cdktf-groundwork.checksHooked');

/**
 * The library's rule pack: every rule of `GW-*`, over the resources and objects of both trees.
 *
 * Apply it with `Checks.of(app).add(pack)` to the cdktf app and to each cdk8s app. It checks:
 * - the Terraform resources of every stack, the user's own included (S3, KMS, RDS,
 *   ElastiCache, EKS, load balancers, security groups, WAFv2, CloudWatch Logs, SNS, IAM
 *   policies, backends), on the configuration exactly as synthesized;
 * - the Kubernetes objects of every chart (pod security context, resources, probes,
 *   NetworkPolicy coverage, disruption budgets, image pinning);
 * - the findings the library's constructs report while they are built.
 *
 * Findings are printed per stack and chart, written as JSON and SARIF next to the synthesized
 * output, and, in strict mode, unacknowledged errors fail synth. Acknowledge a finding with
 * {@link Checks.acknowledge}.
 *
 * It is a cdktf Aspect: on each stack it runs when the stack's configuration has been
 * resolved, so it sees values as Terraform will, without resolving the stack a second time.
 */
export class GroundworkPack implements IAspect {
  /** Whether unacknowledged errors fail synth. */
  public readonly strict: boolean;
  private readonly print: boolean;
  private readonly writeReport: boolean;
  private readonly runs = new Map<IConstruct, RunState>();

  constructor(props: GroundworkPackProps = {}) {
    const fromEnvironment = ['true', '1'].includes((process.env.GROUNDWORK_CHECKS_STRICT ?? '').toLowerCase());
    this.strict = props.strict ?? fromEnvironment;
    this.print = props.print ?? true;
    this.writeReport = props.writeReport ?? true;
  }

  /** Hooks the pack into each stack's synthesis; called by cdktf for every construct. */
  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    markChecked(node);
    const hooked = node as unknown as { [STACK_HOOKED]?: Set<GroundworkPack> };
    if (!hooked[STACK_HOOKED]) Object.defineProperty(hooked, STACK_HOOKED, { value: new Set<GroundworkPack>() });
    if (hooked[STACK_HOOKED]!.has(this)) return;
    hooked[STACK_HOOKED]!.add(this);
    // cdktf has no hook after a stack's configuration is resolved, and resolving it again
    // would cost a fifth of synth time; so the pack reads the result of the one resolution.
    const stack = node;
    const render = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = render();
      this.checkStack(stack, json);
      return json;
    };
  }

  /** Checks one synthesized stack. */
  private checkStack(stack: TerraformStack, json: { [key: string]: any }): void {
    const unit = `stack ${stack.node.id}`;
    const file = `stacks/${stack.node.id}/cdk.tf.json`;
    const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
    const findings: Array<Omit<Finding, 'acknowledgedBecause'> & { target: IConstruct }> = [];
    for (const result of evaluateTerraform(new TerraformView(stack, json), TERRAFORM_RULES)) {
      const target = (result.subject && byPath.get(result.subject.path)) || stack;
      const coveredBy = result.rule.coveredBy;
      if (coveredBy && target.node.scopes.some((s) => findingsReportedBy(s).some((f) => f.ruleId === coveredBy))) continue;
      findings.push({
        ruleId: result.rule.id,
        severity: result.rule.severity,
        message: result.message,
        path: target.node.path,
        address: result.subject?.address,
        unit,
        file,
        target,
      });
    }
    findings.push(...reportedFindings(stack, unit, file));
    this.conclude(App.of(stack), [stack], new Map([[unit, findings]]), { directory: App.of(stack).outdir, baseName: 'groundwork-checks' }, () => unit);
  }

  /**
   * Hooks the pack into the rendering of `chart`, once: cdk8s has no aspects, and its
   * `toJson()` is where a chart's objects exist, resolved, as they will be written.
   *
   * @internal
   */
  public _hookChart(chart: Chart): void {
    markChecked(chart);
    const hooked = chart as unknown as { [STACK_HOOKED]?: Set<GroundworkPack> };
    if (!hooked[STACK_HOOKED]) Object.defineProperty(hooked, STACK_HOOKED, { value: new Set<GroundworkPack>() });
    if (hooked[STACK_HOOKED]!.has(this)) return;
    hooked[STACK_HOOKED]!.add(this);
    const render = chart.toJson.bind(chart);
    chart.toJson = () => {
      const manifests = render();
      this.checkChart(chart, manifests);
      return manifests;
    };
  }

  /** Checks one rendered chart; NetworkPolicies, budgets and autoscalers of the other charts count too. */
  private checkChart(chart: Chart, manifests: any[]): void {
    const app = chart.node.root as ManifestApp;
    const objects = apiObjectsOf(chart);
    const subjects = manifests.map((manifest) => {
      const source = objects.find((o) => o.kind === manifest.kind && o.name === manifest.metadata?.name && o.metadata.namespace === manifest.metadata?.namespace);
      return subjectOf(manifest, source?.node.path ?? chart.node.path);
    });
    const others = () =>
      app.node
        .findAll()
        .filter((c): c is Chart => Chart.isChart(c) && c !== chart)
        .flatMap((c) => apiObjectsOf(c));
    const outdir = app.outdir;
    const unit = `chart ${chart.node.id} (${path.relative(process.cwd(), outdir) || '.'})`;
    const file = `${path.basename(outdir)}/${chart.node.id}${app.outputFileExtension ?? '.k8s.yaml'}`;
    const report = { directory: path.dirname(path.resolve(outdir)), baseName: `groundwork-checks-${path.basename(path.resolve(outdir))}` };
    const byPath = new Map<string, IConstruct>(chart.node.findAll().map((c) => [c.node.path, c]));
    const findings: Array<Omit<Finding, 'acknowledgedBecause'> & { target: IConstruct }> = [];
    for (const result of evaluateKubernetes(new KubernetesView(subjects, others), KUBERNETES_RULES)) {
      const target = byPath.get(result.subject.path) ?? chart;
      findings.push({
        ruleId: result.rule.id,
        severity: result.rule.severity,
        message: result.message,
        path: target.node.path,
        address: `${result.subject.kind} ${result.subject.namespace ? `${result.subject.namespace}/` : ''}${result.subject.name}`,
        unit,
        file,
        target,
      });
    }
    findings.push(...reportedFindings(chart, unit, file));
    this.conclude(app, [chart], new Map([[unit, findings]]), report, () => unit);
  }

  /**
   * Applies acknowledgements, reports the ones that matched nothing, prints, writes the
   * report and, in strict mode, fails on unacknowledged errors.
   */
  private conclude(
    root: IConstruct,
    units: IConstruct[],
    grouped: Map<string, Array<Omit<Finding, 'acknowledgedBecause'> & { target: IConstruct }>>,
    report: ReportLocation,
    unitOfConstruct: (construct: IConstruct) => string | undefined,
  ): void {
    const state = this.stateOf(root, report);
    units.forEach((u) => state.checkedUnits.add(u));
    const results = new Map<string, Finding[]>();
    for (const [unit, raw] of grouped) {
      results.set(
        unit,
        raw.map(({ target, ...finding }) => {
          const acknowledgement = acknowledgementsCovering(target).find((a) => a.data.ruleId === finding.ruleId);
          if (acknowledgement) state.usedAcknowledgements.add(acknowledgement.data);
          return acknowledgement ? { ...finding, acknowledgedBecause: acknowledgement.data.reason } : finding;
        }),
      );
    }
    // An acknowledgement is judged once every unit under it has been checked: inside a unit
    // at once, on an ancestor (the app) when its last stack is done.
    const lastUnit = [...results.keys()].pop()!;
    for (const placed of this.acknowledgementsToJudge(root, state)) {
      if (state.usedAcknowledgements.has(placed.data) || state.reportedUnused.has(placed.data)) continue;
      state.reportedUnused.add(placed.data);
      const known = RULES_BY_ID.has(placed.data.ruleId);
      const own = unitOfConstruct(placed.scope);
      const unitName = own !== undefined && results.has(own) ? own : lastUnit;
      results.get(unitName)!.push({
        ruleId: UNUSED_ACKNOWLEDGEMENT.id,
        severity: UNUSED_ACKNOWLEDGEMENT.severity,
        message: known
          ? `acknowledgement of ${placed.data.ruleId} ("${placed.data.reason}") matched no finding: remove it, or move it to the construct that has the finding`
          : `acknowledgement of ${describeValue(placed.data.ruleId)} names no rule of the pack: check the ID against the README's rule table`,
        path: placed.scope.node.path,
        unit: unitName,
      });
    }
    for (const [unit, findings] of results) {
      state.findingsByUnit.set(unit, findings);
      if (this.print) console.log(formatUnit(unit, findings, RULES_BY_ID));
    }
    const everything = [...state.findingsByUnit.values()].flat();
    if (this.writeReport) writeReports(state.report, everything, RULES_BY_ID);
    if (this.strict) {
      const errors = [...results.values()].flat().filter((f) => f.severity === CheckSeverity.ERROR && f.acknowledgedBecause === undefined);
      if (errors.length > 0) {
        throw new ValidationError(
          `groundwork checks (strict): ${errors.length} unacknowledged error finding(s):\n` +
            errors.map((f) => `  ${f.ruleId} ${f.address ?? f.path}: ${f.message}`).join('\n') +
            '\nFix them, or acknowledge each with Checks.acknowledge(scope, ruleId, reason).',
        );
      }
    }
  }

  /** Acknowledgements whose every unit has now been checked. */
  private acknowledgementsToJudge(root: IConstruct, state: RunState): PlacedAcknowledgement[] {
    const placed = root.node.findAll().flatMap((c) => acknowledgementsOn(c));
    return placed.filter((a) => {
      const unitsBelow = unitsUnder(a.scope);
      return unitsBelow.length > 0 && unitsBelow.every((u) => state.checkedUnits.has(u) || [...state.checkedUnits].some((c) => u.node.scopes.includes(c)));
    });
  }

  private stateOf(root: IConstruct, report: ReportLocation): RunState {
    let state = this.runs.get(root);
    if (!state) {
      state = { report, findingsByUnit: new Map(), usedAcknowledgements: new Set(), checkedUnits: new Set(), reportedUnused: new Set() };
      this.runs.set(root, state);
    }
    return state;
  }
}

/** The stacks (or, in a cdk8s app, the charts) at or under `scope`, or the one it is in. */
function unitsUnder(scope: IConstruct): IConstruct[] {
  const enclosing = scope.node.scopes.find((s) => TerraformStack.isStack(s) || Chart.isChart(s));
  if (enclosing) return [enclosing];
  return scope.node.findAll().filter((c) => TerraformStack.isStack(c) || Chart.isChart(c));
}

/** The ApiObjects that belong to `chart` itself (not to a chart nested in it). */
function apiObjectsOf(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}

function subjectOf(manifest: any, constructPath: string): KubernetesSubject {
  return {
    manifest,
    kind: manifest.kind,
    name: manifest.metadata?.name ?? '',
    namespace: manifest.metadata?.namespace,
    path: constructPath,
  };
}

/** The findings that the constructs of `unit` reported while they were built. */
function reportedFindings(unit: IConstruct, unitName: string, file: string): Array<Omit<Finding, 'acknowledgedBecause'> & { target: IConstruct }> {
  return unit.node.findAll().flatMap((construct) =>
    findingsReportedBy(construct).map((reported) => ({
      ruleId: reported.ruleId,
      severity: RULES_BY_ID.get(reported.ruleId)?.severity ?? CheckSeverity.WARNING,
      message: reported.message,
      path: construct.node.path,
      unit: unitName,
      file,
      target: construct,
    })),
  );
}

const CHECKS = Symbol.for('cdktf-groundwork.Checks');

/**
 * Checks for a cdktf app or stack, or a cdk8s app or chart: add rule packs, acknowledge findings.
 *
 * @example
 * const pack = new GroundworkPack({ strict: true });
 * Checks.of(app).add(pack);       // the cdktf app: every stack
 * Checks.of(manifests).add(pack); // a cdk8s app: every chart
 * Checks.acknowledge(bucket, 'GW-S3-NO-ACCESS-LOGS', 'Holds only build caches; nobody audits access to it.');
 */
export class Checks {
  /**
   * The checks of `scope`, which must be a cdktf App or TerraformStack, or a cdk8s App or Chart.
   */
  public static of(scope: IConstruct): Checks {
    const holder = scope as unknown as { [CHECKS]?: Checks };
    if (!holder[CHECKS]) {
      const isManifests = scope instanceof ManifestApp || Chart.isChart(scope);
      if (!isManifests && !(scope instanceof App) && !TerraformStack.isStack(scope)) {
        throw new ValidationError(
          `Checks.of: scope must be a cdktf App or TerraformStack, or a cdk8s App or Chart, got ${constructLabel(scope)}`,
        );
      }
      Object.defineProperty(holder, CHECKS, { value: new Checks(scope, isManifests) });
    }
    return holder[CHECKS]!;
  }

  /**
   * Acknowledges the findings of one rule on `scope` and everything under it, for a reason.
   *
   * The finding is still counted and written to the report with the reason, but not printed
   * and never fails strict mode. An acknowledgement that matches no finding is itself reported
   * (`GW-CHECKS-UNUSED-ACKNOWLEDGEMENT`), so stale ones do not pile up.
   *
   * @param scope the construct or resource (a stack or app to cover all of them)
   * @param ruleId the rule's ID, e.g. `GW-PG-NO-DR-COPY`
   * @param reason why the finding is accepted, for the reviewer who reads it next: required
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof ruleId !== 'string' || ruleId.trim().length === 0) {
      throw new ValidationError(`${constructLabel(scope)}: Checks.acknowledge ruleId must name a rule (e.g. "GW-PG-NO-DR-COPY"), got ${describeValue(ruleId)}`);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new ValidationError(
        `${constructLabel(scope)}: Checks.acknowledge reason for ${ruleId} must say why the finding is accepted, got ${describeValue(reason)}`,
      );
    }
    const data: AcknowledgementData = { ruleId: ruleId.trim(), reason: reason.trim() };
    scope.node.addMetadata(ACKNOWLEDGEMENT_METADATA, data);
  }

  private readonly packs: GroundworkPack[] = [];

  private constructor(private readonly scope: IConstruct, private readonly isManifests: boolean) {}

  /** Applies a pack to every stack or chart under this scope, at synth. */
  public add(pack: GroundworkPack): void {
    if (this.packs.includes(pack)) return;
    this.packs.push(pack);
    markChecked(this.scope);
    if (this.isManifests) {
      // Charts created after this call are hooked by a validation, which cdk8s runs before it
      // renders any chart.
      const hookCharts = () => this.scope.node.findAll().filter((c): c is Chart => Chart.isChart(c)).forEach((c) => pack._hookChart(c));
      hookCharts();
      this.scope.node.addValidation({ validate: () => (hookCharts(), []) });
      return;
    }
    // cdktf invokes aspects per stack, from the stack down: an aspect on the App never reaches
    // a stack. So the pack goes on each stack: those that exist now, and, for an App, those
    // added later, just before the App synthesizes.
    const addToStacks = () =>
      this.scope.node
        .findAll()
        .filter((c): c is TerraformStack => TerraformStack.isStack(c))
        .forEach((stack) => {
          if (!Aspects.of(stack).all.includes(pack)) Aspects.of(stack).add(pack);
        });
    addToStacks();
    if (this.scope instanceof App) {
      const app = this.scope;
      const synth = app.synth.bind(app);
      app.synth = () => {
        addToStacks();
        synth();
      };
    }
  }
}
