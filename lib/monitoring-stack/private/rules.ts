/**
 * Prometheus recording and alerting rules of the monitoring chart, as plain data: the same
 * objects become the rule file (`promtool check rules`) and the PrometheusRule's
 * `spec.groups`, so what promtool checks is what the cluster runs.
 */

/** The recorded series the alerts and dashboards read. Their names are a contract. */
export const RECORDED = {
  requestRate: 'job:http_requests:rate5m',
  errorRate: 'job:http_requests_5xx:rate5m',
  errorRatio: 'job:http_requests_5xx:ratio_rate5m',
  latencyP50: 'job:http_request_duration_seconds:p50_rate5m',
  latencyP95: 'job:http_request_duration_seconds:p95_rate5m',
  latencyP99: 'job:http_request_duration_seconds:p99_rate5m',
} as const;

/** Thresholds after defaults. */
export interface ResolvedThresholds {
  readonly errorRatePercent: number;
  readonly errorRateMinimumRequestsPerSecond: number;
  readonly latencyP95Seconds: number;
  readonly throughputDropPercent: number;
  readonly throughputBaselineRequestsPerSecond: number;
  readonly containerMemoryLimitPercent: number;
  readonly containerCpuLimitPercent: number;
  readonly restartLoopRestarts: number;
  readonly postgresConnectionsPercent: number;
  readonly postgresReplicationLagSeconds: number;
  readonly postgresSlowQuerySeconds: number;
  readonly redisMemoryPercent: number;
  readonly redisConnectedClients: number;
  readonly redisEvictionsPerSecond: number;
  readonly nodeDiskFreePercent: number;
  readonly nodeMemoryAvailablePercent: number;
  readonly certificateExpiryWarningDays: number;
  readonly certificateExpiryCriticalDays: number;
}

/** What the rule builders need to know about the app and its surroundings. */
export interface RuleContext {
  readonly appName: string;
  readonly appNamespace: string;
  readonly appJob: string;
  readonly team: string;
  readonly platformTeam: string;
  readonly environment: string;
  readonly runbookBaseUrl: string;
  readonly requestsMetric: string;
  readonly statusCodeLabel: string;
  readonly durationHistogram: string;
  /** Job of the PostgreSQL exporter, when PostgreSQL is monitored. */
  readonly postgresJob?: string;
  /** Job of the Redis exporter, when Redis is monitored. */
  readonly redisJob?: string;
  /** Include the cluster-wide rules (nodes, certificates). */
  readonly clusterRules: boolean;
  /**
   * When set, the `namespace` label of the app's own alerts (app, PostgreSQL, Redis; not the
   * cluster-wide ones). A namespaced AlertmanagerConfig only receives alerts whose namespace
   * label is its namespace, and most of these alerts have none of their own (the recorded
   * series aggregate it away) or the exporter's.
   */
  readonly alertNamespace?: string;
  readonly thresholds: ResolvedThresholds;
}

/** A recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** An alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { [key: string]: string };
  readonly annotations: { summary: string; description: string; runbook_url: string };
}

/** A rule group, as in a Prometheus rule file. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: Array<RecordingRule | AlertingRule>;
}

/** How long no target may answer before ServiceDown fires. */
const SERVICE_DOWN_MINUTES = 2;

/** `ServiceDown` → `service-down`, the runbook page of an alert. */
export function runbookSlug(alert: string): string {
  return alert
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** A number as PromQL writes it (no exponent for the values we use). */
function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** A PromQL string literal. Values are validated label values, so no escaping is needed. */
function q(value: string): string {
  return JSON.stringify(value);
}

interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  readonly forMinutes: number;
  readonly severity: 'critical' | 'warning';
  readonly service: string;
  readonly team: string;
  /** The `namespace` label, when the alert must carry one (see RuleContext.alertNamespace). */
  readonly namespace?: string;
  readonly summary: string;
  readonly description: string;
}

