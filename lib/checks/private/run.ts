import { IConstruct } from 'constructs';
import { ValidationError, describeValue } from '../../core/private/errors';
import { CheckRule, CheckSeverity } from '../rule';
import { UNUSED_ACKNOWLEDGEMENT } from '../rules';
import { AcknowledgementData, acknowledgementsCovering, acknowledgementsOn, Finding, PlacedAcknowledgement } from './findings';
import { formatUnit, ReportLocation, writeReports } from './output';

/** A finding before acknowledgements are applied, with the construct it is attached to. */
export type RawFinding = Omit<Finding, 'acknowledgedBecause'> & { readonly target: IConstruct };

/** A stack or a chart: what the pack checks in one go and prints as one block. */
export interface CheckUnit {
  readonly construct: IConstruct;
  /** `stack shop-production-aws`, `chart shop-web (cdktf.out/manifests/production)`. */
  readonly label: string;
  /** The synthesized file, relative to the working directory. */
  readonly file: string;
}

/** What the pack needs to know of its host to run a check. */
export interface RunOptions {
  readonly strict: boolean;
  readonly print: boolean;
  readonly writeReport: boolean;
  readonly rules: Map<string, CheckRule>;
}

/**
 * One pack's checks of one app (cdktf or cdk8s): the findings of every unit so far, for the
 * report; acknowledgements used; and, in strict mode, the errors that fail synth.
 */
export class CheckRun {
  private readonly findingsByUnit = new Map<string, Finding[]>();
  private readonly usedAcknowledgements = new Set<AcknowledgementData>();
  private readonly checked = new Set<IConstruct>();
  private pendingErrors: Finding[] = [];
  private collecting = false;

  constructor(
    private readonly report: ReportLocation,
    private readonly options: RunOptions,
    /** The units of the app this pack checks (stacks or charts). */
    private readonly allUnits: () => IConstruct[],
  ) {}

  /**
   * Records one unit's findings: applies acknowledgements, reports those that matched
   * nothing, prints, writes the report; in strict mode, fails on unacknowledged errors.
   *
   * On the first failing unit, `renderRest` is called for every unit not checked yet, so the
   * report and the printout cover the whole app before synth stops.
   */
  public conclude(unit: CheckUnit, raw: RawFinding[], renderRest: (unit: IConstruct) => void): void {
    this.checked.add(unit.construct);
    const findings: Finding[] = raw.map(({ target, ...finding }) => {
      const acknowledgement = acknowledgementsCovering(target).find((a) => a.data.ruleId === finding.ruleId);
      if (!acknowledgement) return finding;
      this.usedAcknowledgements.add(acknowledgement.data);
      return { ...finding, acknowledgedBecause: acknowledgement.data.reason };
    });
    findings.push(...this.unusedAcknowledgements(unit));
    this.findingsByUnit.set(unit.label, findings);
    if (this.options.print) console.log(formatUnit(unit.label, findings, this.options.rules));
    if (this.options.writeReport) writeReports(this.report, [...this.findingsByUnit.values()].flat(), this.options.rules);
    if (!this.options.strict) return;

    this.pendingErrors.push(...findings.filter((f) => f.severity === CheckSeverity.ERROR && f.acknowledgedBecause === undefined));
    if (this.pendingErrors.length === 0 || this.collecting) return;
    this.collecting = true;
    try {
      for (const rest of this.allUnits().filter((u) => !this.checked.has(u))) renderRest(rest);
    } finally {
      this.collecting = false;
    }
    this.failOnPendingErrors();
  }

  /** Runs `body` (which concludes several units), then fails once for all their errors. */
  public concludeTogether(body: () => void): void {
    this.collecting = true;
    try {
      body();
    } finally {
      this.collecting = false;
    }
    if (this.options.strict) this.failOnPendingErrors();
  }

  private failOnPendingErrors(): void {
    const errors = this.pendingErrors;
    this.pendingErrors = [];
    if (errors.length === 0) return;
    throw new ValidationError(
      `groundwork checks (strict): ${errors.length} unacknowledged error finding(s):\n` +
        errors.map((f) => `  ${f.ruleId} ${f.address ?? f.path} (${f.unit}${f.address ? `, ${f.path}` : ''}): ${f.message}`).join('\n') +
        '\nFix them, or acknowledge each with Checks.acknowledge(scope, ruleId, reason).',
    );
  }

  /**
   * The acknowledgements that can now be judged and matched nothing: those inside `unit`,
   * and those above it once every unit under them has been checked.
   */
  private unusedAcknowledgements(unit: CheckUnit): Finding[] {
    const inside = unit.construct.node.findAll().flatMap((c) => acknowledgementsOn(c));
    const above = unit.construct.node.scopes
      .slice(0, -1)
      .flatMap((scope) => acknowledgementsOn(scope))
      .filter((a) => this.allUnitsUnder(a.scope).every((u) => this.checked.has(u)));
    return [...inside, ...above]
      .filter((a) => !this.usedAcknowledgements.has(a.data))
      .map((a) => this.unusedFinding(a, unit));
  }

  private allUnitsUnder(scope: IConstruct): IConstruct[] {
    return this.allUnits().filter((u) => u.node.scopes.includes(scope));
  }

  private unusedFinding(placed: PlacedAcknowledgement, unit: CheckUnit): Finding {
    const known = this.options.rules.has(placed.data.ruleId);
    return {
      ruleId: UNUSED_ACKNOWLEDGEMENT.id,
      severity: UNUSED_ACKNOWLEDGEMENT.severity,
      message: known
        ? `acknowledgement of ${placed.data.ruleId} ("${placed.data.reason}") matched no finding: remove it, or move it to the construct that has the finding`
        : `acknowledgement of ${describeValue(placed.data.ruleId)} names no rule of the pack: check the ID against the README's rule table`,
      path: placed.scope.node.path || `${placed.scope.constructor.name} (the app)`,
      unit: unit.label,
      file: unit.file,
    };
  }
}
