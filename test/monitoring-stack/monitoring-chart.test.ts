import { ApiObject, Testing } from 'cdk8s';
import { Lazy } from 'cdktf';
import * as YAML from 'yaml';
import { EnvironmentTier } from '../../lib/core';
import {
  AlertReceiver,
  AlertRoute,
  AlertRoutingScope,
  AlertReceiverType,
  AlertSeverity,
  MonitoringChart,
  MonitoringChartProps,
  MonitoringFormat,
} from '../../lib/monitoring-stack/monitoring-chart';
import { warningsOf } from '../support/util';
import { productionChart, productionProps, RECEIVERS } from './fixtures/production-chart';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

const OPERATOR_RESOURCES = [
  'monitoring.coreos.com/v1 ServiceMonitor',
  'monitoring.coreos.com/v1 PodMonitor',
  'monitoring.coreos.com/v1 PrometheusRule',
];

const slack = AlertReceiver.slack('shop-slack', { channel: '#shop-alerts', webhookUrlSecretName: 'alertmanager-slack' });

/** The fewest props: one Slack receiver, nothing optional. */
function minimalProps(overrides: Partial<MonitoringChartProps> = {}): MonitoringChartProps {
  return {
    appName: 'shop-web',
    team: 'shop',
    environment: EnvironmentTier.PRODUCTION,
    runbookBaseUrl: 'https://runbooks.example.com/shop',
    alertmanager: { receivers: [slack] },
    ...overrides,
  };
}

function build(props: MonitoringChartProps) {
  const chart = new MonitoringChart(Testing.app(), 'monitoring', props);
  const manifests: any[] = Testing.synth(chart);
  return { chart, manifests };
}

