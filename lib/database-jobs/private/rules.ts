/**
 * The alerts of a database's jobs, as plain data: the same groups become the PrometheusRule's
 * `spec.groups` and the rule file promtool tests. They read kube-state-metrics' Job and CronJob
 * series, so they need no exporter of their own.
 */
import type { AlertingRule, RuleGroup } from '../../monitoring-stack/private/rules';
import { runbookSlug } from '../../monitoring-stack/private/rules';

export interface JobRuleContext {
  readonly namespace: string;
  readonly databaseIdentifier: string;
  readonly team: string;
  readonly environment: string;
  readonly runbookBaseUrl: string;
  readonly usersJobPrefix: string;
  /** The backup CronJob and the seconds after which its newest success is too old. */
  readonly backup?: { readonly cronJob: string; readonly maxAgeSeconds: number };
  /** The verification CronJob and the seconds after which its newest success is too old. */
  readonly verify?: { readonly cronJob: string; readonly maxAgeSeconds: number };
}

/**
 * Jobs of `cronJob` whose newest run failed: failed Jobs it owns that started after its last
 * success (or with no success at all). The value is the failed Job's start time.
 */
function failedSinceLastSuccess(namespace: string, cronJob: string): string {
  // Each side aggregated to its join labels: with two kube-state-metrics replicas scraped, the
  // raw series come twice and a join would fail as many-to-many.
  const failed =
    `(max by (namespace, job_name) (kube_job_status_start_time{namespace="${namespace}"})` +
    ` * on (namespace, job_name) group_left (owner_name) max by (namespace, job_name, owner_name) (kube_job_owner{namespace="${namespace}", owner_kind="CronJob", owner_name="${cronJob}"})` +
    ` * on (namespace, job_name) group_left () max by (namespace, job_name) (kube_job_failed{namespace="${namespace}", condition="true"} == 1))`;
  const lastSuccess = `label_replace(max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="${namespace}", cronjob="${cronJob}"}), "owner_name", "$1", "cronjob", "(.+)")`;
  return `(${failed} > on (namespace, owner_name) group_left () ${lastSuccess}) or (${failed} unless on (namespace, owner_name) ${lastSuccess})`;
}

/**
 * `cronJob` has not succeeded for `maxAgeSeconds`: since its last success, or since it was
 * created when it never has; or it is not there at all (not deployed, or kube-state-metrics is
 * not scraped), which would otherwise keep the alert silent forever.
 */
function notSucceededWithin(namespace: string, cronJob: string, maxAgeSeconds: number): string {
  const selector = `{namespace="${namespace}", cronjob="${cronJob}"}`;
  return (
    `(time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time${selector}) > ${maxAgeSeconds})` +
    ` or ((time() - max by (namespace, cronjob) (kube_cronjob_created${selector}) > ${maxAgeSeconds}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${selector})` +
    ` or absent(kube_cronjob_created${selector})`
  );
}

export function buildJobRuleGroups(ctx: JobRuleContext): RuleGroup[] {
  const rules: AlertingRule[] = [];
  const alert = (name: string, service: string, expr: string, forDuration: string, severity: string, summary: string, description: string) =>
    rules.push({
      alert: name,
      expr,
      for: forDuration,
      labels: { severity, team: ctx.team, service, environment: ctx.environment, namespace: ctx.namespace, database: ctx.databaseIdentifier },
      annotations: { summary, description, runbook_url: `${ctx.runbookBaseUrl}/${runbookSlug(name)}` },
    });
  const hours = (seconds: number) => `${Math.round((seconds / 3600) * 10) / 10} hours`;

  alert(
    'DatabaseUsersJobFailed',
    ctx.usersJobPrefix,
    // The newest users Job only: an older one that failed is history once a newer one ran.
    `max by (namespace, job_name) (kube_job_failed{namespace="${ctx.namespace}", job_name=~"${ctx.usersJobPrefix}-[0-9a-f]+", condition="true"} == 1)` +
      ` and on (namespace, job_name) (max by (namespace, job_name) (kube_job_status_start_time{namespace="${ctx.namespace}", job_name=~"${ctx.usersJobPrefix}-[0-9a-f]+"})` +
      ` == on (namespace) group_left () max by (namespace) (kube_job_status_start_time{namespace="${ctx.namespace}", job_name=~"${ctx.usersJobPrefix}-[0-9a-f]+"}))`,
    '0m',
    'warning',
    `Creating the database users of ${ctx.databaseIdentifier} failed`,
    `Job {{ $labels.job_name }} failed: services granted ${ctx.databaseIdentifier} cannot sign in until it succeeds. kubectl -n ${ctx.namespace} logs job/{{ $labels.job_name }} --all-containers says why.`,
  );
  if (ctx.backup) {
    const { cronJob, maxAgeSeconds } = ctx.backup;
    alert(
      'DatabaseLogicalBackupFailed',
      cronJob,
      failedSinceLastSuccess(ctx.namespace, cronJob),
      '0m',
      'warning',
      `The logical backup of ${ctx.databaseIdentifier} failed`,
      `Job {{ $labels.job_name }} of CronJob ${cronJob} failed after the last successful backup. kubectl -n ${ctx.namespace} logs job/{{ $labels.job_name }} --all-containers says why.`,
    );
    alert(
      'DatabaseLogicalBackupTooOld',
      cronJob,
      notSucceededWithin(ctx.namespace, cronJob, maxAgeSeconds),
      '15m',
      'critical',
      `No logical backup of ${ctx.databaseIdentifier} in ${hours(maxAgeSeconds)}`,
      `CronJob ${ctx.namespace}/${cronJob} has not succeeded within its schedule's longest interval plus the job's deadline (${hours(maxAgeSeconds)}), or is not observed at all: the logical recovery point is older than the schedule promises.`,
    );
  }
  if (ctx.verify) {
    const { cronJob, maxAgeSeconds } = ctx.verify;
    alert(
      'DatabaseRestoreVerificationFailed',
      cronJob,
      failedSinceLastSuccess(ctx.namespace, cronJob),
      '0m',
      'critical',
      `The newest logical backup of ${ctx.databaseIdentifier} did not restore or did not match its manifest`,
      `Job {{ $labels.job_name }} of CronJob ${cronJob} failed: the newest dump is corrupt, incomplete or does not restore. kubectl -n ${ctx.namespace} logs job/{{ $labels.job_name }} --all-containers names each difference.`,
    );
    alert(
      'DatabaseRestoreVerificationNotRun',
      cronJob,
      notSucceededWithin(ctx.namespace, cronJob, maxAgeSeconds),
      '15m',
      'warning',
      `No successful restore verification of ${ctx.databaseIdentifier} in ${hours(maxAgeSeconds)}`,
      `CronJob ${ctx.namespace}/${cronJob} has not succeeded within its schedule's longest interval plus the job's deadline (${hours(maxAgeSeconds)}), or is not observed at all.`,
    );
  }
  return [{ name: `database-jobs.${ctx.databaseIdentifier}`, rules }];
}
