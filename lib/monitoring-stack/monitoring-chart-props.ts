import { EnvironmentTier } from '../core/environment';
import type { AlertmanagerOptions, AlertThresholds, HttpMetricNames, IMonitoredWorkload, MonitoringFormat, ScrapeTarget } from './monitoring-chart';

/** Properties of a {@link MonitoringChart}. */
export interface MonitoringChartProps {
  /**
   * The app's name: the `job` of its metrics, the `service` label of its alerts, and the
   * prefix of every object name. A DNS-1123 label of at most 40 characters. Give it, or a
   * `workload` to take it from (then the two must agree).
   *
   * @default - the workload's appName; without a workload, required
   */
  readonly appName?: string;

  /**
   * The workload to monitor, e.g. the app's `AppWorkloadChart`. The chart takes the app's
   * name, namespace and metrics port from it, so they cannot drift apart; an `appName`,
   * `appNamespace` or `appMetrics.portName` given as well must equal the workload's.
   *
   * @default - none: `appName` is required, and `appNamespace` and `appMetrics` have their own defaults
   */
  readonly workload?: IMonitoredWorkload;

  /** The team that owns the app: the `team` label of its alerts, which routes match on. */
  readonly team: string;

  /**
   * The environment tier; the `environment` label of every alert. Production re-notifies
   * firing alerts every 4 hours, other tiers every 12; thresholds and `for` durations are
   * the same everywhere, so what is tested in staging is what pages in production.
   */
  readonly environment: EnvironmentTier;

  /**
   * Base URL of the runbooks (https). Each alert links to `<runbookBaseUrl>/<alert-name>`,
   * e.g. `https://runbooks.example.com/shop/high-error-rate`.
   */
  readonly runbookBaseUrl: string;

  /** Alertmanager receivers and routing. */
  readonly alertmanager: AlertmanagerOptions;

  /**
   * The namespace of the monitoring objects (and of Prometheus and Alertmanager).
   *
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * The namespace the app runs in (and, with `AlertRoutingScope.NAMESPACE`, the namespace of
   * the AlertmanagerConfig).
   *
   * @default - the workload's namespaceName; without a workload, the appName
   */
  readonly appNamespace?: string;

  /**
   * How the scrape configuration and rules are delivered.
   *
   * @default MonitoringFormat.PROMETHEUS_OPERATOR
   */
  readonly format?: MonitoringFormat;

  /**
   * The app's metrics endpoint.
   *
   * @default - the Service labelled `app.kubernetes.io/name: <appName>` in the appNamespace, port: the workload's metricsPortName, or `http` without a workload, path `/metrics` (as AppWorkloadChart creates it)
   */
  readonly appMetrics?: ScrapeTarget;

  /**
   * Names of the app's HTTP metrics.
   *
   * @default - http_requests_total with a `status` label, and http_request_duration_seconds
   */
  readonly httpMetrics?: HttpMetricNames;

  /**
   * Alert thresholds.
   *
   * @default - the defaults of each threshold
   */
  readonly thresholds?: AlertThresholds;

  /**
   * Monitor PostgreSQL through postgres_exporter: scrape it, add the PostgreSQL alerts and
   * dashboard. Pass `{}` for the prometheus-community chart's Service.
   *
   * @default - PostgreSQL is not monitored. With `{}`: namespace = `namespace`, labels `app.kubernetes.io/name: prometheus-postgres-exporter`, port `http`
   */
  readonly postgresExporter?: ScrapeTarget;

  /**
   * Monitor Redis through redis_exporter: scrape it, add the Redis alerts and dashboard.
   * Pass `{}` for the prometheus-community chart's Service.
   *
   * @default - Redis is not monitored. With `{}`: namespace = `namespace`, labels `app.kubernetes.io/name: prometheus-redis-exporter`, port `redis-exporter`
   */
  readonly redisExporter?: ScrapeTarget;

  /**
   * Scrape the ingress controller's own metrics (job `ingress-controller`). Pass `{}` for
   * ingress-nginx. An ALB's request metrics are not in Prometheus: CloudWatch is their
   * source, and they are alarmed on by the Terraform half of MonitoringStack.
   *
   * @default - not scraped. With `{}`: namespace `ingress-nginx`, labels `app.kubernetes.io/name: ingress-nginx` and `app.kubernetes.io/component: controller`, port `metrics`
   */
  readonly ingressController?: ScrapeTarget;

  /**
   * Include the cluster-wide part: node disk and memory alerts, certificate expiry alerts
   * (owned by `platformTeam`) and the scrape of pods annotated `prometheus.io/scrape: "true"`.
   * Keep it on in exactly one chart per cluster, so those alerts fire once: within one cdk8s
   * App a second chart with it on is an error.
   *
   * @default - true with `AlertRoutingScope.CLUSTER`, false with `AlertRoutingScope.NAMESPACE` (a service's chart leaves the cluster to the platform's)
   */
  readonly clusterMonitoring?: boolean;

  /**
   * The team of the cluster-wide alerts.
   *
   * @default - the team
   */
  readonly platformTeam?: string;

  /**
   * node_exporter (PROMETHEUS_CONFIG format; with the operator, kube-prometheus-stack scrapes it).
   *
   * @default - namespace = `namespace`, labels `app.kubernetes.io/name: prometheus-node-exporter`, port `metrics`
   */
  readonly nodeExporter?: ScrapeTarget;

  /**
   * kube-state-metrics (PROMETHEUS_CONFIG format; with the operator, kube-prometheus-stack scrapes it).
   *
   * @default - namespace = `namespace`, labels `app.kubernetes.io/name: kube-state-metrics`, port `http`
   */
  readonly kubeStateMetrics?: ScrapeTarget;

  /**
   * cert-manager's controller (PROMETHEUS_CONFIG format; with the operator, enable the
   * cert-manager chart's own ServiceMonitor).
   *
   * @default - namespace `cert-manager`, labels `app.kubernetes.io/name: cert-manager` and `app.kubernetes.io/component: controller`, port `tcp-prometheus-servicemonitor`
   */
  readonly certManager?: ScrapeTarget;

  /**
   * Scrape (and, in the plain format, rule evaluation) interval, in seconds (5-300).
   *
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;

  /**
   * Labels on the operator resources, for the Prometheus resource's selectors (with
   * kube-prometheus-stack's defaults: `{ release: '<helm release name>' }`) and the
   * Alertmanager resource's `alertmanagerConfigSelector` (namespace scope).
   *
   * @default - none
   */
  readonly operatorSelectorLabels?: { [key: string]: string };

  /**
   * The Alertmanager that the plain prometheus.yml sends alerts to, `host:port`.
   *
   * @default - `alertmanager.<namespace>.svc:9093`
   */
  readonly alertmanagerAddress?: string;

  /**
   * Namespace of the dashboard ConfigMaps (where the Grafana sidecar looks).
   *
   * @default - the namespace
   */
  readonly grafanaNamespace?: string;
}
