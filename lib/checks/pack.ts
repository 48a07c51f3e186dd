import * as path from 'path';
import { ApiObject, App as ManifestApp, Chart, Names, YamlOutputType } from 'cdk8s';
import { App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { constructLabel, ValidationError } from '../core/private/errors';
import { findingsReportedBy, markChecked } from './private/findings';
import { evaluateKubernetes, KubernetesView } from './private/kubernetes';
import { CheckRun, CheckUnit, RawFinding } from './private/run';
import { evaluateTerraform, TerraformView } from './private/terraform';
import { CheckRule, CheckSeverity, KubernetesSubject } from './rule';
import { ALL_RULES, KUBERNETES_RULES, TERRAFORM_RULES } from './rules';

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
   * Write the findings as JSON and as SARIF 2.1.0 (for code-scanning UIs): for a cdktf app
   * `<outdir>/groundwork-checks.{json,sarif}`; for a cdk8s app beside its manifest directory,
   * never inside it, `groundwork-checks-<directory name>.{json,sarif}`.
   *
   * @default true
   */
  readonly writeReport?: boolean;
}

const RULES_BY_ID = new Map<string, CheckRule>(ALL_RULES.map((r) => [r.id, r]));
const HOOKED_BY = Symbol.for('cdktf-groundwork.checkedBy');

/**
 * The library's rule pack: every `GW-*` rule, over the resources and objects of both trees.
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
 * output, and, in strict mode, unacknowledged errors fail synth once every stack (or chart) of
 * the app has been checked. Acknowledge a finding with {@link Checks.acknowledge}.
 *
 * It is a cdktf Aspect. A stack is checked when its configuration has been resolved (cdktf has
 * no hook there, so the pack wraps the stack's `toTerraform`, and a chart's `toJson`): it sees
 * values as Terraform and Kubernetes will, and resolving a stack a second time, which would
 * cost a fifth of synth time, is avoided. Each call of those methods checks, prints and
 * reports again.
 */
export class GroundworkPack implements IAspect {
  /** Whether unacknowledged errors fail synth. */
  public readonly strict: boolean;
  private readonly print: boolean;
  private readonly writeReport: boolean;
  private readonly runs = new Map<IConstruct, CheckRun>();
  /** The cdktf apps this pack covers whole (`Checks.of(app)`), stacks created later included. */
  private readonly wholeApps = new Set<IConstruct>();

  constructor(props: GroundworkPackProps = {}) {
    const fromEnvironment = ['true', '1'].includes((process.env.GROUNDWORK_CHECKS_STRICT ?? '').toLowerCase());
    this.strict = props.strict ?? fromEnvironment;
    this.print = props.print ?? true;
    this.writeReport = props.writeReport ?? true;
  }