function alerting(ctx: RuleContext, spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: `${spec.forMinutes}m`,
    labels: {
      severity: spec.severity,
      team: spec.team,
      service: spec.service,
      environment: ctx.environment,
      ...(spec.namespace !== undefined ? { namespace: spec.namespace } : {}),
    },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${ctx.runbookBaseUrl}/${runbookSlug(spec.alert)}`,
    },
  };
}

/** Recording rules for request rate, 5xx rate and ratio, and latency percentiles of the app. */
function recordingGroup(ctx: RuleContext): RuleGroup {
  const job = `job=${q(ctx.appJob)}`;
  const requests = `${ctx.requestsMetric}{${job}}`;
  const errors = `${ctx.requestsMetric}{${job},${ctx.statusCodeLabel}=~"5.."}`;
  const buckets = `${ctx.durationHistogram}_bucket{${job}}`;
  const quantile = (p: number) => `histogram_quantile(${p}, sum by (job, le) (rate(${buckets}[5m])))`;
  return {
    name: `${ctx.appName}.recording`,
    rules: [
      { record: RECORDED.requestRate, expr: `sum by (job) (rate(${requests}[5m]))` },
      { record: RECORDED.errorRate, expr: `sum by (job) (rate(${errors}[5m]))` },
      {
        // A job that never answered 5xx has no error series: count it as 0, not as missing.
        // `> -1` drops the NaN of 0/0 when there is no traffic at all.
        record: RECORDED.errorRatio,
        expr: `(${RECORDED.errorRate}{${job}} or ${RECORDED.requestRate}{${job}} * 0) / ${RECORDED.requestRate}{${job}} > -1`,
      },
      { record: RECORDED.latencyP50, expr: quantile(0.5) },
      { record: RECORDED.latencyP95, expr: quantile(0.95) },
      { record: RECORDED.latencyP99, expr: quantile(0.99) },
    ],
  };
}

/** Alerts on the app: availability, errors, latency, traffic and its pods' health. */
function appGroup(ctx: RuleContext): RuleGroup {
  const t = ctx.thresholds;
  const job = `job=${q(ctx.appJob)}`;
  const ns = `namespace=${q(ctx.appNamespace)}`;
  const app = ctx.appName;
  const base = { service: app, team: ctx.team, namespace: ctx.alertNamespace };
  const dropFactor = num(1 - t.throughputDropPercent / 100);
  const containers = `${ns},container!="",container!="POD"`;
  return {
    name: `${app}.app`,
    rules: [
      alerting(ctx, {
        ...base,
        alert: 'ServiceDown',
        expr: `sum(up{${job}}) == 0 or absent(up{${job}})`,
        forMinutes: SERVICE_DOWN_MINUTES,
        severity: 'critical',
        summary: `${app} is down`,
        description: `No ${app} target in namespace ${ctx.appNamespace} has answered a scrape of its metrics endpoint for ${SERVICE_DOWN_MINUTES} minutes (or none is discovered).`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'HighErrorRate',
        // The traffic floor keeps a handful of requests from paging: at 3 requests a minute one
        // failure is a 33 % error rate. Both recorded series carry only `job`, so `and` matches.
        expr:
          `${RECORDED.errorRatio}{${job}} > ${num(t.errorRatePercent / 100)}` +
          ` and ${RECORDED.requestRate}{${job}} > ${num(t.errorRateMinimumRequestsPerSecond)}`,
        forMinutes: 5,
        severity: 'critical',
        summary: `${app}: more than ${num(t.errorRatePercent)}% of requests fail with 5xx`,
        description: `{{ $value | humanizePercentage }} of the requests to ${app} returned a 5xx status over the last 5 minutes (threshold ${num(t.errorRatePercent)}%, at more than ${num(t.errorRateMinimumRequestsPerSecond)} requests/s).`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'HighLatencyP95',
        expr: `${RECORDED.latencyP95}{${job}} > ${num(t.latencyP95Seconds)}`,
        forMinutes: 10,
        severity: 'warning',
        summary: `${app}: p95 latency above ${num(t.latencyP95Seconds)}s`,
        description: `The 95th percentile of ${app}'s request duration is {{ $value | humanizeDuration }} (threshold ${num(t.latencyP95Seconds)}s).`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'ThroughputDrop',
        expr:
          `${RECORDED.requestRate}{${job}} < ${dropFactor} * (${RECORDED.requestRate}{${job}} offset 1w)` +
          ` and (${RECORDED.requestRate}{${job}} offset 1w) > ${num(t.throughputBaselineRequestsPerSecond)}`,
        forMinutes: 15,
        severity: 'warning',
        summary: `${app}: traffic dropped by more than ${num(t.throughputDropPercent)}% from a week ago`,
        description: `${app} serves {{ $value | humanize }} requests/s, less than ${num(100 - t.throughputDropPercent)}% of the rate at the same time last week. Check the load balancer, DNS and clients.`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'ContainerMemoryNearLimit',
        expr:
          `sum by (namespace, pod, container) (container_memory_working_set_bytes{${containers}})` +
          ` / sum by (namespace, pod, container) (kube_pod_container_resource_limits{${ns},resource="memory"}) * 100 > ${num(t.containerMemoryLimitPercent)}`,
        forMinutes: 15,
        severity: 'warning',
        summary: `${app}: container {{ $labels.pod }}/{{ $labels.container }} uses over ${num(t.containerMemoryLimitPercent)}% of its memory limit`,
        description: `Container {{ $labels.container }} of pod {{ $labels.pod }} uses {{ $value | humanize }}% of its memory limit; at 100% it is OOM-killed.`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'ContainerCpuNearLimit',
        expr:
          `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${containers}}[5m]))` +
          ` / sum by (namespace, pod, container) (kube_pod_container_resource_limits{${ns},resource="cpu"}) * 100 > ${num(t.containerCpuLimitPercent)}`,
        forMinutes: 15,
        severity: 'warning',
        summary: `${app}: container {{ $labels.pod }}/{{ $labels.container }} uses over ${num(t.containerCpuLimitPercent)}% of its CPU limit`,
        description: `Container {{ $labels.container }} of pod {{ $labels.pod }} uses {{ $value | humanize }}% of its CPU limit and is being throttled.`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'PodRestartLoop',
        expr: `increase(kube_pod_container_status_restarts_total{${ns}}[15m]) > ${num(t.restartLoopRestarts)}`,
        forMinutes: 5,
        severity: 'warning',
        summary: `${app}: container {{ $labels.pod }}/{{ $labels.container }} is restarting in a loop`,
        description: `Container {{ $labels.container }} of pod {{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes (threshold ${num(t.restartLoopRestarts)}).`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'HpaAtMaxReplicas',
        expr:
          `kube_horizontalpodautoscaler_status_current_replicas{${ns}} >= kube_horizontalpodautoscaler_spec_max_replicas{${ns}}` +
          ` and kube_horizontalpodautoscaler_spec_max_replicas{${ns}} > kube_horizontalpodautoscaler_spec_min_replicas{${ns}}`,
        forMinutes: 15,
        severity: 'warning',
        summary: `${app}: autoscaler {{ $labels.horizontalpodautoscaler }} is at its maximum replicas`,
        description: `The HorizontalPodAutoscaler {{ $labels.horizontalpodautoscaler }} has run at its maximum of {{ $value }} replicas for 15 minutes; it cannot absorb more load.`,
      }),
    ],
  };
}

