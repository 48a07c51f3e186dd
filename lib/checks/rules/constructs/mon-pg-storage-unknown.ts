import { CheckSeverity, ConstructRule } from '../../rule';

/** A watched database whose allocated storage is a token at synth time. */
export const MON_PG_STORAGE_UNKNOWN: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-PG-STORAGE-UNKNOWN',
  severity: CheckSeverity.WARNING,
  title: 'PostgreSQL storage size unknown at synth time',
  rationale: 'Without a known size there is no FreeStorageLow alarm, so a filling disk goes unannounced until writes fail.',
  fix: 'Give allocatedStorageGiB of PostgresWithBackups as a literal number.',
};