  /** Hooks the pack into each stack's synthesis; called by cdktf for every construct. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this._hookStack(node);
  }

  /**
   * Checks `stack` whenever its configuration is rendered, once per pack.
   *
   * @internal
   */
  public _hookStack(stack: TerraformStack): void {
    if (!this.claim(stack)) return;
    const render = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = render();
      this.checkStack(stack, json);
      return json;
    };
    // `cdktf synth --hcl` renders HCL without the JSON: check the JSON too, at the cost of a
    // second resolution in that mode only.
    const renderHcl = stack.toHclTerraform.bind(stack);
    stack.toHclTerraform = () => {
      const hcl = renderHcl();
      stack.toTerraform();
      return hcl;
    };
  }

  /**
   * Makes the pack cover every stack of `app`, those created later included.
   *
   * @internal
   */
  public _coverApp(app: App): void {
    this.wholeApps.add(app);
  }

  /**
   * Checks the stacks of `app` that the pack did not reach before they were synthesized
   * (created after `Checks.of(app).add`); runs as the App's validation, after its stacks.
   *
   * @internal
   */
  public _checkLateStacks(app: App): void {
    for (const stack of stacksOf(app).filter((s) => !this.hooks(s) && !this.hookedByOther(s))) {
      this._hookStack(stack);
      stack.toTerraform();
    }
  }

  /**
   * Checks `chart` whenever it is rendered, once per pack.
   *
   * @internal
   */
  public _hookChart(chart: Chart): void {
    if (!this.claim(chart)) return;
    const render = chart.toJson.bind(chart);
    chart.toJson = () => {
      const manifests = render();
      this.checkChart(chart, manifests);
      return manifests;
    };
  }

  /**
   * Hooks every chart under `scope` (a cdk8s app or chart).
   *
   * @internal
   */
  public _hookCharts(scope: IConstruct): void {
    chartsOf(scope).forEach((chart) => this._hookChart(chart));
  }

  /**
   * Checks every chart of `app` from its objects, for the output type that writes each object
   * without rendering its chart (`FOLDER_PER_CHART_FILE_PER_RESOURCE`); runs as a validation.
   *
   * @internal
   */
  public _checkChartsByObject(app: ManifestApp): void {
    if (app.yamlOutputType !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return;
    this.runFor(app).concludeTogether(() => {
      for (const chart of chartsOf(app)) this.checkChart(chart, apiObjectsOf(chart).map((o) => o.toJson()));
    });
  }

  /** Marks `unit` as checked by this pack; false when it already is. Two packs on one unit are refused. */
  private claim(unit: IConstruct): boolean {
    const holder = unit as unknown as { [HOOKED_BY]?: GroundworkPack };
    const current = holder[HOOKED_BY];
    if (current === this) return false;
    if (current) {
      throw new ValidationError(`${constructLabel(unit)}: is already checked by another GroundworkPack; apply one pack per app`);
    }
    Object.defineProperty(holder, HOOKED_BY, { value: this });
    markChecked(unit);
    return true;
  }

  private hooks(unit: IConstruct): boolean {
    return (unit as unknown as { [HOOKED_BY]?: GroundworkPack })[HOOKED_BY] === this;
  }

  private hookedByOther(unit: IConstruct): boolean {
    const current = (unit as unknown as { [HOOKED_BY]?: GroundworkPack })[HOOKED_BY];
    return current !== undefined && current !== this;
  }

  private checkStack(stack: TerraformStack, json: { [key: string]: any }): void {
    const app = App.of(stack);
    const unit: CheckUnit = {
      construct: stack,
      label: `stack ${stack.node.id}`,
      file: relativeToWorkingDirectory(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json')),
    };
    const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
    const findings: RawFinding[] = [];
    for (const result of evaluateTerraform(new TerraformView(stack, json), TERRAFORM_RULES)) {
      const target = (result.subject && byPath.get(result.subject.path)) || stack;
      const coveredBy = result.rule.coveredBy;
      if (coveredBy && target.node.scopes.some((s) => findingsReportedBy(s).some((f) => f.ruleId === coveredBy))) continue;
      findings.push({ ...finding(result.rule, result.message, target, unit), address: result.subject?.address });
    }
    findings.push(...reportedFindings(unit));
    this.runFor(app).conclude(unit, findings, (rest) => this.renderStack(rest as TerraformStack));
  }

  /** Checks one rendered chart; NetworkPolicies, budgets and autoscalers of the other charts count too. */
  private checkChart(chart: Chart, manifests: any[]): void {
    const app = chart.node.root as ManifestApp;
    const objects = apiObjectsOf(chart);
    const subjects = manifests.map((manifest) => {
      const source = objects.find((o) => o.kind === manifest.kind && o.name === manifest.metadata?.name && o.metadata.namespace === manifest.metadata?.namespace);
      return subjectOf(manifest, source?.node.path ?? chart.node.path);
    });
    const others = () => chartsOf(app).filter((c) => c !== chart).flatMap((c) => apiObjectsOf(c));
    const folders = app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
    const unit: CheckUnit = {
      construct: chart,
      label: `chart ${chart.node.path} (${relativeToWorkingDirectory(app.outdir)})`,
      file: relativeToWorkingDirectory(path.join(app.outdir, folders ? Names.toDnsLabel(chart) : `${Names.toDnsLabel(chart)}${app.outputFileExtension}`)),
    };
    const byPath = new Map<string, IConstruct>(chart.node.findAll().map((c) => [c.node.path, c]));
    const findings: RawFinding[] = [];
    for (const result of evaluateKubernetes(new KubernetesView(subjects, others), KUBERNETES_RULES)) {
      const s = result.subject;
      findings.push({
        ...finding(result.rule, result.message, byPath.get(s.path) ?? chart, unit),
        address: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`,
      });
    }
    findings.push(...reportedFindings(unit));
    this.runFor(app).conclude(unit, findings, (rest) => (rest as Chart).toJson());
  }

  /**
   * Renders a stack that cdktf has not synthesized yet, to check it before a strict failure
   * stops synth: its aspects first (tags and the like), as cdktf would, then its configuration.
   */
  private renderStack(stack: TerraformStack): void {
    const visit = (node: IConstruct, inherited: IAspect[]) => {
      const aspects = [...inherited, ...Aspects.of(node).all];
      aspects.forEach((aspect) => aspect.visit(node));
      node.node.children.forEach((child) => visit(child, aspects));
    };
    visit(stack, []);
    this._hookStack(stack);
    stack.toTerraform();
  }

  /** The stacks this pack checks in `app`. */
  private stacksCoveredIn(app: App): TerraformStack[] {
    return stacksOf(app).filter(
      (s) => !this.hookedByOther(s) && (this.hooks(s) || this.wholeApps.has(app) || Aspects.of(s).all.includes(this)),
    );
  }

  private runFor(app: App | ManifestApp): CheckRun {
    let run = this.runs.get(app);
    if (!run) {
      const options = { strict: this.strict, print: this.print, writeReport: this.writeReport, rules: RULES_BY_ID };
      run = App.isApp(app)
        ? new CheckRun({ directory: app.outdir, baseName: 'groundwork-checks' }, options, () => this.stacksCoveredIn(app))
        : new CheckRun(
          { directory: path.dirname(path.resolve(app.outdir)), baseName: `groundwork-checks-${path.basename(path.resolve(app.outdir))}` },
          options,
          () => chartsOf(app).filter((c) => this.hooks(c)),
        );
      this.runs.set(app, run);
    }
    return run;
  }
}

function finding(rule: CheckRule, message: string, target: IConstruct, unit: CheckUnit): RawFinding {
  return { ruleId: rule.id, severity: rule.severity, message, path: target.node.path, unit: unit.label, file: unit.file, target };
}

/** The findings that the constructs of a unit reported while they were built. */
function reportedFindings(unit: CheckUnit): RawFinding[] {
  return unit.construct.node.findAll().flatMap((construct) =>
    findingsReportedBy(construct).map((reported) => ({
      ruleId: reported.ruleId,
      severity: RULES_BY_ID.get(reported.ruleId)?.severity ?? CheckSeverity.WARNING,
      message: reported.message,
      path: construct.node.path,
      unit: unit.label,
      file: unit.file,
      target: construct,
    })),
  );
}

function stacksOf(scope: IConstruct): TerraformStack[] {
  return scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

function chartsOf(scope: IConstruct): Chart[] {
  return scope.node.findAll().filter((c): c is Chart => Chart.isChart(c));
}

/** The ApiObjects that belong to `chart` itself (not to a chart nested in it). */
function apiObjectsOf(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}

function subjectOf(manifest: any, constructPath: string): KubernetesSubject {
  return { manifest, kind: manifest.kind, name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace, path: constructPath };
}

function relativeToWorkingDirectory(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)) || '.';
}
