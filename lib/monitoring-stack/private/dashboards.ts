/**
 * Grafana dashboards of the monitoring chart, as JSON models for the Grafana sidecar. The
 * service overview reads the recorded series of ./rules.ts where they exist, so a panel
 * and the alert on it compute the same number.
 *
 * The data source is a dashboard variable (`$datasource`, any Prometheus data source), not
 * a fixed UID, so the dashboards import into any Grafana.
 *
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
import { Naming } from '../../core/naming';
import { RECORDED, ResolvedThresholds } from './rules';

/** Grafana 10 writes this schema version; older and newer Grafana migrate it on load. */
export const DASHBOARD_SCHEMA_VERSION = 39;

const DATASOURCE = { type: 'prometheus', uid: '$datasource' };

interface Query {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: Query[];
  /** A red threshold line (the alert's threshold), in the panel's unit. */
  readonly threshold?: number;
  readonly min?: number;
}

/** A built dashboard: its identity and its JSON model. */
export interface Dashboard {
  readonly key: string;
  readonly uid: string;
  readonly title: string;
  readonly model: { [key: string]: unknown };
}

function panel(spec: PanelSpec, index: number): object {
  const steps: object[] = [{ color: 'green', value: null }];
  if (spec.threshold !== undefined) steps.push({ color: 'red', value: spec.threshold });
  return {
    id: index + 1,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    // Two panels per row, 8 rows high.
    gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        thresholds: { mode: 'absolute', steps },
        custom: { thresholdsStyle: { mode: spec.threshold !== undefined ? 'line' : 'off' } },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'none' },
    },
    targets: spec.queries.map((query, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: query.expr,
      legendFormat: query.legend,
      range: true,
    })),
  };
}

function dashboard(key: string, appName: string, environment: string, title: string, tags: string[], panels: PanelSpec[]): Dashboard {
  const uid = Naming.resourceName([appName, key], 40);
  const fullTitle = `${appName} / ${title} (${environment})`;
  return {
    key,
    uid,
    title: fullTitle,
    model: {
      uid,
      title: fullTitle,
      tags: ['cdktf-groundwork', appName, environment, ...tags],
      timezone: 'utc',
      editable: false,
      graphTooltip: 1,
      refresh: '1m',
      schemaVersion: DASHBOARD_SCHEMA_VERSION,
      version: 1,
      time: { from: 'now-6h', to: 'now' },
      annotations: { list: [] },
      templating: {
        list: [
          {
            name: 'datasource',
            label: 'Data source',
            type: 'datasource',
            query: 'prometheus',
            hide: 0,
            current: {},
          },
        ],
      },
      panels: panels.map(panel),
    },
  };
}

/** What the dashboards query. */
export interface DashboardContext {
  readonly appName: string;
  readonly appNamespace: string;
  readonly appJob: string;
  readonly environment: string;
  readonly postgresJob?: string;
  readonly redisJob?: string;
  readonly thresholds: ResolvedThresholds;
}