function objectsOf(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

function named(manifests: any[], kind: string, name: string): any {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

function rulesOf(chart: MonitoringChart): { groups: Array<{ name: string; rules: any[] }> } {
  return YAML.parse(chart.rulesYaml);
}

function alert(chart: MonitoringChart, name: string, severity?: string): any {
  const found = rulesOf(chart)
    .groups.flatMap((g) => g.rules)
    .find((r) => r.alert === name && (severity === undefined || r.labels.severity === severity));
  if (!found) throw new Error(`no alert ${name}`);
  return found;
}

function record(chart: MonitoringChart, name: string): string {
  return rulesOf(chart)
    .groups.flatMap((g) => g.rules)
    .find((r) => r.record === name).expr;
}

function alertmanagerConfig(chart: MonitoringChart): any {
  return YAML.parse(chart.alertmanagerConfigYaml);
}

function prometheusConfig(chart: MonitoringChart): any {
  return YAML.parse(chart.prometheusConfigYaml);
}

function dashboard(chart: MonitoringChart, uid: string): any {
  return JSON.parse(chart.dashboardsJson[uid]);
}

describe('MonitoringChart defaults', () => {
  const { chart, manifests } = build(minimalProps());

  test('emits prometheus-operator resources, the Alertmanager configuration Secret and the service dashboard in the monitoring namespace', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'PrometheusRule/shop-web-rules',
      'ServiceMonitor/shop-web',
      'PodMonitor/shop-web-annotated-pods',
      'Secret/shop-web-alertmanager',
      'ConfigMap/shop-web-dashboard-service',
    ]);
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['monitoring']));
    expect(chart.format).toBe(MonitoringFormat.PROMETHEUS_OPERATOR);
    expect(chart.monitoringNamespace).toBe('monitoring');
  });

  test('labels every object as the monitoring component of the app', () => {
    for (const m of manifests) {
      expect(m.metadata.labels).toMatchObject({
        'app.kubernetes.io/part-of': 'shop-web',
        'app.kubernetes.io/component': 'monitoring',
        'app.kubernetes.io/managed-by': 'cdk8s',
      });
    }
  });

  test("scrapes the app's Service (app.kubernetes.io/name, port http, /metrics) in the namespace named after the app, as job shop-web", () => {
    const monitor = named(manifests, 'ServiceMonitor', 'shop-web');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.spec).toEqual({
      namespaceSelector: { matchNames: ['shop-web'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      endpoints: [
        {
          port: 'http',
          path: '/metrics',
          interval: '30s',
          relabelings: [{ targetLabel: 'job', replacement: 'shop-web', action: 'replace' }],
        },
      ],
    });
    expect(chart.appNamespace).toBe('shop-web');
    expect(chart.appJob).toBe('shop-web');
  });

  test('scrapes pods annotated prometheus.io/scrape in every namespace, honouring the path, port and scheme annotations', () => {
    const monitor = named(manifests, 'PodMonitor', 'shop-web-annotated-pods');
    expect(monitor.spec.namespaceSelector).toEqual({ any: true });
    const relabelings = monitor.spec.podMetricsEndpoints[0].relabelings;
    expect(relabelings[0]).toEqual({ sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' });
    expect(relabelings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], targetLabel: '__metrics_path__' }),
        expect.objectContaining({ sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_scheme'], targetLabel: '__scheme__' }),
        expect.objectContaining({ replacement: '$2:$1', targetLabel: '__address__' }),
        { targetLabel: 'job', replacement: 'kubernetes-pods', action: 'replace' },
      ]),
    );
    // One target per pod, not per container: the operator's `container` label goes last, so the
    // per-container targets of a pod with a sidecar become identical and Prometheus keeps one.
    expect(relabelings.at(-1)).toEqual({ action: 'labeldrop', regex: 'container' });
  });

  test('puts exactly the rule file into the PrometheusRule', () => {
    const rule = named(manifests, 'PrometheusRule', 'shop-web-rules');
    expect(rule.spec).toEqual(rulesOf(chart));
    expect(rulesOf(chart).groups.map((g) => g.name)).toEqual(['shop-web.recording', 'shop-web.app', 'shop-web.cluster']);
  });

  test('records request rate, 5xx rate and ratio, and p50/p95/p99 latency of the app from the standard metric names', () => {
    expect(chart.recordingRuleNames).toEqual([
      'job:http_requests:rate5m',
      'job:http_requests_5xx:rate5m',
      'job:http_requests_5xx:ratio_rate5m',
      'job:http_request_duration_seconds:p50_rate5m',
      'job:http_request_duration_seconds:p95_rate5m',
      'job:http_request_duration_seconds:p99_rate5m',
    ]);
    expect(record(chart, 'job:http_requests:rate5m')).toBe('sum by (job) (rate(http_requests_total{job="shop-web"}[5m]))');
    expect(record(chart, 'job:http_requests_5xx:rate5m')).toBe('sum by (job) (rate(http_requests_total{job="shop-web",status=~"5.."}[5m]))');
    expect(record(chart, 'job:http_request_duration_seconds:p95_rate5m')).toBe(
      'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="shop-web"}[5m])))',
    );
  });

  test('alerts on the app, its containers and autoscaler, nodes and certificates — not on data stores it was not given', () => {
    expect(chart.alertNames).toEqual([
      'ServiceDown',
      'HighErrorRate',
      'HighLatencyP95',
      'ThroughputDrop',
      'ContainerMemoryNearLimit',
      'ContainerCpuNearLimit',
      'PodRestartLoop',
      'HpaAtMaxReplicas',
      'NodeDiskSpaceLow',
      'NodeMemoryLow',
      'CertificateExpiring',
      'CertificateExpiring',
    ]);
  });

  test('gives every alert severity, team, service and environment labels and a summary, description and runbook link', () => {
    const alerts = rulesOf(chart).groups.flatMap((g) => g.rules).filter((r) => r.alert);
    for (const a of alerts) {
      expect(Object.keys(a.labels).sort()).toEqual(['environment', 'service', 'severity', 'team']);
      expect(['critical', 'warning']).toContain(a.labels.severity);
      expect(a.labels.environment).toBe('production');
      expect(Object.keys(a.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(a.annotations.runbook_url).toMatch(/^https:\/\/runbooks\.example\.com\/shop\/[a-z0-9-]+$/);
    }
    expect(alert(chart, 'HighErrorRate').annotations.runbook_url).toBe('https://runbooks.example.com/shop/high-error-rate');
    expect(alert(chart, 'HpaAtMaxReplicas').annotations.runbook_url).toBe('https://runbooks.example.com/shop/hpa-at-max-replicas');
  });

  test('pages on 5xx above 5% for 5 minutes at more than 0.1 requests/s, and on the service being down for 2', () => {
    expect(alert(chart, 'HighErrorRate')).toMatchObject({
      expr: 'job:http_requests_5xx:ratio_rate5m{job="shop-web"} > 0.05 and job:http_requests:rate5m{job="shop-web"} > 0.1',
      for: '5m',
      labels: { severity: 'critical', team: 'shop', service: 'shop-web' },
    });
    expect(alert(chart, 'ServiceDown')).toMatchObject({
      expr: 'sum(up{job="shop-web"}) == 0 or absent(up{job="shop-web"})',
      for: '2m',
      labels: { severity: 'critical' },
    });
  });

  test('warns on p95 latency above 2s, a 50% traffic drop from last week, 90% of container limits, 3 restarts in 15m and an HPA at max', () => {
    expect(alert(chart, 'HighLatencyP95')).toMatchObject({ expr: 'job:http_request_duration_seconds:p95_rate5m{job="shop-web"} > 2', for: '10m' });
    expect(alert(chart, 'ThroughputDrop').expr).toBe(
      'job:http_requests:rate5m{job="shop-web"} < 0.5 * (job:http_requests:rate5m{job="shop-web"} offset 1w) and (job:http_requests:rate5m{job="shop-web"} offset 1w) > 1',
    );
    expect(alert(chart, 'ContainerMemoryNearLimit').expr).toMatch(/container_memory_working_set_bytes\{namespace="shop-web",.*resource="memory"\}\) \* 100 > 90$/);
    expect(alert(chart, 'ContainerCpuNearLimit').expr).toMatch(/container_cpu_usage_seconds_total\{namespace="shop-web",.*resource="cpu"\}\) \* 100 > 90$/);
    expect(alert(chart, 'PodRestartLoop').expr).toBe('increase(kube_pod_container_status_restarts_total{namespace="shop-web"}[15m]) > 3');
    expect(alert(chart, 'HpaAtMaxReplicas').expr).toMatch(/^kube_horizontalpodautoscaler_status_current_replicas\{namespace="shop-web"\} >= kube_horizontalpodautoscaler_spec_max_replicas/);
    for (const name of ['HighLatencyP95', 'ThroughputDrop', 'ContainerMemoryNearLimit', 'ContainerCpuNearLimit', 'PodRestartLoop', 'HpaAtMaxReplicas']) {
      expect(alert(chart, name).labels.severity).toBe('warning');
    }
  });

  test('gives node and certificate alerts to the team when there is no platform team', () => {
    expect(alert(chart, 'NodeDiskSpaceLow')).toMatchObject({ labels: { team: 'shop', service: 'kubernetes-nodes' }, expr: expect.stringMatching(/ \* 100 < 10$/) });
    expect(alert(chart, 'NodeMemoryLow').expr).toBe('node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < 10');
    expect(alert(chart, 'CertificateExpiring', 'warning')).toMatchObject({ labels: { team: 'shop', service: 'tls-certificates' } });
    expect(alert(chart, 'CertificateExpiring', 'warning').expr).toMatch(/< 21 and .* >= 7$/);
    expect(alert(chart, 'CertificateExpiring', 'critical').expr).toBe('(certmanager_certificate_expiration_timestamp_seconds - time()) / 86400 < 7');
  });

  test('routes every alert to the default receiver, grouped by alertname, service and severity, re-notifying every 4 hours in production', () => {
    expect(alertmanagerConfig(chart).route).toEqual({
      receiver: 'shop-slack',
      group_by: ['alertname', 'service', 'severity'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'], continue: false }],
    });
  });

  test("sends kube-prometheus-stack's Watchdog and InfoInhibitor first to a receiver without integrations, so they never notify", () => {
    const config = alertmanagerConfig(chart);
    expect(config.route.routes[0]).toEqual({ receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'], continue: false });
    expect(config.receivers.find((r: any) => r.name === 'null')).toEqual({ name: 'null' });
  });

  test('without a PagerDuty receiver, critical alerts that no route takes go to the default receiver: no catch-all route', () => {
    expect(alertmanagerConfig(chart).route.routes.filter((r: any) => r.matchers.includes('severity="critical"'))).toEqual([]);
  });

  test('inhibits warnings while a critical alert fires for the same team and service, only when both carry both labels', () => {
    // kube-prometheus-stack's alerts carry a service (the scraped Service's name) but no team:
    // they neither silence nor are silenced.
    expect(alertmanagerConfig(chart).inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"', 'team=~".+"', 'service=~".+"'],
      target_matchers: ['severity="warning"', 'team=~".+"', 'service=~".+"'],
      equal: ['team', 'service'],
    });
  });

  test("pairs InfoInhibitor with its inhibition of info alerts in the same namespace, as kube-prometheus-stack does", () => {
    expect(alertmanagerConfig(chart).inhibit_rules).toHaveLength(2);
    expect(alertmanagerConfig(chart).inhibit_rules[1]).toEqual({
      source_matchers: ['alertname="InfoInhibitor"'],
      target_matchers: ['severity="info"'],
      equal: ['namespace'],
    });
  });

  test('reads the Slack webhook URL from the mounted Secret, never from the configuration', () => {
    expect(alertmanagerConfig(chart).receivers).toEqual([
      {
        name: 'shop-slack',
        slack_configs: [
          expect.objectContaining({
            api_url_file: '/etc/alertmanager/secrets/alertmanager-slack/url',
            channel: '#shop-alerts',
            send_resolved: true,
          }),
        ],
      },
      { name: 'null' },
    ]);
    expect(chart.alertmanagerConfigYaml).not.toMatch(/api_url:|routing_key:|service_key:|hooks\.slack\.com/);
    expect(chart.alertmanagerSecretNames).toEqual(['alertmanager-slack']);
  });

  test('hands the Alertmanager configuration to the operator in a Secret under alertmanager.yaml', () => {
    const secret = named(manifests, 'Secret', 'shop-web-alertmanager');
    expect(secret.type).toBe('Opaque');
    expect(secret.stringData).toEqual({ 'alertmanager.yaml': chart.alertmanagerConfigYaml });
    expect(chart.alertmanagerConfigName).toBe('shop-web-alertmanager');
  });

  test('publishes the service overview dashboard in a ConfigMap the Grafana sidecar picks up', () => {
    const configMap = named(manifests, 'ConfigMap', 'shop-web-dashboard-service');
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(configMap.data).toEqual({ 'shop-web-service.json': chart.dashboardsJson['shop-web-service'] });
    expect(Object.keys(chart.dashboardsJson)).toEqual(['shop-web-service']);
  });

  test('builds a valid dashboard model: schema version, uid, a Prometheus data source variable, laid-out panels with queries', () => {
    const model = dashboard(chart, 'shop-web-service');
    expect(model).toMatchObject({ uid: 'shop-web-service', title: 'shop-web / Service overview (production)', schemaVersion: 39 });
    expect(model.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
    const ids = model.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of model.panels) {
      expect(panel.type).toBe('timeseries');
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '$datasource' });
      expect(panel.gridPos).toEqual({ h: 8, w: 12, x: expect.any(Number), y: expect.any(Number) });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target).toMatchObject({ refId: expect.stringMatching(/^[A-Z]$/), expr: expect.any(String) });
      }
    }
  });

  test('charts rate, errors and latency percentiles from the recorded series the alerts use, and saturation from container limits', () => {
    const queries = dashboard(chart, 'shop-web-service').panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    for (const recorded of chart.recordingRuleNames.filter((r) => r !== 'job:http_requests_5xx:rate5m')) {
      expect(queries).toContain(`${recorded}{job="shop-web"}`);
    }
    expect(queries.some((q: string) => q.includes('container_cpu_usage_seconds_total') && q.includes('resource="cpu"'))).toBe(true);
    expect(queries.some((q: string) => q.includes('container_memory_working_set_bytes') && q.includes('resource="memory"'))).toBe(true);
  });

  test('warns in production when critical alerts reach no pager', () => {
    expect(warningsOf(chart)).toEqual([
      '[GW-MON-CRITICAL-NOT-PAGED] critical alerts of team shop go to shop-slack, which pages nobody; route severity critical to a PagerDuty receiver',
    ]);
  });

  test('emits manifests that pass the Kubernetes schemas, with the operator kinds declared as custom resources', () => {
    expect(validateManifests(manifests, { customResources: OPERATOR_RESOURCES })).toEqual([]);
  });
});

