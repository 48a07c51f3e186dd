import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/private/errors';

/**
 * Parameter defaults from the deployment guides. Values are strings, as RDS stores them.
 *
 * - rds.force_ssl: reject connections that do not use TLS.
 * - shared_preload_libraries: load pg_stat_statements (per-statement statistics).
 * - log_min_duration_statement: log statements slower than 1 s (milliseconds).
 * - log_connections / log_disconnections / log_lock_waits: the audit and contention trail.
 * - checkpoint_timeout (seconds), checkpoint_completion_target, log_checkpoints: fewer,
 *   smoother checkpoints than RDS's 5-minute default, and a record of each one.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html
 */
export const DEFAULT_PARAMETERS: Readonly<Record<string, string>> = {
  'rds.force_ssl': '1',
  'shared_preload_libraries': 'pg_stat_statements',
  'log_min_duration_statement': '1000',
  'log_connections': '1',
  'log_disconnections': '1',
  'log_lock_waits': '1',
  'log_checkpoints': '1',
  'checkpoint_timeout': '900',
  'checkpoint_completion_target': '0.9',
};

/**
 * Static parameters: RDS rejects `apply_method = immediate` for them, so they take effect at
 * the next reboot. Everything else is applied immediately.
 */
const STATIC_PARAMETERS: ReadonlySet<string> = new Set([
  'autovacuum_max_workers',
  'huge_pages',
  'max_connections',
  'max_locks_per_transaction',
  'max_logical_replication_workers',
  'max_pred_locks_per_transaction',
  'max_prepared_transactions',
  'max_replication_slots',
  'max_wal_senders',
  'max_worker_processes',
  'pg_stat_statements.max',
  'rds.logical_replication',
  'shared_buffers',
  'shared_preload_libraries',
  'track_activity_query_size',
  'wal_buffers',
]);

/** One parameter as the parameter group resource takes it. */
export interface ResolvedParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: 'immediate' | 'pending-reboot';
}

const PARAMETER_NAME = /^[a-z_][a-z0-9_.]*$/;

/**
 * The defaults with the user's parameters merged over them (the user wins per name), sorted
 * by name so the synthesized JSON is stable.
 */
export function mergeParameters(scope: IConstruct, user: Record<string, string> | undefined): ResolvedParameter[] {
  const merged: Record<string, string> = { ...DEFAULT_PARAMETERS };
  for (const [name, value] of Object.entries(user ?? {})) {
    if (!PARAMETER_NAME.test(name)) {
      invalidProp(scope, 'parameters', 'have PostgreSQL parameter names (lowercase letters, digits, "_" and ".")', name);
    }
    if (typeof value !== 'string' || value.length === 0) {
      invalidProp(scope, `parameters.${name}`, 'be a non-empty string', value);
    }
    merged[name] = value;
  }
  return Object.keys(merged)
    .sort()
    .map((name) => ({
      name,
      value: merged[name],
      applyMethod: STATIC_PARAMETERS.has(name) ? 'pending-reboot' : 'immediate',
    }));
}