/** Service overview: rate, errors, latency percentiles and saturation of the app. */
function serviceDashboard(ctx: DashboardContext): Dashboard {
  const job = `job="${ctx.appJob}"`;
  const ns = `namespace="${ctx.appNamespace}"`;
  const containers = `${ns},container!="",container!="POD"`;
  return dashboard('service', ctx.appName, ctx.environment, 'Service overview', ['service'], [
    {
      title: 'Request rate',
      description: 'Requests per second over 5 minutes (recorded as ' + RECORDED.requestRate + ').',
      unit: 'reqps',
      min: 0,
      queries: [{ expr: `${RECORDED.requestRate}{${job}}`, legend: 'requests/s' }],
    },
    {
      title: '5xx error ratio',
      description: 'Share of requests answered with a 5xx status; the line is the HighErrorRate threshold.',
      unit: 'percentunit',
      min: 0,
      threshold: ctx.thresholds.errorRatePercent / 100,
      queries: [{ expr: `${RECORDED.errorRatio}{${job}}`, legend: '5xx ratio' }],
    },
    {
      title: 'Latency percentiles',
      description: 'Request duration percentiles over 5 minutes; the line is the HighLatencyP95 threshold.',
      unit: 's',
      min: 0,
      threshold: ctx.thresholds.latencyP95Seconds,
      queries: [
        { expr: `${RECORDED.latencyP50}{${job}}`, legend: 'p50' },
        { expr: `${RECORDED.latencyP95}{${job}}`, legend: 'p95' },
        { expr: `${RECORDED.latencyP99}{${job}}`, legend: 'p99' },
      ],
    },
    {
      title: 'Targets up',
      description: 'Instances answering scrapes; 0 fires ServiceDown.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `sum(up{${job}})`, legend: 'up' }],
    },
    {
      title: 'CPU saturation (of limit)',
      description: 'CPU used per pod as a share of its limit; the line is the ContainerCpuNearLimit threshold.',
      unit: 'percentunit',
      min: 0,
      threshold: ctx.thresholds.containerCpuLimitPercent / 100,
      queries: [
        {
          expr:
            `sum by (pod) (rate(container_cpu_usage_seconds_total{${containers}}[5m]))` +
            ` / sum by (pod) (kube_pod_container_resource_limits{${ns},resource="cpu"})`,
          legend: '{{pod}}',
        },
      ],
    },
    {
      title: 'Memory saturation (of limit)',
      description: 'Working set per pod as a share of its limit; the line is the ContainerMemoryNearLimit threshold.',
      unit: 'percentunit',
      min: 0,
      threshold: ctx.thresholds.containerMemoryLimitPercent / 100,
      queries: [
        {
          expr:
            `sum by (pod) (container_memory_working_set_bytes{${containers}})` +
            ` / sum by (pod) (kube_pod_container_resource_limits{${ns},resource="memory"})`,
          legend: '{{pod}}',
        },
      ],
    },
    {
      title: 'Replicas',
      description: 'Current and maximum replicas of the autoscalers in the namespace.',
      unit: 'short',
      min: 0,
      queries: [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${ns}}`, legend: 'current {{horizontalpodautoscaler}}' },
        { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${ns}}`, legend: 'max {{horizontalpodautoscaler}}' },
      ],
    },
    {
      title: 'Container restarts (15m)',
      description: 'Restarts per pod over 15 minutes; the line is the PodRestartLoop threshold.',
      unit: 'short',
      min: 0,
      threshold: ctx.thresholds.restartLoopRestarts,
      queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[15m]))`, legend: '{{pod}}' }],
    },
  ]);
}

function postgresDashboard(ctx: DashboardContext, pgJob: string): Dashboard {
  const job = `job="${pgJob}"`;
  return dashboard('postgresql', ctx.appName, ctx.environment, 'PostgreSQL', ['postgresql'], [
    {
      title: 'Up',
      description: '1 when postgres_exporter reaches the database.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `pg_up{${job}}`, legend: '{{instance}}' }],
    },
    {
      title: 'Connections',
      description: 'Open connections against max_connections.',
      unit: 'short',
      min: 0,
      queries: [
        { expr: `sum by (instance) (pg_stat_activity_count{${job}})`, legend: 'connections {{instance}}' },
        { expr: `max by (instance) (pg_settings_max_connections{${job}})`, legend: 'max_connections {{instance}}' },
      ],
    },
    {
      title: 'Transactions',
      description: 'Commits and rollbacks per second.',
      unit: 'ops',
      min: 0,
      queries: [
        { expr: `sum by (instance) (rate(pg_stat_database_xact_commit{${job}}[5m]))`, legend: 'commits {{instance}}' },
        { expr: `sum by (instance) (rate(pg_stat_database_xact_rollback{${job}}[5m]))`, legend: 'rollbacks {{instance}}' },
      ],
    },
    {
      title: 'Replication lag',
      description: 'Seconds a replica is behind its primary; the line is the PostgresReplicationLag threshold.',
      unit: 's',
      min: 0,
      threshold: ctx.thresholds.postgresReplicationLagSeconds,
      queries: [{ expr: `max by (instance) (pg_replication_lag_seconds{${job}} or pg_replication_lag{${job}})`, legend: '{{instance}}' }],
    },
    {
      title: 'Longest active transaction',
      description: 'The line is the PostgresSlowQueries threshold.',
      unit: 's',
      min: 0,
      threshold: ctx.thresholds.postgresSlowQuerySeconds,
      queries: [{ expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${job},state="active"})`, legend: '{{datname}} {{instance}}' }],
    },
    {
      title: 'Buffer cache hit ratio',
      description: 'Blocks found in shared buffers rather than read from disk.',
      unit: 'percentunit',
      min: 0,
      queries: [
        {
          expr:
            `sum by (instance) (rate(pg_stat_database_blks_hit{${job}}[5m]))` +
            ` / (sum by (instance) (rate(pg_stat_database_blks_hit{${job}}[5m])) + sum by (instance) (rate(pg_stat_database_blks_read{${job}}[5m])))`,
          legend: '{{instance}}',
        },
      ],
    },
    {
      title: 'Database size',
      description: 'Size of each database.',
      unit: 'bytes',
      min: 0,
      queries: [{ expr: `sum by (instance, datname) (pg_database_size_bytes{${job}})`, legend: '{{datname}} {{instance}}' }],
    },
    {
      title: 'Deadlocks',
      description: 'Deadlocks per second.',
      unit: 'ops',
      min: 0,
      queries: [{ expr: `sum by (instance) (rate(pg_stat_database_deadlocks{${job}}[5m]))`, legend: '{{instance}}' }],
    },
  ]);
}

