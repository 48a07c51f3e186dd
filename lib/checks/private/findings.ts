import { IConstruct } from 'constructs';
import { CheckSeverity } from '../rule';

/** Metadata type of a finding that a construct reported while it was built. */
export const FINDING_METADATA = 'groundwork:finding';
/** Metadata type of an acknowledgement (`Checks.acknowledge`). */
export const ACKNOWLEDGEMENT_METADATA = 'groundwork:acknowledgement';

/** The data of a construct-reported finding, as stored in the construct's metadata. */
export interface ReportedFindingData {
  readonly ruleId: string;
  readonly message: string;
}

/** The data of an acknowledgement, as stored in the construct's metadata. */
export interface AcknowledgementData {
  readonly ruleId: string;
  readonly reason: string;
}

/** One finding of a check run: what, where, and whether someone acknowledged it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: CheckSeverity;
  readonly message: string;
  /** The construct the finding is attached to (its path). */
  readonly path: string;
  /** The Terraform address (`aws_s3_bucket.X`) or Kubernetes object (`Deployment shop/web`). */
  readonly address?: string;
  /** The stack or chart the finding belongs to: findings are printed grouped by it. */
  readonly unit: string;
  /** The synthesized file, relative to the output directory (for SARIF locations). */
  readonly file?: string;
  /** The acknowledgement's reason, when one covers the finding. */
  readonly acknowledgedBecause?: string;
}

/** An acknowledgement found in the tree, with the construct it sits on. */
export interface PlacedAcknowledgement {
  readonly scope: IConstruct;
  readonly data: AcknowledgementData;
}

/** Every acknowledgement from `construct` up to the root, nearest first. */
export function acknowledgementsCovering(construct: IConstruct): PlacedAcknowledgement[] {
  return construct.node.scopes
    .slice()
    .reverse()
    .flatMap((scope) => acknowledgementsOn(scope));
}

/** The acknowledgements placed on exactly this construct. */
export function acknowledgementsOn(scope: IConstruct): PlacedAcknowledgement[] {
  return scope.node.metadata
    .filter((m) => m.type === ACKNOWLEDGEMENT_METADATA)
    .map((m) => ({ scope, data: m.data as AcknowledgementData }));
}

/** The findings this construct reported itself. */
export function findingsReportedBy(construct: IConstruct): ReportedFindingData[] {
  return construct.node.metadata.filter((m) => m.type === FINDING_METADATA).map((m) => m.data as ReportedFindingData);
}

/**
 * Marks a subtree as checked by a pack, so constructs inside it leave their findings to the
 * pack instead of recording them as plain warnings.
 */
const CHECKED = Symbol.for('cdktf-groundwork.checked');

export function markChecked(scope: IConstruct): void {
  Object.defineProperty(scope, CHECKED, { value: true, configurable: true });
}

export function isChecked(construct: IConstruct): boolean {
  return construct.node.scopes.some((scope) => (scope as unknown as { [CHECKED]?: boolean })[CHECKED] === true);
}