describe('MonitoringChart in production with every source (the example)', () => {
  const { chart, manifests } = build(productionProps());

  test('matches the snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('emits manifests that pass the Kubernetes schemas', () => {
    expect(validateManifests(manifests, { customResources: OPERATOR_RESOURCES })).toEqual([]);
  });

  test('does not warn when critical alerts of the team and the platform team are paged', () => {
    expect(warningsOf(chart)).toEqual([]);
  });

  test("generates the kube-prometheus-stack values that make Alertmanager load the chart's Secret and mount the receivers' Secrets", () => {
    const selected = productionChart({ operatorSelectorLabels: { release: 'kube-prometheus-stack' } });
    const values = YAML.parse(selected.kubePrometheusStackValuesYaml!);
    expect(values.alertmanager.alertmanagerSpec).toEqual({
      useExistingSecret: true,
      configSecret: chart.alertmanagerConfigName,
      secrets: chart.alertmanagerSecretNames,
      alertmanagerConfigSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
      alertmanagerConfigNamespaceSelector: {},
      alertmanagerConfigMatcherStrategy: { type: 'OnNamespace' },
    });
    // The operator mounts each Secret at /etc/alertmanager/secrets/<name>: where the configuration reads them.
    const config = alertmanagerConfig(chart);
    const files = config.receivers.flatMap((r: any) => [...(r.slack_configs ?? []).map((c: any) => c.api_url_file), ...(r.pagerduty_configs ?? []).map((c: any) => c.routing_key_file)]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [, secretName] = /^\/etc\/alertmanager\/secrets\/([^/]+)\/[^/]+$/.exec(file)!;
      expect(values.alertmanager.alertmanagerSpec.secrets).toContain(secretName);
    }
    // Our rules and monitors are selected by our labels in every namespace.
    expect(values.prometheus.prometheusSpec).toMatchObject({
      ruleSelectorNilUsesHelmValues: false,
      ruleSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
      serviceMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
      podMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
      ruleNamespaceSelector: {},
    });
    expect(named(Testing.synth(selected), 'PrometheusRule', 'shop-web-rules').metadata.labels.release).toBe('kube-prometheus-stack');
    // A service's chart (namespace scope) leaves the Helm values to the cluster's.
    expect(productionChart({ alertmanager: { ...productionProps().alertmanager, scope: AlertRoutingScope.NAMESPACE } }).kubePrometheusStackValuesYaml).toBeUndefined();
  });

  test('turns off what EKS does not expose, whose alerts would fire forever (KubeSchedulerDown and the like)', () => {
    const values = YAML.parse(chart.kubePrometheusStackValuesYaml!);
    for (const component of ['kubeScheduler', 'kubeControllerManager', 'kubeEtcd', 'kubeProxy']) expect(values[component]).toEqual({ enabled: false });
    expect(values.defaultRules.rules).toEqual({ etcd: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeControllerManager: false, kubeProxy: false });
  });

  test('carries no Terraform token and no credential in any manifest, in either format', () => {
    const plain = build(productionProps({ format: MonitoringFormat.PROMETHEUS_CONFIG })).manifests;
    for (const yaml of [YAML.stringify(manifests), YAML.stringify(plain)]) {
      expect(yaml).not.toContain('${');
      expect(yaml).not.toMatch(/TfToken|api_url:|routing_key:|service_key:|password/i);
    }
  });
});