function redisDashboard(ctx: DashboardContext, redisJob: string): Dashboard {
  const job = `job="${redisJob}"`;
  return dashboard('redis', ctx.appName, ctx.environment, 'Redis', ['redis'], [
    {
      title: 'Up',
      description: '1 when redis_exporter reaches Redis.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `redis_up{${job}}`, legend: '{{instance}}' }],
    },
    {
      title: 'Memory',
      description: 'Used memory against maxmemory.',
      unit: 'bytes',
      min: 0,
      queries: [
        { expr: `redis_memory_used_bytes{${job}}`, legend: 'used {{instance}}' },
        { expr: `redis_memory_max_bytes{${job}}`, legend: 'maxmemory {{instance}}' },
      ],
    },
    {
      title: 'Connected clients',
      description: 'The line is the RedisTooManyConnections threshold.',
      unit: 'short',
      min: 0,
      threshold: ctx.thresholds.redisConnectedClients,
      queries: [{ expr: `redis_connected_clients{${job}}`, legend: '{{instance}}' }],
    },
    {
      title: 'Evictions',
      description: 'Keys evicted per second for lack of memory.',
      unit: 'ops',
      min: 0,
      queries: [{ expr: `rate(redis_evicted_keys_total{${job}}[5m])`, legend: '{{instance}}' }],
    },
    {
      title: 'Commands',
      description: 'Commands processed per second.',
      unit: 'ops',
      min: 0,
      queries: [{ expr: `rate(redis_commands_processed_total{${job}}[5m])`, legend: '{{instance}}' }],
    },
    {
      title: 'Keyspace hit ratio',
      description: 'Lookups that found their key.',
      unit: 'percentunit',
      min: 0,
      queries: [
        {
          expr:
            `rate(redis_keyspace_hits_total{${job}}[5m])` +
            ` / (rate(redis_keyspace_hits_total{${job}}[5m]) + rate(redis_keyspace_misses_total{${job}}[5m]))`,
          legend: '{{instance}}',
        },
      ],
    },
    {
      title: 'Keys',
      description: 'Keys per database.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `sum by (instance, db) (redis_db_keys{${job}})`, legend: '{{db}} {{instance}}' }],
    },
    {
      title: 'Connected replicas',
      description: 'Replicas connected to each primary.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `redis_connected_slaves{${job}}`, legend: '{{instance}}' }],
    },
  ]);
}

/** The dashboards of the chart: the service overview, plus PostgreSQL and Redis when monitored. */
export function buildDashboards(ctx: DashboardContext): Dashboard[] {
  const dashboards = [serviceDashboard(ctx)];
  if (ctx.postgresJob) dashboards.push(postgresDashboard(ctx, ctx.postgresJob));
  if (ctx.redisJob) dashboards.push(redisDashboard(ctx, ctx.redisJob));
  return dashboards;
}
