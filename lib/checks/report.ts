import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { FINDING_METADATA, findingsReportedBy, isChecked, ReportedFindingData } from './private/findings';
import { ConstructRule } from './rule';

const FALLBACK_STATE = Symbol.for('cdktf-groundwork.findingFallback');

/**
 * Reports a finding of `rule` on `scope`: the way every construct of this library reports a
 * legal but risky choice.
 *
 * The finding is kept in the construct's metadata, where a pack (`Checks.of(app).add(new
 * GroundworkPack())`) picks it up, applies acknowledgements and prints it. In an app without
 * a pack it becomes a cdktf warning annotation at validation, as before packs existed, so
 * `cdktf synth` still shows it.
 */
export function reportFinding(scope: IConstruct, rule: ConstructRule, message: string): void {
  const data: ReportedFindingData = { ruleId: rule.id, message };
  scope.node.addMetadata(FINDING_METADATA, data);
  const state = fallbackState(scope);
  if (state.validated) {
    // Reported from a validation that ran after the fallback below: emit it directly.
    if (!isChecked(scope)) Annotations.of(scope).addWarning(formatReported(data));
    return;
  }
  if (state.registered) return;
  state.registered = true;
  scope.node.addValidation({
    validate: () => {
      state.validated = true;
      if (!isChecked(scope)) {
        for (const finding of findingsReportedBy(scope)) {
          Annotations.of(scope).addWarning(formatReported(finding));
        }
      }
      return [];
    },
  });
}

function fallbackState(scope: IConstruct): { registered: boolean; validated: boolean } {
  const holder = scope as unknown as { [FALLBACK_STATE]?: { registered: boolean; validated: boolean } };
  if (!holder[FALLBACK_STATE]) {
    Object.defineProperty(holder, FALLBACK_STATE, { value: { registered: false, validated: false } });
  }
  return holder[FALLBACK_STATE]!;
}

/** `[GW-PG-NO-BACKUPS] backupRetentionDays is 0: ...`: how a reported finding reads as a warning. */
export function formatReported(finding: ReportedFindingData): string {
  return `[${finding.ruleId}] ${finding.message}`;
}