describe('MonitoringChart sources', () => {
  test('monitors PostgreSQL through the prometheus-community postgres_exporter Service with {}: monitor, alerts and dashboard', () => {
    const { chart, manifests } = build(minimalProps({ postgresExporter: {} }));
    expect(named(manifests, 'ServiceMonitor', 'shop-web-postgres-exporter').spec).toMatchObject({
      namespaceSelector: { matchNames: ['monitoring'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus-postgres-exporter' } },
      endpoints: [{ port: 'http', path: '/metrics', relabelings: [{ targetLabel: 'job', replacement: 'shop-web-postgres-exporter' }] }],
    });
    expect(chart.alertNames).toEqual(expect.arrayContaining(['PostgresDown', 'PostgresConnectionsHigh', 'PostgresReplicationLag', 'PostgresSlowQueries']));
    expect(alert(chart, 'PostgresReplicationLag')).toMatchObject({
      expr: 'max by (job, instance) (pg_replication_lag_seconds{job="shop-web-postgres-exporter"} or pg_replication_lag{job="shop-web-postgres-exporter"}) > 30',
      labels: { service: 'shop-web-postgresql', severity: 'warning' },
    });
    expect(alert(chart, 'PostgresConnectionsHigh').expr).toMatch(/pg_settings_max_connections\{job="shop-web-postgres-exporter"\}\) \* 100 > 80$/);
    expect(alert(chart, 'PostgresSlowQueries').expr).toMatch(/pg_stat_activity_max_tx_duration\{job="shop-web-postgres-exporter",state="active"\}\) > 60$/);
    expect(alert(chart, 'PostgresDown').labels.severity).toBe('critical');
    expect(dashboard(chart, 'shop-web-postgresql').title).toBe('shop-web / PostgreSQL (production)');
    expect(named(manifests, 'ConfigMap', 'shop-web-dashboard-postgresql').metadata.labels.grafana_dashboard).toBe('1');
  });

  test('monitors Redis through the prometheus-community redis_exporter Service with {}: monitor, alerts and dashboard', () => {
    const { chart, manifests } = build(minimalProps({ redisExporter: {} }));
    expect(named(manifests, 'ServiceMonitor', 'shop-web-redis-exporter').spec).toMatchObject({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus-redis-exporter' } },
      endpoints: [{ port: 'redis-exporter' }],
    });
    expect(alert(chart, 'RedisMemoryHigh').expr).toBe(
      'redis_memory_used_bytes{job="shop-web-redis-exporter"} / redis_memory_max_bytes{job="shop-web-redis-exporter"} * 100 > 90 and redis_memory_max_bytes{job="shop-web-redis-exporter"} > 0',
    );
    expect(alert(chart, 'RedisTooManyConnections').expr).toBe('redis_connected_clients{job="shop-web-redis-exporter"} > 5000');
    expect(alert(chart, 'RedisEvictions').expr).toBe('rate(redis_evicted_keys_total{job="shop-web-redis-exporter"}[5m]) > 0');
    expect(alert(chart, 'RedisDown').labels).toMatchObject({ severity: 'critical', service: 'shop-web-redis' });
    expect(Object.keys(chart.dashboardsJson)).toEqual(['shop-web-service', 'shop-web-redis']);
  });

  test('scrapes exporters where they actually are', () => {
    const { manifests } = build(
      minimalProps({
        postgresExporter: { namespace: 'databases', serviceLabels: { app: 'pg-exporter', tier: 'db' }, portName: 'metrics', path: '/probe/metrics' },
      }),
    );
    expect(named(manifests, 'ServiceMonitor', 'shop-web-postgres-exporter').spec).toMatchObject({
      namespaceSelector: { matchNames: ['databases'] },
      selector: { matchLabels: { app: 'pg-exporter', tier: 'db' } },
      endpoints: [{ port: 'metrics', path: '/probe/metrics' }],
    });
  });

  test('scrapes the ingress-nginx controller with ingressController: {}', () => {
    const { manifests } = build(minimalProps({ ingressController: {} }));
    expect(named(manifests, 'ServiceMonitor', 'shop-web-ingress-controller').spec).toMatchObject({
      namespaceSelector: { matchNames: ['ingress-nginx'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
      endpoints: [{ port: 'metrics', relabelings: [{ targetLabel: 'job', replacement: 'ingress-controller' }] }],
    });
  });

  test('scrapes the app where it is, in the namespace given', () => {
    const { chart, manifests } = build(
      minimalProps({ appNamespace: 'shop', appMetrics: { serviceLabels: { app: 'web' }, portName: 'metrics', path: '/internal/metrics' } }),
    );
    expect(named(manifests, 'ServiceMonitor', 'shop-web').spec).toMatchObject({
      namespaceSelector: { matchNames: ['shop'] },
      selector: { matchLabels: { app: 'web' } },
      endpoints: [{ port: 'metrics', path: '/internal/metrics' }],
    });
    expect(alert(chart, 'PodRestartLoop').expr).toContain('namespace="shop"');
  });

  test('leaves out the cluster-wide part when clusterMonitoring is false', () => {
    const { chart, manifests } = build(minimalProps({ clusterMonitoring: false }));
    expect(objectsOf(manifests, 'PodMonitor')).toEqual([]);
    expect(rulesOf(chart).groups.map((g) => g.name)).toEqual(['shop-web.recording', 'shop-web.app']);
    expect(chart.alertNames).not.toContain('NodeDiskSpaceLow');
  });

  test('gives the cluster-wide alerts to the platform team', () => {
    const { chart } = build(minimalProps({ platformTeam: 'platform' }));
    expect(alert(chart, 'NodeDiskSpaceLow').labels.team).toBe('platform');
    expect(alert(chart, 'CertificateExpiring', 'critical').labels.team).toBe('platform');
    expect(alert(chart, 'HighErrorRate').labels.team).toBe('shop');
  });

  test('reads the HTTP metrics under the names the app uses', () => {
    const { chart } = build(
      minimalProps({ httpMetrics: { requestsTotal: 'http_server_requests_total', statusCodeLabel: 'code', durationHistogram: 'http_server_duration_seconds' } }),
    );
    expect(record(chart, 'job:http_requests_5xx:rate5m')).toBe('sum by (job) (rate(http_server_requests_total{job="shop-web",code=~"5.."}[5m]))');
    expect(record(chart, 'job:http_request_duration_seconds:p99_rate5m')).toContain('http_server_duration_seconds_bucket{job="shop-web"}');
  });

  test('puts operatorSelectorLabels on the operator resources so the Prometheus resource selects them', () => {
    const { manifests } = build(minimalProps({ operatorSelectorLabels: { release: 'kube-prometheus-stack' } }));
    for (const kind of ['PrometheusRule', 'ServiceMonitor', 'PodMonitor']) {
      for (const m of objectsOf(manifests, kind)) expect(m.metadata.labels.release).toBe('kube-prometheus-stack');
    }
    expect(named(manifests, 'ConfigMap', 'shop-web-dashboard-service').metadata.labels.release).toBeUndefined();
  });

  test('scrapes at the interval given', () => {
    const { chart, manifests } = build(minimalProps({ scrapeIntervalSeconds: 15 }));
    expect(named(manifests, 'ServiceMonitor', 'shop-web').spec.endpoints[0].interval).toBe('15s');
    expect(prometheusConfig(chart).global).toEqual({ scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '15s' });
  });

  test('puts dashboards where Grafana looks', () => {
    const { manifests } = build(minimalProps({ grafanaNamespace: 'grafana' }));
    expect(named(manifests, 'ConfigMap', 'shop-web-dashboard-service').metadata.namespace).toBe('grafana');
    expect(named(manifests, 'ServiceMonitor', 'shop-web').metadata.namespace).toBe('monitoring');
  });

  test('uses another monitoring namespace for its objects and as the default of exporters', () => {
    const { manifests } = build(minimalProps({ namespace: 'observability', redisExporter: {} }));
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['observability']));
    expect(named(manifests, 'ServiceMonitor', 'shop-web-redis-exporter').spec.namespaceSelector.matchNames).toEqual(['observability']);
  });
});