function postgresGroup(ctx: RuleContext, pgJob: string): RuleGroup {
  const t = ctx.thresholds;
  const job = `job=${q(pgJob)}`;
  const base = { service: `${ctx.appName}-postgresql`, team: ctx.team, namespace: ctx.alertNamespace };
  return {
    name: `${ctx.appName}.postgresql`,
    rules: [
      alerting(ctx, {
        ...base,
        alert: 'PostgresDown',
        // absent(): with no exporter scraped every other PostgreSQL rule is silent, so this one must not be.
        expr: `pg_up{${job}} == 0 or absent(pg_up{${job}})`,
        forMinutes: 2,
        severity: 'critical',
        summary: `${ctx.appName}: PostgreSQL is unreachable`,
        description: `{{ if $labels.instance }}postgres_exporter {{ $labels.instance }} cannot connect to its database.{{ else }}No postgres_exporter of job ${pgJob} is scraped: nothing watches the database.{{ end }}`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'PostgresConnectionsHigh',
        expr:
          `sum by (job, instance) (pg_stat_activity_count{${job}})` +
          ` / max by (job, instance) (pg_settings_max_connections{${job}}) * 100 > ${num(t.postgresConnectionsPercent)}`,
        forMinutes: 10,
        severity: 'warning',
        summary: `${ctx.appName}: PostgreSQL uses over ${num(t.postgresConnectionsPercent)}% of max_connections`,
        description: 'The database behind {{ $labels.instance }} uses {{ $value | humanize }}% of max_connections; new connections will soon be refused.',
      }),
      alerting(ctx, {
        ...base,
        alert: 'PostgresReplicationLag',
        // pg_replication_lag_seconds is the built-in collector (postgres_exporter 0.13+);
        // pg_replication_lag the older queries.yaml metric. Either one is enough.
        expr: `max by (job, instance) (pg_replication_lag_seconds{${job}} or pg_replication_lag{${job}}) > ${num(t.postgresReplicationLagSeconds)}`,
        forMinutes: 5,
        severity: 'warning',
        summary: `${ctx.appName}: PostgreSQL replica lags by more than ${num(t.postgresReplicationLagSeconds)}s`,
        description: 'The replica behind {{ $labels.instance }} is {{ $value | humanizeDuration }} behind its primary; reads from it are stale.',
      }),
      alerting(ctx, {
        ...base,
        alert: 'PostgresSlowQueries',
        expr: `max by (job, instance, datname) (pg_stat_activity_max_tx_duration{${job},state="active"}) > ${num(t.postgresSlowQuerySeconds)}`,
        forMinutes: 2,
        severity: 'warning',
        summary: `${ctx.appName}: a PostgreSQL query has been running for over ${num(t.postgresSlowQuerySeconds)}s`,
        description: 'The longest active transaction in database {{ $labels.datname }} has been running for {{ $value | humanizeDuration }}; check pg_stat_activity for blocked or runaway queries.',
      }),
    ],
  };
}

