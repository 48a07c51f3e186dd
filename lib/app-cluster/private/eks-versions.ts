/**
 * The Kubernetes versions EKS supports, with the ends of their standard and extended support,
 * as EKS published them when this table was last updated (TABLE_DATE). Synth compares against
 * this table, never against the clock, so a build gives the same answer every day; a release
 * updates the table.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const EKS_VERSION_SUPPORT: Readonly<Record<string, { readonly standardUntil: string; readonly extendedUntil: string }>> = {
  '1.32': { standardUntil: '2026-03-23', extendedUntil: '2027-03-23' },
  '1.33': { standardUntil: '2026-07-29', extendedUntil: '2027-07-29' },
  '1.34': { standardUntil: '2026-12-02', extendedUntil: '2027-12-02' },
  '1.35': { standardUntil: '2027-03-27', extendedUntil: '2028-03-27' },
};

/** When EKS_VERSION_SUPPORT was last checked against the EKS calendar. */
export const TABLE_DATE = '2026-12-01';

/** The newest version that left extended support before TABLE_DATE, and when. */
export const LAST_RETIRED_VERSION = { version: '1.31', extendedUntil: '2026-11-26' };

/** A version's standard support ends this close to TABLE_DATE (or has ended): worth a warning. */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

/** Orders `1.<minor>` versions. */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