describe('MonitoringChart in the plain prometheus.yml format', () => {
  const { chart, manifests } = build(minimalProps({ format: MonitoringFormat.PROMETHEUS_CONFIG, postgresExporter: {}, redisExporter: {} }));

  test('emits ConfigMaps only: prometheus.yml with its rule file, alertmanager.yml, dashboards', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/shop-web-prometheus',
      'ConfigMap/shop-web-alertmanager',
      'ConfigMap/shop-web-dashboard-service',
      'ConfigMap/shop-web-dashboard-postgresql',
      'ConfigMap/shop-web-dashboard-redis',
    ]);
    expect(named(manifests, 'ConfigMap', 'shop-web-prometheus').data).toEqual({
      'prometheus.yml': chart.prometheusConfigYaml,
      'rules.yml': chart.rulesYaml,
    });
    expect(named(manifests, 'ConfigMap', 'shop-web-alertmanager').data).toEqual({ 'alertmanager.yml': chart.alertmanagerConfigYaml });
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('loads the rule file next to it and sends alerts to the Alertmanager Service', () => {
    const config = prometheusConfig(chart);
    expect(config.rule_files).toEqual(['rules.yml']);
    expect(config.alerting.alertmanagers).toEqual([{ api_version: 'v2', static_configs: [{ targets: ['alertmanager.monitoring.svc:9093'] }] }]);
  });

  test('scrapes the app, the exporters, node-exporter, kube-state-metrics, cert-manager, annotated pods and the kubelet cAdvisor', () => {
    expect(prometheusConfig(chart).scrape_configs.map((j: any) => j.job_name)).toEqual([
      'shop-web',
      'shop-web-postgres-exporter',
      'shop-web-redis-exporter',
      'node-exporter',
      'kube-state-metrics',
      'cert-manager',
      'kubernetes-pods',
      'kubelet-cadvisor',
    ]);
  });

  test("selects a Service's endpoints by its labels and port name, with the label values matched literally", () => {
    const app = prometheusConfig(chart).scrape_configs[0];
    expect(app).toEqual({
      job_name: 'shop-web',
      metrics_path: '/metrics',
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: ['shop-web'] } }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name'], action: 'keep', regex: 'shop-web' },
        { source_labels: ['__meta_kubernetes_endpoint_port_name'], action: 'keep', regex: 'http' },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ],
    });
    const { chart: dotted } = build(minimalProps({ format: MonitoringFormat.PROMETHEUS_CONFIG, appMetrics: { serviceLabels: { app: 'shop.web' } } }));
    expect(prometheusConfig(dotted).scrape_configs[0].relabel_configs[0].regex).toBe('shop\\.web');
  });

  test("keeps kube-state-metrics' and cert-manager's own namespace labels (honor_labels)", () => {
    const jobs = Object.fromEntries(prometheusConfig(chart).scrape_configs.map((j: any) => [j.job_name, j]));
    for (const name of ['kube-state-metrics', 'cert-manager']) {
      expect(jobs[name].honor_labels).toBe(true);
      expect(jobs[name].relabel_configs.map((r: any) => r.target_label)).not.toContain('namespace');
    }
    expect(jobs['node-exporter'].relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpoint_node_name'], target_label: 'node' });
  });

  test('reads cAdvisor through the API server proxy with the pod service account', () => {
    const cadvisor = prometheusConfig(chart).scrape_configs.find((j: any) => j.job_name === 'kubelet-cadvisor');
    expect(cadvisor).toMatchObject({
      scheme: 'https',
      tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
      authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      kubernetes_sd_configs: [{ role: 'node' }],
    });
    expect(cadvisor.relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_node_name'],
      regex: '(.+)',
      target_label: '__metrics_path__',
      replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor',
    });
  });

  test('sends alerts to the Alertmanager address given', () => {
    const { chart: custom } = build(minimalProps({ format: MonitoringFormat.PROMETHEUS_CONFIG, alertmanagerAddress: 'prometheus-alertmanager.monitoring.svc:9093' }));
    expect(prometheusConfig(custom).alerting.alertmanagers[0].static_configs[0].targets).toEqual(['prometheus-alertmanager.monitoring.svc:9093']);
  });

  test('uses the configured node-exporter, kube-state-metrics and cert-manager Services', () => {
    const { chart: custom } = build(
      minimalProps({
        format: MonitoringFormat.PROMETHEUS_CONFIG,
        nodeExporter: { namespace: 'kube-system', serviceLabels: { app: 'node-exporter' } },
        kubeStateMetrics: { portName: 'metrics' },
        certManager: { namespace: 'certs' },
      }),
    );
    const jobs = Object.fromEntries(prometheusConfig(custom).scrape_configs.map((j: any) => [j.job_name, j]));
    expect(jobs['node-exporter'].kubernetes_sd_configs[0].namespaces.names).toEqual(['kube-system']);
    expect(jobs['node-exporter'].relabel_configs[0]).toEqual({ source_labels: ['__meta_kubernetes_service_label_app'], action: 'keep', regex: 'node-exporter' });
    expect(jobs['kube-state-metrics'].relabel_configs[1].regex).toBe('metrics');
    expect(jobs['cert-manager'].kubernetes_sd_configs[0].namespaces.names).toEqual(['certs']);
  });
});

describe('MonitoringChart thresholds', () => {
  const { chart } = build(
    minimalProps({
      postgresExporter: {},
      redisExporter: {},
      thresholds: {
        errorRatePercent: 2,
        errorRateMinimumRequestsPerSecond: 20,
        latencyP95Seconds: 0.8,
        throughputDropPercent: 70,
        throughputBaselineRequestsPerSecond: 5,
        containerMemoryLimitPercent: 85,
        containerCpuLimitPercent: 95,
        restartLoopRestarts: 5,
        postgresConnectionsPercent: 70,
        postgresReplicationLagSeconds: 10,
        postgresSlowQuerySeconds: 30,
        redisMemoryPercent: 80,
        redisConnectedClients: 1000,
        redisEvictionsPerSecond: 50,
        nodeDiskFreePercent: 15,
        nodeMemoryAvailablePercent: 5,
        certificateExpiryWarningDays: 30,
        certificateExpiryCriticalDays: 10,
      },
    }),
  );

  test.each([
    ['HighErrorRate', undefined, / > 0\.02 and job:http_requests:rate5m\{job="shop-web"\} > 20$/],
    ['HighLatencyP95', undefined, / > 0\.8$/],
    ['ThroughputDrop', undefined, / < 0\.3 \* .* > 5$/],
    ['ContainerMemoryNearLimit', undefined, / > 85$/],
    ['ContainerCpuNearLimit', undefined, / > 95$/],
    ['PodRestartLoop', undefined, / > 5$/],
    ['PostgresConnectionsHigh', undefined, / > 70$/],
    ['PostgresReplicationLag', undefined, / > 10$/],
    ['PostgresSlowQueries', undefined, / > 30$/],
    ['RedisMemoryHigh', undefined, / > 80 and /],
    ['RedisTooManyConnections', undefined, / > 1000$/],
    ['RedisEvictions', undefined, / > 50$/],
    ['NodeDiskSpaceLow', undefined, / < 15$/],
    ['NodeMemoryLow', undefined, / < 5$/],
    ['CertificateExpiring', 'warning', / < 30 and .* >= 10$/],
    ['CertificateExpiring', 'critical', / < 10$/],
  ])('%s (%s) uses the threshold given', (name, severity, pattern) => {
    expect(alert(chart, name, severity).expr).toMatch(pattern);
  });

  test('draws the thresholds on the dashboards', () => {
    const errors = dashboard(chart, 'shop-web-service').panels.find((p: any) => p.title === '5xx error ratio');
    expect(errors.fieldConfig.defaults.thresholds.steps).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 0.02 },
    ]);
  });
});