function redisGroup(ctx: RuleContext, redisJob: string): RuleGroup {
  const t = ctx.thresholds;
  const job = `job=${q(redisJob)}`;
  const base = { service: `${ctx.appName}-redis`, team: ctx.team, namespace: ctx.alertNamespace };
  return {
    name: `${ctx.appName}.redis`,
    rules: [
      alerting(ctx, {
        ...base,
        alert: 'RedisDown',
        // absent(): with no exporter scraped every other Redis rule is silent, so this one must not be.
        expr: `redis_up{${job}} == 0 or absent(redis_up{${job}})`,
        forMinutes: 2,
        severity: 'critical',
        summary: `${ctx.appName}: Redis is unreachable`,
        description: `{{ if $labels.instance }}redis_exporter {{ $labels.instance }} cannot connect to Redis.{{ else }}No redis_exporter of job ${redisJob} is scraped: nothing watches Redis.{{ end }}`,
      }),
      alerting(ctx, {
        ...base,
        alert: 'RedisMemoryHigh',
        expr:
          `redis_memory_used_bytes{${job}} / redis_memory_max_bytes{${job}} * 100 > ${num(t.redisMemoryPercent)}` +
          ` and redis_memory_max_bytes{${job}} > 0`,
        forMinutes: 10,
        severity: 'warning',
        summary: `${ctx.appName}: Redis uses over ${num(t.redisMemoryPercent)}% of maxmemory`,
        description: 'Redis behind {{ $labels.instance }} uses {{ $value | humanize }}% of maxmemory; at 100% it evicts keys or refuses writes.',
      }),
      alerting(ctx, {
        ...base,
        alert: 'RedisTooManyConnections',
        expr: `redis_connected_clients{${job}} > ${num(t.redisConnectedClients)}`,
        forMinutes: 5,
        severity: 'warning',
        summary: `${ctx.appName}: Redis has more than ${num(t.redisConnectedClients)} connected clients`,
        description: 'Redis behind {{ $labels.instance }} has {{ $value }} connected clients; look for a connection leak or a missing pool limit.',
      }),
      alerting(ctx, {
        ...base,
        alert: 'RedisEvictions',
        expr: `rate(redis_evicted_keys_total{${job}}[5m]) > ${num(t.redisEvictionsPerSecond)}`,
        forMinutes: 10,
        severity: 'warning',
        summary: `${ctx.appName}: Redis is evicting keys`,
        description: 'Redis behind {{ $labels.instance }} evicts {{ $value | humanize }} keys/s because it is out of memory.',
      }),
    ],
  };
}

