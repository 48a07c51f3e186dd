import { App as ManifestApp, Chart } from 'cdk8s';
import { App, Aspects, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError, constructLabel, describeValue } from '../core/private/errors';
import { GroundworkPack } from './pack';
import { ACKNOWLEDGEMENT_METADATA, AcknowledgementData, markChecked } from './private/findings';

const CHECKS = Symbol.for('cdktf-groundwork.Checks');

/**
 * Checks for a cdktf app or stack, or a cdk8s app or chart: add rule packs, acknowledge findings.
 *
 * @example
 * const pack = new GroundworkPack({ strict: true });
 * Checks.of(app).add(pack);       // the cdktf app: every stack
 * Checks.of(manifests).add(pack); // a cdk8s app: every chart
 * Checks.acknowledge(bucket, 'GW-S3-NO-VERSIONING', 'Build caches only: every object is rebuilt by the next run.');
 */
export class Checks {
  /**
   * The checks of `scope`, which must be a cdktf App or TerraformStack, or a cdk8s App or Chart.
   */
  public static of(scope: IConstruct): Checks {
    const holder = scope as unknown as { [CHECKS]?: Checks };
    if (!holder[CHECKS]) {
      const isManifests = scope instanceof ManifestApp || Chart.isChart(scope);
      if (!isManifests && !App.isApp(scope) && !TerraformStack.isStack(scope)) {
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
      // cdk8s has no aspects. Charts that exist now are hooked at once; charts added later are
      // hooked by a validation, which cdk8s runs before it renders any chart.
      pack._hookCharts(this.scope);
      const app = this.scope.node.root as ManifestApp;
      this.scope.node.addValidation({
        validate: () => {
          pack._hookCharts(this.scope);
          pack._checkChartsByObject(app);
          return [];
        },
      });
      return;
    }
    // cdktf invokes aspects per stack, from the stack down: an aspect on the App never reaches
    // a stack. So the pack goes on each stack that exists now; stacks created later are
    // checked by the App's validation, which runs after its stacks are synthesized.
    for (const stack of this.scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
      if (!Aspects.of(stack).all.includes(pack)) Aspects.of(stack).add(pack);
    }
    if (App.isApp(this.scope)) {
      const app = this.scope;
      pack._coverApp(app);
      app.node.addValidation({
        validate: () => {
          pack._checkLateStacks(app);
          return [];
        },
      });
    }
  }
}