describe('MonitoringChart Alertmanager routing', () => {
  test('routes by severity and team, in order, with continue and per-route repeat interval', () => {
    const { chart } = build(
      minimalProps({
        alertmanager: {
          receivers: [slack, RECEIVERS.shopPager, RECEIVERS.platformSlack],
          routes: [
            { receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, team: 'shop', continueMatching: true, repeatIntervalHours: 1 },
            { receiver: 'platform-slack', team: 'platform' },
            { receiver: 'shop-slack', severity: AlertSeverity.WARNING },
          ],
        },
      }),
    );
    expect(alertmanagerConfig(chart).route.routes).toEqual([
      { receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'], continue: false },
      { receiver: 'shop-pager', matchers: ['severity="critical"', 'team="shop"'], repeat_interval: '1h', continue: true },
      { receiver: 'platform-slack', matchers: ['team="platform"'], continue: false },
      { receiver: 'shop-slack', matchers: ['severity="warning"'], continue: false },
      // The first PagerDuty receiver takes the critical alerts no route took.
      { receiver: 'shop-pager', matchers: ['severity="critical"'], continue: false },
    ]);
  });

  test('defaultCriticalReceiver names the pager of critical alerts that no route takes', () => {
    const platformPager = AlertReceiver.pagerDuty('platform-pager', { routingKeySecretName: 'pd', routingKeySecretKey: 'platform' });
    const { chart } = build(
      minimalProps({
        alertmanager: {
          receivers: [slack, RECEIVERS.shopPager, platformPager],
          routes: [{ receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, team: 'shop' }],
          defaultCriticalReceiver: 'platform-pager',
        },
      }),
    );
    expect(alertmanagerConfig(chart).route.routes.at(-1)).toEqual({ receiver: 'platform-pager', matchers: ['severity="critical"'], continue: false });
  });

  test('warns [GW-MON-WARNINGS-PAGED] when the pager is listed first and so takes every warning, in any environment', () => {
    const pagerFirst = (environment: EnvironmentTier, alertmanager: Partial<MonitoringChartProps['alertmanager']> = {}, props: Partial<MonitoringChartProps> = {}) =>
      warningsOf(build(minimalProps({ environment, alertmanager: { receivers: [RECEIVERS.shopPager, slack], ...alertmanager }, ...props })).chart).filter((w) =>
        w.startsWith('[GW-MON-WARNINGS-PAGED]'),
      );
    const fix = 'go to PagerDuty, so each of them pages someone; set alertmanager.defaultReceiver to a chat or email receiver, or route severity warning to one';
    const paged = `[GW-MON-WARNINGS-PAGED] warnings (team shop: shop-pager; no team label: shop-pager) ${fix}`;
    expect(pagerFirst(EnvironmentTier.PRODUCTION)).toEqual([paged]);
    expect(pagerFirst(EnvironmentTier.STAGING)).toEqual([paged]);
    // The fixes the finding names: a chat default, or a route that takes every warning.
    expect(pagerFirst(EnvironmentTier.PRODUCTION, { defaultReceiver: 'shop-slack' })).toEqual([]);
    expect(pagerFirst(EnvironmentTier.PRODUCTION, { routes: [{ receiver: 'shop-slack', severity: AlertSeverity.WARNING }] })).toEqual([]);
    // A route for the team's warnings leaves those without a team (kube-prometheus-stack's) on the pager.
    expect(pagerFirst(EnvironmentTier.PRODUCTION, { routes: [{ receiver: 'shop-slack', severity: AlertSeverity.WARNING, team: 'shop' }] })).toEqual([
      `[GW-MON-WARNINGS-PAGED] warnings (no team label: shop-pager) ${fix}`,
    ]);
    // With a platform team of its own, alerts without a team follow its routes (team matcher
    // dropped), then the default receiver; one finding names every group that pages.
    const platformSlack = AlertReceiver.slack('platform-slack', { channel: '#platform', webhookUrlSecretName: 'alertmanager-slack' });
    const platform = (routes: AlertRoute[]) => pagerFirst(EnvironmentTier.PRODUCTION, { receivers: [RECEIVERS.shopPager, slack, platformSlack], routes }, { platformTeam: 'platform' });
    expect(platform([{ receiver: 'shop-slack', severity: AlertSeverity.WARNING, team: 'shop' }])).toEqual([
      `[GW-MON-WARNINGS-PAGED] warnings (team platform: shop-pager; no team label: shop-pager) ${fix}`,
    ]);
    expect(platform([
      { receiver: 'shop-slack', severity: AlertSeverity.WARNING, team: 'shop' },
      { receiver: 'platform-slack', team: 'platform' },
    ])).toEqual([]);
    // A route without a team does not take the unowned alerts: they are matched first, by team="".
    expect(platform([{ receiver: 'shop-slack', severity: AlertSeverity.WARNING }])).toEqual([`[GW-MON-WARNINGS-PAGED] warnings (no team label: shop-pager) ${fix}`]);
  });

  test('defaultCriticalReceiver set to the default receiver sends critical alerts no route takes there, with no extra route', () => {
    const { chart } = build(
      minimalProps({ alertmanager: { receivers: [slack, RECEIVERS.shopPager], defaultCriticalReceiver: 'shop-slack' } }),
    );
    expect(alertmanagerConfig(chart).route.routes).toEqual([{ receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'], continue: false }]);
    expect(warningsOf(chart)).toEqual([expect.stringMatching(/^\[GW-MON-CRITICAL-NOT-PAGED\] critical alerts of team shop go to shop-slack/)]);
  });

  test('the critical catch-all route pages the team even without a route of its own, so no paging warning', () => {
    const { chart } = build(minimalProps({ alertmanager: { receivers: [slack, RECEIVERS.shopPager] } }));
    expect(alertmanagerConfig(chart).route.routes.at(-1)).toEqual({ receiver: 'shop-pager', matchers: ['severity="critical"'], continue: false });
    expect(alertmanagerConfig(chart).route.receiver).toBe('shop-slack');
    expect(warningsOf(chart)).toEqual([]);
  });

  test('reads the PagerDuty routing key from the mounted Secret and passes the severity on', () => {
    const pager = AlertReceiver.pagerDuty('pager', { routingKeySecretName: 'pd', routingKeySecretKey: 'key', sendResolved: false });
    expect(pager.type).toBe(AlertReceiverType.PAGERDUTY);
    const { chart } = build(minimalProps({ alertmanager: { receivers: [pager] } }));
    expect(alertmanagerConfig(chart).receivers[0]).toEqual({
      name: 'pager',
      pagerduty_configs: [
        {
          routing_key_file: '/etc/alertmanager/secrets/pd/key',
          send_resolved: false,
          severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
          description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
        },
      ],
    });
    expect(chart.alertmanagerSecretNames).toEqual(['pd']);
  });

  test('uses the Secret key, mount path, default receiver, grouping and inhibition given', () => {
    const { chart } = build(
      minimalProps({
        alertmanager: {
          receivers: [AlertReceiver.slack('a', { channel: '#a', webhookUrlSecretName: 'hooks', webhookUrlSecretKey: 'a-url' }), RECEIVERS.shopPager],
          defaultReceiver: 'shop-pager',
          groupBy: ['alertname', 'team'],
          groupWaitSeconds: 10,
          groupIntervalMinutes: 2,
          repeatIntervalHours: 24,
          inhibitionEqualLabels: ['alertname', 'service'],
          secretsMountPath: '/secrets',
        },
      }),
    );
    const config = alertmanagerConfig(chart);
    expect(config.route).toEqual({
      receiver: 'shop-pager',
      group_by: ['alertname', 'team'],
      group_wait: '10s',
      group_interval: '2m',
      repeat_interval: '24h',
      // The default receiver is the pager already: no critical catch-all route.
      routes: [{ receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'], continue: false }],
    });
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"', 'team=~".+"', 'alertname=~".+"', 'service=~".+"'],
      target_matchers: ['severity="warning"', 'team=~".+"', 'alertname=~".+"', 'service=~".+"'],
      equal: ['team', 'alertname', 'service'],
    });
    expect(config.receivers[0].slack_configs[0].api_url_file).toBe('/secrets/hooks/a-url');
    expect(config.receivers[1].pagerduty_configs[0].routing_key_file).toBe('/secrets/alertmanager-pagerduty/routing-key');
    expect(chart.alertmanagerSecretNames).toEqual(['hooks', 'alertmanager-pagerduty']);
  });

  test('names the configuration Secret as asked', () => {
    const { chart, manifests } = build(minimalProps({ alertmanager: { receivers: [slack], configName: 'alertmanager-main-config' } }));
    expect(named(manifests, 'Secret', 'alertmanager-main-config')).toBeDefined();
    expect(chart.alertmanagerConfigName).toBe('alertmanager-main-config');
  });

  test('re-notifies every 12 hours outside production and labels alerts with the environment', () => {
    const { chart } = build(minimalProps({ environment: EnvironmentTier.DEVELOPMENT }));
    expect(alertmanagerConfig(chart).route.repeat_interval).toBe('12h');
    expect(alert(chart, 'HighErrorRate').labels.environment).toBe('development');
    expect(alert(chart, 'HighErrorRate').for).toBe('5m');
    expect(dashboard(chart, 'shop-web-service').title).toBe('shop-web / Service overview (development)');
  });

  test('does not warn about paging outside production', () => {
    const { chart } = build(minimalProps({ environment: EnvironmentTier.STAGING }));
    expect(warningsOf(chart)).toEqual([]);
  });

  test('warns when the critical route of the team ends at Slack even though a pager exists', () => {
    const { chart } = build(
      minimalProps({
        alertmanager: {
          receivers: [slack, RECEIVERS.shopPager],
          routes: [{ receiver: 'shop-slack', team: 'shop' }, { receiver: 'shop-pager', severity: AlertSeverity.CRITICAL }],
        },
      }),
    );
    expect(warningsOf(chart)).toEqual([expect.stringMatching(/^\[GW-MON-CRITICAL-NOT-PAGED\] critical alerts of team shop go to shop-slack/)]);
  });
});

describe('MonitoringChart validation', () => {
  const expectError = (overrides: Partial<MonitoringChartProps>, message: string | RegExp) => {
    const app = Testing.app();
    expect(() => new MonitoringChart(app, 'monitoring', minimalProps(overrides))).toThrow(message);
    // Validation runs before the first Kubernetes object is created.
    expect(app.node.findAll().filter((c) => ApiObject.isApiObject(c))).toEqual([]);
  };
  const withRouting = (alertmanager: Partial<MonitoringChartProps['alertmanager']>) => ({
    alertmanager: { receivers: [slack], ...alertmanager } as MonitoringChartProps['alertmanager'],
  });

  test('rejects an app name that is not a short DNS label', () => {
    expectError({ appName: 'Shop_Web' }, 'MonitoringChart monitoring: appName must be a DNS-1123 label: 1-40 lowercase letters, digits or "-", starting and ending with a letter or digit, got "Shop_Web"');
    expectError({ appName: 'a'.repeat(41) }, /appName must be a DNS-1123 label: 1-40 lowercase letters/);
  });

  test('rejects an empty team', () => {
    expectError({ team: '' }, /^MonitoringChart monitoring: team must be a non-empty label value .*, got ""$/);
  });

  test('rejects an empty platform team', () => {
    expectError({ platformTeam: ' ' }, /platformTeam must be a non-empty label value/);
  });

  test('rejects a runbook URL that is not https', () => {
    expectError({ runbookBaseUrl: 'http://runbooks.example.com' }, /runbookBaseUrl must be an https:\/\/ URL without query or fragment.*, got "http:\/\/runbooks\.example\.com"/);
  });

  test('rejects a Terraform token where a name is needed: the trees meet by names only', () => {
    const token = Lazy.stringValue({ produce: () => 'shop' });
    expectError({ team: token }, /team must be a literal without "\$\{" \(YAML is not Terraform: pass names and literal values, .*\), got "\$\{TfToken/);
    expectError(
      withRouting({ receivers: [AlertReceiver.slack('s', { channel: '#a', webhookUrlSecretName: Lazy.stringValue({ produce: () => 'x' }) })] }),
      /alertmanager\.receivers\[0\]\.webhookUrlSecretName must be a literal without "\$\{"/,
    );
  });

  test('rejects an invalid environment, format or namespace', () => {
    expectError({ environment: 'prod' as EnvironmentTier }, 'environment must be one of development, staging, production, got "prod"');
    expectError({ format: 'HELM' as MonitoringFormat }, 'format must be one of PROMETHEUS_OPERATOR, PROMETHEUS_CONFIG, got "HELM"');
    expectError({ namespace: 'Monitoring' }, /namespace must be a DNS-1123 label/);
    expectError({ appNamespace: 'shop/web' }, /appNamespace must be a DNS-1123 label/);
  });

  test('rejects a scrape target that selects nothing or names a bad port', () => {
    expectError({ postgresExporter: { serviceLabels: {} } }, 'postgresExporter.serviceLabels must select with at least one label, got {}');
    expectError({ redisExporter: { portName: 'Redis Exporter' } }, /redisExporter\.portName must be a DNS-1123 label/);
    expectError({ appMetrics: { path: 'metrics' } }, "appMetrics.path must be an absolute HTTP path of at most 1024 characters without spaces, '?' or '#', e.g. \"/health\", got \"metrics\"");
    expectError({ ingressController: { serviceLabels: { 'app.kubernetes.io/name': 'bad value' } } }, /ingressController\.serviceLabels\.app\.kubernetes\.io\/name must be a non-empty label value/);
  });

  test("a scrape path is the HTTP path rule every construct uses, without a query (Prometheus's metrics_path has none)", () => {
    // One rule (lib/core): printable ASCII, no spaces; a scrape path adds no '?' or '#', since
    // Prometheus would escape them into the path. Characters the old monitoring-only rule refused
    // and HTTP allows (':' '@' '+' ',') are accepted now.
    expectError({ appMetrics: { path: '/metrics?format=prometheus' } }, /appMetrics\.path must be an absolute HTTP path .* without spaces, '\?' or '#'/);
    expectError({ appMetrics: { path: '/my metrics' } }, /appMetrics\.path must be an absolute HTTP path/);
    expect(() => build(minimalProps({ appMetrics: { path: '/v1/metrics:scrape' } }))).not.toThrow();
  });

  test('rejects bad metric names', () => {
    expectError({ httpMetrics: { durationHistogram: 'http_request_duration_seconds_bucket' } }, 'httpMetrics.durationHistogram must be the histogram name without the _bucket suffix, got "http_request_duration_seconds_bucket"');
    expectError({ httpMetrics: { requestsTotal: 'http-requests' } }, /httpMetrics\.requestsTotal must be a Prometheus metric name/);
    expectError({ httpMetrics: { statusCodeLabel: '__status' } }, /httpMetrics\.statusCodeLabel must be a Prometheus label name/);
  });

  test('rejects thresholds out of range', () => {
    expectError({ thresholds: { errorRatePercent: 0 } }, 'thresholds.errorRatePercent must be a number greater than 0 and at most 100, got 0');
    expectError({ thresholds: { redisMemoryPercent: 120 } }, 'thresholds.redisMemoryPercent must be a number greater than 0 and at most 100, got 120');
    expectError({ thresholds: { latencyP95Seconds: -1 } }, /thresholds\.latencyP95Seconds must be a number greater than 0/);
    expectError({ thresholds: { throughputDropPercent: 100 } }, 'thresholds.throughputDropPercent must be a number from 1 to 99, got 100');
    expectError({ thresholds: { restartLoopRestarts: 2.5 } }, 'thresholds.restartLoopRestarts must be an integer from 1 to 100, got 2.5');
    expectError({ thresholds: { redisEvictionsPerSecond: -1 } }, 'thresholds.redisEvictionsPerSecond must be a number from 0 to 1000000000, got -1');
    expectError({ thresholds: { errorRateMinimumRequestsPerSecond: -0.5 } }, 'thresholds.errorRateMinimumRequestsPerSecond must be a number from 0 to 1000000000, got -0.5');
  });

  test('rejects a critical certificate expiry that does not come after the warning', () => {
    expectError(
      { thresholds: { certificateExpiryWarningDays: 7, certificateExpiryCriticalDays: 7 } },
      'MonitoringChart monitoring: thresholds.certificateExpiryCriticalDays (7) must be less than thresholds.certificateExpiryWarningDays (7)',
    );
  });

  test('rejects a scrape interval out of range', () => {
    expectError({ scrapeIntervalSeconds: 1 }, 'scrapeIntervalSeconds must be an integer from 5 to 300, got 1');
  });

  test('rejects a bad Alertmanager address', () => {
    expectError({ alertmanagerAddress: 'http://alertmanager:9093' }, /alertmanagerAddress must be host:port/);
  });

  test('rejects routing without receivers: alerts must reach a person', () => {
    expectError(withRouting({ receivers: [] }), 'MonitoringChart monitoring: alertmanager.receivers must contain at least one receiver, so alerts reach a person, got []');
  });

  test('rejects duplicate receiver names', () => {
    expectError(withRouting({ receivers: [slack, slack] }), 'alertmanager.receivers[1].name must be unique among the receivers, got "shop-slack"');
  });

  test('reserves the receiver name null for Watchdog and InfoInhibitor', () => {
    expectError(
      withRouting({ receivers: [slack, AlertReceiver.slack('null', { channel: '#dev-null', webhookUrlSecretName: 's' })] }),
      'MonitoringChart monitoring: alertmanager.receivers[1].name must not be "null", the receiver without integrations that takes Watchdog and InfoInhibitor, got "null"',
    );
  });

  test('rejects a route or default receiver that names no receiver', () => {
    expectError(withRouting({ routes: [{ receiver: 'pager' }] }), 'alertmanager.routes[0].receiver must name one of the receivers (shop-slack), got "pager"');
    expectError(withRouting({ defaultReceiver: 'nobody' }), 'alertmanager.defaultReceiver must name one of the receivers (shop-slack), got "nobody"');
    expectError(
      withRouting({ defaultCriticalReceiver: 'null' }),
      'MonitoringChart monitoring: alertmanager.defaultCriticalReceiver must name one of the receivers (shop-slack), got "null"',
    );
  });

  test('rejects an unknown severity in a route', () => {
    expectError(withRouting({ routes: [{ receiver: 'shop-slack', severity: 'info' as AlertSeverity }] }), 'alertmanager.routes[0].severity must be one of critical, warning, got "info"');
  });

  test('rejects an empty team in a route', () => {
    expectError(withRouting({ routes: [{ receiver: 'shop-slack', team: '' }] }), /alertmanager\.routes\[0\]\.team must be a non-empty label value .*, got ""/);
  });

  test('rejects a bad receiver: name, Slack channel, Secret name or key', () => {
    expectError(withRouting({ receivers: [AlertReceiver.slack('', { channel: '#a', webhookUrlSecretName: 's' })] }), /alertmanager\.receivers\[0\]\.name must be a non-empty label value/);
    expectError(withRouting({ receivers: [AlertReceiver.slack('s', { channel: 'general alerts', webhookUrlSecretName: 's' })] }), /alertmanager\.receivers\[0\]\.channel must be a Slack channel such as "#shop-alerts"/);
    expectError(withRouting({ receivers: [AlertReceiver.pagerDuty('p', { routingKeySecretName: 'PagerDuty_Key' })] }), /alertmanager\.receivers\[0\]\.routingKeySecretName must be a DNS-1123 subdomain/);
    expectError(withRouting({ receivers: [AlertReceiver.pagerDuty('p', { routingKeySecretName: 'pd', routingKeySecretKey: 'a/b' })] }), /alertmanager\.receivers\[0\]\.routingKeySecretKey must be a ConfigMap or Secret key/);
  });

  test('rejects bad grouping, timing and inhibition settings', () => {
    expectError(withRouting({ groupBy: [] }), /alertmanager\.groupBy must list at least one label/);
    expectError(withRouting({ groupBy: ['alert-name'] }), /alertmanager\.groupBy\[0\] must be a Prometheus label name/);
    expectError(withRouting({ groupWaitSeconds: -1 }), 'alertmanager.groupWaitSeconds must be an integer from 0 to 3600, got -1');
    expectError(withRouting({ repeatIntervalHours: 0 }), 'alertmanager.repeatIntervalHours must be an integer from 1 to 168, got 0');
    expectError(withRouting({ routes: [{ receiver: 'shop-slack', repeatIntervalHours: 200 }] }), 'alertmanager.routes[0].repeatIntervalHours must be an integer from 1 to 168, got 200');
    expectError(
      withRouting({ groupIntervalMinutes: 120, repeatIntervalHours: 1 }),
      'MonitoringChart monitoring: alertmanager.repeatIntervalHours (1h) must not be shorter than alertmanager.groupIntervalMinutes (120m)',
    );
    expectError(withRouting({ inhibitionEqualLabels: [] }), /alertmanager\.inhibitionEqualLabels must list at least one label/);
    expectError(withRouting({ secretsMountPath: 'secrets/' }), /alertmanager\.secretsMountPath must be an absolute path without a trailing '\/'/);
    expectError(withRouting({ configName: 'Alertmanager Config' }), /alertmanager\.configName must be a DNS-1123 subdomain/);
  });

  test('accepts grouping by all labels', () => {
    const { chart } = build(minimalProps(withRouting({ groupBy: ['...'] })));
    expect(alertmanagerConfig(chart).route.group_by).toEqual(['...']);
  });
});

describe('MonitoringChart construct IDs', () => {
  test('lists stable object names (IDs and names are a contract)', () => {
    const chart = productionChart();
    expect(chart.node.children.map((c) => c.node.id)).toEqual([
      'AlertRules',
      'AppMonitor',
      'PostgresExporterMonitor',
      'RedisExporterMonitor',
      'IngressControllerMonitor',
      'AnnotatedPodsMonitor',
      'AlertmanagerConfig',
      'ServiceDashboard',
      'PostgresDashboard',
      'RedisDashboard',
    ]);
  });
});