/** Cluster-wide rules: node disk and memory, TLS certificates managed by cert-manager. */
function clusterGroup(ctx: RuleContext): RuleGroup {
  const t = ctx.thresholds;
  const fs = 'fstype!~"tmpfs|overlay|squashfs|ramfs|nsfs|fuse.lxcfs"';
  const nodes = { service: 'kubernetes-nodes', team: ctx.platformTeam };
  const certificates = { service: 'tls-certificates', team: ctx.platformTeam };
  const expiryDays = '(certmanager_certificate_expiration_timestamp_seconds - time()) / 86400';
  return {
    name: `${ctx.appName}.cluster`,
    rules: [
      alerting(ctx, {
        ...nodes,
        alert: 'NodeDiskSpaceLow',
        expr: `node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100 < ${num(t.nodeDiskFreePercent)}`,
        forMinutes: 10,
        severity: 'warning',
        summary: 'Node {{ $labels.instance }}: less than ' + `${num(t.nodeDiskFreePercent)}% disk space left on {{ $labels.mountpoint }}`,
        description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanize }}% free; the kubelet evicts pods when it fills.',
      }),
      alerting(ctx, {
        ...nodes,
        alert: 'NodeMemoryLow',
        expr: `node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < ${num(t.nodeMemoryAvailablePercent)}`,
        forMinutes: 10,
        severity: 'warning',
        summary: 'Node {{ $labels.instance }}: less than ' + `${num(t.nodeMemoryAvailablePercent)}% memory available`,
        description: 'Node {{ $labels.instance }} has {{ $value | humanize }}% of its memory available; pods will be evicted or OOM-killed.',
      }),
      alerting(ctx, {
        ...certificates,
        alert: 'CertificateExpiring',
        expr: `${expiryDays} < ${num(t.certificateExpiryWarningDays)} and ${expiryDays} >= ${num(t.certificateExpiryCriticalDays)}`,
        forMinutes: 15,
        severity: 'warning',
        summary: 'Certificate {{ $labels.name }} expires in less than ' + `${num(t.certificateExpiryWarningDays)} days`,
        description: 'cert-manager has not renewed certificate {{ $labels.name }}; it expires in {{ $value | humanize }} days. Check the Certificate and its issuer.',
      }),
      alerting(ctx, {
        ...certificates,
        alert: 'CertificateExpiring',
        expr: `${expiryDays} < ${num(t.certificateExpiryCriticalDays)}`,
        forMinutes: 15,
        severity: 'critical',
        summary: 'Certificate {{ $labels.name }} expires in less than ' + `${num(t.certificateExpiryCriticalDays)} days`,
        description: 'cert-manager has not renewed certificate {{ $labels.name }}; it expires in {{ $value | humanize }} days. Clients will refuse the connection once it has expired.',
      }),
    ],
  };
}

/** All rule groups of the chart, in a stable order. */
export function buildRuleGroups(ctx: RuleContext): RuleGroup[] {
  const groups = [recordingGroup(ctx), appGroup(ctx)];
  if (ctx.postgresJob) groups.push(postgresGroup(ctx, ctx.postgresJob));
  if (ctx.redisJob) groups.push(redisGroup(ctx, ctx.redisJob));
  if (ctx.clusterRules) groups.push(clusterGroup(ctx));
  return groups;
}

/** True for an alerting rule. */
export function isAlertingRule(rule: RecordingRule | AlertingRule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}
