import { ApiObject, Chart, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { MON_CRITICAL_NOT_PAGED } from '../checks/rules/constructs/mon-critical-not-paged';
import { MON_WARNINGS_PAGED } from '../checks/rules/constructs/mon-warnings-paged';
import { EnvironmentTier } from '../core/environment';
import { checkIntegerInRange as checkInteger, checkNumberAbove, checkNumberInRange, constructLabel, describeValue, invalidCombination, invalidProp, isLiteral } from '../core/private/errors';
import { findConstructsOfType } from '../core/private/find-constructs';
import { checkConfigKey, checkHttpPath, checkLiteral, checkLiteralDnsLabel, checkLiteralDnsSubdomain, checkMatchLabels, checkSelectorLabelValue } from '../core/private/kubernetes-checks';
import { MonitoringChartProps } from './monitoring-chart-props';
import { CERTIFICATE_DEFAULTS } from './private/alarm-thresholds';
import {
  ALERTMANAGER_CONFIG_API,
  buildAlertmanagerConfig,
  buildAlertmanagerConfigSpec,
  NULL_RECEIVER,
  receiversOf,
  ResolvedReceiver,
  ResolvedRoute,
  ResolvedRouting,
} from './private/alertmanager';
import { buildDashboards, Dashboard } from './private/dashboards';
import { kubePrometheusStackValues } from './private/kube-prometheus-stack';
import { checkMetricName, checkPromLabelName } from './private/prometheus-names';
import { buildRuleGroups, isAlertingRule, ResolvedThresholds, RuleContext, RuleGroup } from './private/rules';
import { annotatedPodMonitorSpec, buildPrometheusConfig, ResolvedTarget, serviceMonitorSpec } from './private/scrape';
import { RUNBOOK_BASE_URL } from './private/urls';

// The props live in a file of their own; this module still exports them.
export { MonitoringChartProps } from './monitoring-chart-props';

/** How the chart hands the scrape configuration and the rules to Prometheus. */
export enum MonitoringFormat {
  /**
   * prometheus-operator custom resources (monitoring.coreos.com/v1): ServiceMonitors and a
   * PodMonitor for scraping, a PrometheusRule for the rules, and the Alertmanager
   * configuration in a Secret for the Alertmanager resource's `configSecret` (or, with
   * `AlertRoutingScope.NAMESPACE`, an AlertmanagerConfig in the app's namespace).
   */
  PROMETHEUS_OPERATOR = 'PROMETHEUS_OPERATOR',
  /**
   * A plain `prometheus.yml` and rule file in one ConfigMap, and `alertmanager.yml` in
   * another, for a Prometheus and an Alertmanager run without the operator.
   */
  PROMETHEUS_CONFIG = 'PROMETHEUS_CONFIG',
}

/** Severity of an alert; also the `severity` label that routes match on. */
export enum AlertSeverity {
  /** Needs a person now: routed to paging receivers. */
  CRITICAL = 'critical',
  /** Needs attention during working hours; inhibited while a critical alert fires for the same service. */
  WARNING = 'warning',
}

/** The kind of an {@link AlertReceiver}. */
export enum AlertReceiverType {
  /** A Slack incoming webhook. */
  SLACK = 'slack',
  /** A PagerDuty service, through the Events API v2. */
  PAGERDUTY = 'pagerduty',
}

/**
 * Which part of the Alertmanager configuration a {@link MonitoringChart} writes: the cluster's
 * whole configuration, or the routing of its own namespace.
 *
 * A cluster has one Alertmanager configuration and many services. Let one chart (the
 * platform's) keep `CLUSTER`, and give every service's chart `NAMESPACE`: each then adds its
 * own receivers and routes without owning, or competing for, the whole configuration.
 *
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
export enum AlertRoutingScope {
  /**
   * The cluster Alertmanager's whole configuration: a Secret for the Alertmanager resource's
   * `configSecret` (operator format) or the `alertmanager.yml` ConfigMap (plain format), with
   * global settings, the `null` receiver for Watchdog and InfoInhibitor, and the routing of
   * every alert that no namespace's routing took. At most one chart per cdk8s App.
   */
  CLUSTER = 'CLUSTER',
  /**
   * A prometheus-operator AlertmanagerConfig (monitoring.coreos.com/v1alpha1) in the app's
   * namespace, with the chart's receivers, routes and inhibition rule. The operator merges it
   * into the cluster configuration and restricts it to the alerts of that namespace, so any
   * number of services can each add theirs. Operator format only.
   *
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfig
   */
  NAMESPACE = 'NAMESPACE',
}

/**
 * The workload a {@link MonitoringChart} monitors, for the chart to take its names from:
 * the chart's `appName`, `appNamespace` and the metrics port then cannot drift from the
 * workload's. `AppWorkloadChart` has these three fields.
 *
 * @example
 * new MonitoringChart(manifests, 'shop-web-monitoring', {
 *   workload: shopWebChart,
 *   team: 'shop',
 *   environment: EnvironmentTier.PRODUCTION,
 *   runbookBaseUrl: 'https://runbooks.example.com/shop',
 *   alertmanager: { receivers: [AlertReceiver.slack('shop-slack', { channel: '#shop-alerts', webhookUrlSecretName: 'slack-webhook' })] },
 * });
 */
export interface IMonitoredWorkload {
  /**
   * The app's name: the `app.kubernetes.io/name` label of its Service and the `job` of its
   * metrics in the chart.
   */
  readonly appName: string;

  /** The namespace the workload runs in. */
  readonly namespaceName: string;

  /** The name of the Service port that serves the app's Prometheus metrics. */
  readonly metricsPortName: string;

  /**
   * The namespaces whose pods the workload's NetworkPolicies admit to its metrics port. When
   * given, the chart fails synth unless Prometheus's namespace (its `namespace`) is among them:
   * a scrape the policies drop leaves the app's `up` series absent, and its ServiceDown alert
   * fires from the first deploy.
   *
   * @default - not checked
   */
  readonly metricsScraperNamespaces?: string[];
}

/**
 * A Kubernetes Service whose endpoints expose Prometheus metrics. Every field has a
 * default per use (documented on the prop that takes it), so `{}` means "the usual
 * installation".
 */
export interface ScrapeTarget {
  /**
   * The namespace of the Service.
   *
   * @default - per prop
   */
  readonly namespace?: string;

  /**
   * Labels that select the Service (all must match).
   *
   * @default - per prop
   */
  readonly serviceLabels?: { [key: string]: string };

  /**
   * The name of the Service port that serves the metrics.
   *
   * @default - per prop
   */
  readonly portName?: string;

  /**
   * The HTTP path of the metrics.
   *
   * @default "/metrics"
   */
  readonly path?: string;

  /**
   * The namespaces whose pods the target's NetworkPolicies admit to its metrics port (what
   * `DatabaseJobsChart.exporterScrapeTarget` carries). When given, the chart fails synth unless
   * Prometheus's namespace (its `namespace`) is among them: the scrape would be dropped.
   *
   * @default - not checked
   */
  readonly admittedNamespaces?: string[];
}

/**
 * Names of the app's HTTP metrics, as the Prometheus client libraries write them. The
 * recording rules aggregate them to `job:http_requests:rate5m`,
 * `job:http_requests_5xx:rate5m`, `job:http_requests_5xx:ratio_rate5m` and
 * `job:http_request_duration_seconds:p50|p95|p99_rate5m`, whatever the source names.
 */
export interface HttpMetricNames {
  /**
   * Counter of handled requests.
   *
   * @default "http_requests_total"
   */
  readonly requestsTotal?: string;

  /**
   * Label of `requestsTotal` that holds the HTTP status code (5xx responses match `5..`).
   *
   * @default "status"
   */
  readonly statusCodeLabel?: string;

  /**
   * Histogram of request durations in seconds, without the `_bucket` suffix.
   *
   * @default "http_request_duration_seconds"
   */
  readonly durationHistogram?: string;
}

/**
 * Alert thresholds. Each alert's `for` duration and severity are fixed (see
 * {@link MonitoringChart}); the thresholds are yours to tune.
 */
export interface AlertThresholds {
  /**
   * HighErrorRate (critical, for 5m): share of requests answered 5xx, in percent.
   *
   * @default 5
   */
  readonly errorRatePercent?: number;

  /**
   * HighErrorRate only fires while the app serves more than this many requests per second,
   * so two failed requests out of three at night do not page anyone. 0 alerts on any
   * traffic. Raise it for high-traffic services, lower it for quiet internal ones.
   *
   * @default 0.1 (30 requests over the 5-minute window)
   */
  readonly errorRateMinimumRequestsPerSecond?: number;

  /**
   * HighLatencyP95 (warning, for 10m): 95th percentile request duration, in seconds.
   *
   * @default 2
   */
  readonly latencyP95Seconds?: number;

  /**
   * ThroughputDrop (warning, for 15m): drop of the request rate against the same time one
   * week earlier, in percent (1-99).
   *
   * @default 50
   */
  readonly throughputDropPercent?: number;

  /**
   * ThroughputDrop only fires when last week's rate was above this, so a quiet service does
   * not page on noise.
   *
   * @default 1
   */
  readonly throughputBaselineRequestsPerSecond?: number;

  /**
   * ContainerMemoryNearLimit (warning, for 15m): working set as a share of the memory limit, in percent.
   *
   * @default 90
   */
  readonly containerMemoryLimitPercent?: number;

  /**
   * ContainerCpuNearLimit (warning, for 15m): CPU use as a share of the CPU limit, in percent.
   *
   * @default 90
   */
  readonly containerCpuLimitPercent?: number;

  /**
   * PodRestartLoop (warning, for 5m): restarts of one container within 15 minutes.
   *
   * @default 3
   */
  readonly restartLoopRestarts?: number;

  /**
   * PostgresConnectionsHigh (warning, for 10m): connections as a share of max_connections, in percent.
   *
   * @default 80
   */
  readonly postgresConnectionsPercent?: number;

  /**
   * PostgresReplicationLag (warning, for 5m): replica lag, in seconds.
   *
   * @default 30
   */
  readonly postgresReplicationLagSeconds?: number;

  /**
   * PostgresSlowQueries (warning, for 2m): age of the longest active transaction, in seconds.
   *
   * @default 60
   */
  readonly postgresSlowQuerySeconds?: number;

  /**
   * RedisMemoryHigh (warning, for 10m): used memory as a share of maxmemory, in percent.
   *
   * @default 90
   */
  readonly redisMemoryPercent?: number;

  /**
   * RedisTooManyConnections (warning, for 5m): connected clients. ElastiCache allows 65,000.
   *
   * @default 5000
   */
  readonly redisConnectedClients?: number;

  /**
   * RedisEvictions (warning, for 10m): evicted keys per second. The default alerts on any
   * sustained eviction; raise it for a pure cache that is meant to evict.
   *
   * @default 0
   */
  readonly redisEvictionsPerSecond?: number;

  /**
   * NodeDiskSpaceLow (warning, for 10m): free space of a node filesystem, in percent.
   *
   * @default 10
   */
  readonly nodeDiskFreePercent?: number;

  /**
   * NodeMemoryLow (warning, for 10m): available memory of a node, in percent.
   *
   * @default 10
   */
  readonly nodeMemoryAvailablePercent?: number;

  /**
   * CertificateExpiring (warning, for 15m): days before a cert-manager certificate expires.
   * (For ACM certificates, `MonitoringStack.watchCertificate` alarms at the same default.)
   *
   * @default 21
   */
  readonly certificateExpiryWarningDays?: number;

  /**
   * CertificateExpiring (critical, for 15m): days before a cert-manager certificate expires.
   *
   * @default 7
   */
  readonly certificateExpiryCriticalDays?: number;
}

/** Options of a Slack receiver. */
export interface SlackReceiverOptions {
  /** The channel to post to, e.g. `#shop-alerts`. */
  readonly channel: string;

  /**
   * Name of the Secret that holds the incoming webhook URL. The chart never sees the URL.
   * With `AlertRoutingScope.CLUSTER` the Secret lives in the Alertmanager's namespace and
   * Alertmanager reads it from the mounted Secret (`api_url_file`); with
   * `AlertRoutingScope.NAMESPACE` it must live in the app's namespace, where the operator
   * reads it (`apiURL`).
   */
  readonly webhookUrlSecretName: string;

  /**
   * The key of the webhook URL in the Secret.
   *
   * @default "url"
   */
  readonly webhookUrlSecretKey?: string;

  /**
   * Also post when an alert resolves.
   *
   * @default true
   */
  readonly sendResolved?: boolean;
}

/** Options of a PagerDuty receiver. */
export interface PagerDutyReceiverOptions {
  /**
   * Name of the Secret that holds the Events API v2 integration (routing) key. With
   * `AlertRoutingScope.CLUSTER` the Secret lives in the Alertmanager's namespace and
   * Alertmanager reads it from the mounted Secret (`routing_key_file`); with
   * `AlertRoutingScope.NAMESPACE` it must live in the app's namespace, where the operator
   * reads it (`routingKey`).
   */
  readonly routingKeySecretName: string;

  /**
   * The key of the routing key in the Secret.
   *
   * @default "routing-key"
   */
  readonly routingKeySecretKey?: string;

  /**
   * Also resolve the PagerDuty incident when the alert resolves.
   *
   * @default true
   */
  readonly sendResolved?: boolean;
}

/**
 * Where Alertmanager sends notifications. Credentials are referred to by Secret name and
 * key only. In the cluster scope Alertmanager reads them from the Secret mounted at
 * `<secretsMountPath>/<secret name>/<key>`; in the namespace scope the AlertmanagerConfig
 * refers to the Secret's key and the operator reads it from the app's namespace.
 *
 * @example
 * AlertReceiver.pagerDuty('shop-pager', { routingKeySecretName: 'pagerduty-shop' });
 * AlertReceiver.slack('shop-slack', { channel: '#shop-alerts', webhookUrlSecretName: 'slack-webhook' });
 */
export class AlertReceiver {
  /**
   * A Slack receiver.
   *
   * @param name the receiver name, used by routes
   * @see https://prometheus.io/docs/alerting/latest/configuration/#slack_config
   */
  public static slack(name: string, options: SlackReceiverOptions): AlertReceiver {
    return new AlertReceiver(
      name,
      AlertReceiverType.SLACK,
      options.webhookUrlSecretName,
      options.webhookUrlSecretKey ?? 'url',
      options.sendResolved ?? true,
      options.channel,
    );
  }

  /**
   * A PagerDuty receiver (Events API v2).
   *
   * @param name the receiver name, used by routes
   * @see https://prometheus.io/docs/alerting/latest/configuration/#pagerduty_config
   */
  public static pagerDuty(name: string, options: PagerDutyReceiverOptions): AlertReceiver {
    return new AlertReceiver(
      name,
      AlertReceiverType.PAGERDUTY,
      options.routingKeySecretName,
      options.routingKeySecretKey ?? 'routing-key',
      options.sendResolved ?? true,
    );
  }

  /** The receiver name. */
  public readonly name: string;
  /** Slack or PagerDuty. */
  public readonly type: AlertReceiverType;
  /** The Secret that holds the credential. */
  public readonly secretName: string;
  /** The key of the credential in the Secret. */
  public readonly secretKey: string;
  /** Notify on resolution too. */
  public readonly sendResolved: boolean;
  /** The Slack channel (Slack receivers only). */
  public readonly slackChannel?: string;

  private constructor(name: string, type: AlertReceiverType, secretName: string, secretKey: string, sendResolved: boolean, slackChannel?: string) {
    this.name = name;
    this.type = type;
    this.secretName = secretName;
    this.secretKey = secretKey;
    this.sendResolved = sendResolved;
    this.slackChannel = slackChannel;
  }
}

/** A child route of the Alertmanager routing tree: alerts that match go to its receiver. */
export interface AlertRoute {
  /** The receiver name. */
  readonly receiver: string;

  /**
   * Match alerts of this severity.
   *
   * @default - any severity
   */
  readonly severity?: AlertSeverity;

  /**
   * Match alerts of this team (the `team` label).
   *
   * @default - any team
   */
  readonly team?: string;

  /**
   * Keep matching the following routes after this one (to notify several receivers).
   *
   * @default false
   */
  readonly continueMatching?: boolean;

  /**
   * Re-notify a still-firing group after this many hours (1-168).
   *
   * @default - the routing's repeatIntervalHours
   */
  readonly repeatIntervalHours?: number;
}

/**
 * Alertmanager routing: receivers, routes by severity and team, grouping and inhibition.
 *
 * The emitted configuration is meant to be the cluster Alertmanager's whole configuration, so
 * it also takes care of the alerts other charts send to it (kube-prometheus-stack's above all):
 *
 * 1. `Watchdog` and `InfoInhibitor` go to a receiver named `null` that notifies nobody
 *    (first route, no continue). Both fire by design: Watchdog always, as the heartbeat of the
 *    alerting pipeline, and InfoInhibitor only to inhibit info alerts; anywhere else they
 *    would notify every repeat interval, forever. To use Watchdog as a dead man's switch,
 *    route it to a heartbeat service (one that pages when the heartbeats stop) in place of the
 *    `null` route; this chart has no webhook receiver for that yet.
 * 2. Your `routes`, in order.
 * 3. In the cluster's configuration, alerts without a `team` label (kube-prometheus-stack's)
 *    follow the `platformTeam`'s routes, never a service team's pager; what none of those
 *    takes goes to `defaultReceiver`.
 * 4. Critical alerts of a team that no route took go to `defaultCriticalReceiver` (a pager),
 *    so a team without a route still pages someone.
 * 5. Everything else goes to `defaultReceiver`, so no alert is ever dropped.
 *
 * Inhibition: a firing critical alert of this library silences the warnings that carry the
 * same `team` and `inhibitionEqualLabels` (both alerts must carry them all, so alerts of
 * kube-prometheus-stack, which have no team, neither silence nor are silenced), and InfoInhibitor silences the info
 * alerts of its namespace, as kube-prometheus-stack configures it. The name `null` is
 * reserved for the receiver of step 1.
 *
 * **One namespace's routing (`scope: AlertRoutingScope.NAMESPACE`).** The chart writes a
 * prometheus-operator AlertmanagerConfig in the app's namespace in place of the whole
 * configuration, and one other chart (the platform's) writes the whole configuration. The
 * operator merges each selected AlertmanagerConfig into it:
 * - it adds a `namespace="<app namespace>"` matcher to the AlertmanagerConfig's top route and
 *   to both sides of its inhibition rules, so a namespace's routing sees, and inhibits, only
 *   the alerts of that namespace: one service cannot take another's alerts. For that, in this
 *   scope the chart labels its app, PostgreSQL and Redis alerts `namespace: <appNamespace>`
 *   (most have no namespace of their own, or the exporter's); its cluster-wide alerts stay
 *   with the cluster configuration;
 * - it puts that top route before the cluster configuration's routes and forces
 *   `continue: true` on it, so an alert of the namespace goes on through the cluster routes
 *   (prometheus-operator issue 5019), where a matching team route or the critical catch-all
 *   would notify a second time. So the cluster-scope chart of the same cdk8s App sends the
 *   alerts of every namespace-scope chart's namespace to its `null` receiver, right after
 *   Watchdog: each such alert is notified once, by its namespace's routing. Alerts of those
 *   namespaces from kube-prometheus-stack (a crash-looping pod, say) then go to the namespace's
 *   receivers too;
 * - it prefixes the receiver names with `<namespace>/<object name>/`.
 *
 * Kept as in the cluster scope, within the namespace: steps 1 to 4 (step 1 because
 * InfoInhibitor carries the namespace of the info alerts it stands for), grouping, group wait
 * and interval, the repeat interval by environment, and warnings inhibited by a critical alert
 * with the same `service` (both must carry it). Left out, as only the cluster configuration
 * can hold them: the `global` settings (`resolve_timeout`), and the InfoInhibitor inhibition
 * (inhibition rules apply to all alerts whatever their route, so the cluster's covers every
 * namespace). Credentials: each receiver refers to a key of a Secret that must live in the
 * app's namespace (a SecretKeySelector: `apiURL`, `routingKey`); the operator reads it, nothing
 * is mounted, and `secretsMountPath` does not apply. The Alertmanager resource must select the
 * object: `alertmanagerConfigSelector` (put its labels in the chart's
 * `operatorSelectorLabels`) and `alertmanagerConfigNamespaceSelector`. Keep its
 * `alertmanagerConfigMatcherStrategy` at the default (`OnNamespace`): with `None` the operator
 * adds no namespace matcher, and one namespace's routing would take every namespace's alerts.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfig
 * @see https://github.com/prometheus-operator/prometheus-operator/issues/5019
 */
export interface AlertmanagerOptions {
  /** The receivers, at least one, with unique names (not `null`). */
  readonly receivers: AlertReceiver[];

  /**
   * Write the cluster's whole Alertmanager configuration, or only this app's namespace's
   * routing as a prometheus-operator AlertmanagerConfig (operator format only). Within one
   * cdk8s App at most one chart may keep the cluster scope: give the services' charts
   * `AlertRoutingScope.NAMESPACE`.
   *
   * @default AlertRoutingScope.CLUSTER
   * @see https://prometheus-operator.dev/docs/developer/alerting/#using-alertmanagerconfig-resources
   */
  readonly scope?: AlertRoutingScope;

  /**
   * The receiver of every alert that no route takes, so no alert is ever dropped.
   *
   * @default - the first receiver
   */
  readonly defaultReceiver?: string;

  /**
   * The receiver of critical alerts that no route takes: critical alerts of a team without a
   * route of its own, and kube-prometheus-stack's cluster alerts (no `team` label), except in
   * the cluster configuration with a `platformTeam` of its own, where those follow its routes
   * and then go to the `defaultReceiver` (step 3). Name the `defaultReceiver` here to send them
   * there like any other alert.
   *
   * @default - the first PagerDuty receiver; without one, the defaultReceiver
   */
  readonly defaultCriticalReceiver?: string;

  /**
   * Routes, tried in order; the first that matches takes the alert (unless it continues).
   *
   * @default - none: every alert goes to the default receiver
   */
  readonly routes?: AlertRoute[];

  /**
   * Labels that group alerts into one notification.
   *
   * @default ["alertname", "service", "severity"]
   */
  readonly groupBy?: string[];

  /**
   * Wait before the first notification of a new group, to batch its alerts (0-3600).
   *
   * @default 30
   */
  readonly groupWaitSeconds?: number;

  /**
   * Wait before notifying about new alerts in a group already notified (1-1440).
   *
   * @default 5
   */
  readonly groupIntervalMinutes?: number;

  /**
   * Re-notify a still-firing group after this many hours (1-168).
   *
   * @default - 4 in production, 12 otherwise
   */
  readonly repeatIntervalHours?: number;

  /**
   * Labels that must be equal for a firing critical alert to silence a warning. Both alerts
   * must carry each of them: Alertmanager would otherwise count a label missing on both as
   * equal, and a critical alert without a `service` label would silence every warning
   * without one. (`namespace` is not a good choice with this chart's rules: the app's
   * request and availability alerts aggregate it away, while its container alerts keep it.)
   *
   * @default ["service"]
   */
  readonly inhibitionEqualLabels?: string[];

  /**
   * Where the receivers' Secrets are mounted in the Alertmanager pod: Secret `s`, key `k` is
   * read from `<secretsMountPath>/s/k`. The default is where prometheus-operator mounts the
   * Alertmanager resource's `spec.secrets`. Cluster scope only: in the namespace scope the
   * operator reads the Secrets, and setting this is an error.
   *
   * @default "/etc/alertmanager/secrets"
   */
  readonly secretsMountPath?: string;

  /**
   * Name of the object holding the configuration: the Secret (operator format) or ConfigMap
   * (plain format) in the cluster scope, the AlertmanagerConfig in the namespace scope.
   *
   * @default - `<appName>-alertmanager`
   */
  readonly configName?: string;
}


const DEFAULT_NAMESPACE = 'monitoring';
const NAME_LABEL = 'app.kubernetes.io/name';
const DASHBOARD_LABEL = 'grafana_dashboard';
const OPERATOR_API = 'monitoring.coreos.com/v1';
const SEVERITIES = Object.values(AlertSeverity) as string[];
const ADDRESS = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/;
const SLACK_CHANNEL = /^[#@]?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const MOUNT_PATH = /^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/;

/** The chart's props after defaults, validated before the first object. */
interface ResolvedMonitoringProps {
  readonly appName: string;
  readonly platformTeam: string;
  readonly namespace: string;
  readonly appNamespace: string;
  readonly appPortName: string;
  readonly grafanaNamespace: string;
  readonly format: MonitoringFormat;
  readonly routingScope: AlertRoutingScope;
  readonly namespaced: boolean;
  readonly scrapeIntervalSeconds: number;
  readonly operatorLabels: { [key: string]: string };
  readonly alertmanagerAddress: string;
  readonly requestsMetric: string;
  readonly statusCodeLabel: string;
  readonly durationHistogram: string;
  readonly thresholds: ResolvedThresholds;
  readonly clusterMonitoring: boolean;
}

/** The scrape targets after defaults, validated. */
interface ResolvedTargets {
  readonly app: ResolvedTarget;
  readonly postgres?: ResolvedTarget;
  readonly redis?: ResolvedTarget;
  readonly ingress?: ResolvedTarget;
  readonly infrastructure: ResolvedTarget[];
}

/** The labels of the chart's objects. */
function monitoringLabels(appName: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/part-of': appName,
    'app.kubernetes.io/component': 'monitoring',
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
}

/**
 * Prometheus scrape configuration, alert and recording rules, Alertmanager routing and
 * Grafana dashboards for one app, as a cdk8s chart.
 *
 * **Why prometheus-operator resources by default.** Most EKS clusters run Prometheus through
 * kube-prometheus-stack, which already scrapes nodes, kubelets and kube-state-metrics and
 * ships the Grafana sidecar these dashboards are labelled for; ServiceMonitors, a PodMonitor
 * and a PrometheusRule plug into it without touching its configuration. They are namespaced
 * and picked up by label, so each app's chart adds its own monitoring next to the others'
 * (a prometheus.yml is one file per Prometheus: two apps cannot each own it). The
 * PrometheusRule's groups are exactly `rulesYaml`, which promtool checks. Choose
 * `MonitoringFormat.PROMETHEUS_CONFIG` for a Prometheus without the operator (one that reads
 * a mounted ConfigMap, with RBAC to discover endpoints, pods and nodes and to proxy to the
 * kubelets): the same targets then become `prometheusConfigYaml`, delivered with the rule
 * file in one ConfigMap; in that format one chart owns the whole configuration.
 *
 * Alerts (severity, `for`; thresholds are props, see {@link AlertThresholds}):
 * - app: ServiceDown (critical, 2m), HighErrorRate (critical, 5m), HighLatencyP95 (warning,
 *   10m), ThroughputDrop (warning, 15m), ContainerMemoryNearLimit / ContainerCpuNearLimit
 *   (warning, 15m), PodRestartLoop (warning, 5m), HpaAtMaxReplicas (warning, 15m);
 * - with `postgresExporter`: PostgresDown (critical, 2m), PostgresConnectionsHigh,
 *   PostgresReplicationLag, PostgresSlowQueries (warning);
 * - with `redisExporter`: RedisDown (critical, 2m), RedisMemoryHigh,
 *   RedisTooManyConnections, RedisEvictions (warning);
 * - with `clusterMonitoring`: NodeDiskSpaceLow, NodeMemoryLow (warning), CertificateExpiring
 *   (warning, then critical).
 * Every alert carries the labels severity, team, service and environment and the
 * annotations summary, description and runbook_url.
 *
 * Alertmanager: Watchdog and InfoInhibitor to a receiver that notifies nobody, then routes by
 * severity and team, critical alerts that no route takes to a pager, a default receiver for
 * whatever else no route takes, and warnings inhibited while a critical alert fires for the
 * same service (see {@link AlertmanagerOptions}). Credentials stay
 * in Secrets mounted into Alertmanager (`alertmanagerSecretNames`); with the operator, set the
 * Alertmanager resource's `configSecret` to `alertmanagerConfigName` and its `secrets` to
 * `alertmanagerSecretNames`.
 *
 * **Many services, one cluster.** Each service gets its own chart; one of them (or a chart of
 * the platform's) writes the cluster's whole Alertmanager configuration and runs the
 * cluster-wide part (`clusterMonitoring`). The others set `alertmanager.scope:
 * AlertRoutingScope.NAMESPACE` and add their routing as an AlertmanagerConfig in their own
 * namespace. Two charts of one cdk8s App that would both write the whole configuration, or
 * both run the cluster-wide part, are an error at construction. Pass the service's
 * `workload` (its `AppWorkloadChart`) and the chart takes the app's name, namespace and
 * metrics port from it.
 *
 * Metric sources: the app's `/metrics` (http_requests_total, http_request_duration_seconds),
 * kube-state-metrics, the kubelet's cAdvisor, node_exporter, postgres_exporter,
 * redis_exporter and cert-manager. The chart configures Prometheus, Alertmanager and
 * Grafana; it does not install them.
 *
 * Construct IDs: `AlertRules`, `AppMonitor`, `PostgresExporterMonitor`,
 * `RedisExporterMonitor`, `IngressControllerMonitor`, `AnnotatedPodsMonitor` (operator
 * format), `PrometheusConfig` (plain format), `AlertmanagerConfig` (a Secret or ConfigMap, or the
 * AlertmanagerConfig resource in the namespace scope), `ServiceDashboard`,
 * `PostgresDashboard`, `RedisDashboard`. There is no single main object, so no `Resource`.
 *
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/
 */
export class MonitoringChart extends Chart {
  /** File name of the rules in the plain-format ConfigMap, referenced by prometheus.yml. */
  public static readonly RULE_FILE_NAME: string = 'rules.yml';
  /** File name of the Prometheus configuration in the plain-format ConfigMap. */
  public static readonly PROMETHEUS_CONFIG_FILE_NAME: string = 'prometheus.yml';

  /** The format in effect. */
  public readonly format: MonitoringFormat;
  /** The namespace of the monitoring objects (also the chart's default namespace). */
  public readonly monitoringNamespace: string;
  /** The namespace of the app. */
  public readonly appNamespace: string;
  /** The `job` label of the app's metrics. */
  public readonly appJob: string;
  /** The rule file (`groups:`), exactly as the PrometheusRule or the ConfigMap carries it. */
  public readonly rulesYaml: string;
  /**
   * The plain Prometheus configuration for these targets and rules. Emitted (in the
   * `PrometheusConfig` ConfigMap) only in the PROMETHEUS_CONFIG format; with the operator
   * it is the equivalent of what the operator generates from the monitors.
   */
  public readonly prometheusConfigYaml: string;
  private readonly routing: ResolvedRouting;
  /** The namespace scope's AlertmanagerConfig spec, complete at construction. */
  private readonly staticAlertmanagerConfigYaml?: string;
  /** The scope of the Alertmanager configuration in effect. */
  public readonly alertRoutingScope: AlertRoutingScope;
  /**
   * Name of the object holding the Alertmanager configuration: the Secret (operator format)
   * or ConfigMap (plain format) in the cluster scope, the AlertmanagerConfig in the namespace
   * scope.
   */
  public readonly alertmanagerConfigName: string;
  /**
   * Namespace of that object: the monitoring namespace in the cluster scope, the app's
   * namespace in the namespace scope.
   */
  public readonly alertmanagerConfigNamespace: string;
  /**
   * Secrets the receivers read their credentials from. Cluster scope: they must be mounted
   * into Alertmanager (the operator's `spec.secrets`). Namespace scope: they must exist in the
   * app's namespace, where the operator reads them; nothing is mounted.
   */
  public readonly alertmanagerSecretNames: string[];
  /**
   * The keys each of those Secrets must hold, by Secret name: what the receivers read. The deploy
   * plan checks them before it installs kube-prometheus-stack.
   */
  public readonly alertmanagerSecretKeys: { [secretName: string]: string[] };
  /** The labels prometheus-operator selects this chart's objects by (`operatorSelectorLabels`). */
  public readonly operatorSelectorLabels: { [key: string]: string };
  /**
   * The kube-prometheus-stack Helm values that make this chart's objects take effect (cluster
   * scope, operator format; undefined otherwise): Alertmanager reads the chart's Secret
   * (`useExistingSecret`, `configSecret`) and mounts the receivers' Secrets (`secrets`), the
   * operator selects the rules, monitors and services' AlertmanagerConfigs by
   * `operatorSelectorLabels` in every namespace, and what EKS does not expose (scheduler,
   * controller manager, etcd, kube-proxy) is neither scraped nor alerted on. Install the
   * release in `monitoringNamespace` with these values (`helm upgrade --install -f`); merge
   * values of your own over them.
   */
  public readonly kubePrometheusStackValuesYaml?: string;
  /** Whether this chart runs the cluster-wide part (node and certificate alerts, annotated pods). */
  public readonly clusterMonitoring: boolean;
  /** Names of the alerts, in rule order (for runbook coverage checks). */
  public readonly alertNames: string[];
  /** Names of the recorded series. */
  public readonly recordingRuleNames: string[];
  /** Dashboard JSON models by dashboard UID. */
  public readonly dashboardsJson: { [uid: string]: string };

  constructor(scope: Construct, id: string, props: MonitoringChartProps) {
    super(scope, id, { namespace: props.namespace ?? DEFAULT_NAMESPACE });

    // ---- validation: everything before the first object ----
    const resolved = this.resolveProps(props);
    const targets = this.resolveTargets(props, resolved);
    const { routing, alertmanagerConfigName } = this.resolveAlertRouting(props, resolved);

    // ---- build the data ----
    const { groups, prometheusConfig, dashboards } = this.buildData(props, resolved, targets);
    const allRules = groups.flatMap((g) => g.rules);
    const { namespace, appNamespace, format, namespaced, operatorLabels } = resolved;

    this.format = format;
    this.monitoringNamespace = namespace;
    this.appNamespace = appNamespace;
    this.appJob = targets.app.job;
    this.rulesYaml = Yaml.stringify({ groups });
    this.prometheusConfigYaml = Yaml.stringify(prometheusConfig);
    const alertmanagerConfig = namespaced ? buildAlertmanagerConfigSpec(routing) : undefined;
    this.routing = routing;
    this.staticAlertmanagerConfigYaml = alertmanagerConfig === undefined ? undefined : Yaml.stringify(alertmanagerConfig);
    this.alertRoutingScope = resolved.routingScope;
    this.alertmanagerConfigName = alertmanagerConfigName;
    this.alertmanagerConfigNamespace = namespaced ? appNamespace : namespace;
    this.clusterMonitoring = resolved.clusterMonitoring;
    this.alertmanagerSecretNames = [...new Set(routing.receivers.map((r) => r.secretName))];
    this.alertmanagerSecretKeys = Object.fromEntries(
      this.alertmanagerSecretNames.map((name) => [name, [...new Set(routing.receivers.filter((r) => r.secretName === name).map((r) => r.secretKey))]]),
    );
    this.operatorSelectorLabels = { ...operatorLabels };
    this.kubePrometheusStackValuesYaml =
      !namespaced && format === MonitoringFormat.PROMETHEUS_OPERATOR
        ? Yaml.stringify(
            kubePrometheusStackValues({
              alertmanagerConfigSecret: alertmanagerConfigName,
              alertmanagerSecrets: this.alertmanagerSecretNames,
              selectorLabels: operatorLabels,
            }),
          )
        : undefined;
    this.alertNames = allRules.filter(isAlertingRule).map((r) => r.alert);
    this.recordingRuleNames = allRules.flatMap((r) => (isAlertingRule(r) ? [] : [r.record]));
    this.dashboardsJson = Object.fromEntries(dashboards.map((d) => [d.uid, JSON.stringify(d.model, undefined, 2)]));

    // ---- the Kubernetes objects ----
    if (format === MonitoringFormat.PROMETHEUS_OPERATOR) {
      this.createOperatorObjects(resolved, targets, groups, alertmanagerConfig);
    } else {
      this.createPrometheusConfigObjects(resolved);
    }
    this.createDashboards(resolved, dashboards);
  }

  /** Every prop checked and given its default, in the order of the errors: before the first object. */
  private resolveProps(props: MonitoringChartProps): ResolvedMonitoringProps {
    const names = this.resolveNames(props);
    const { format, routingScope, namespaced } = this.resolveFormat(props);
    const scrapeIntervalSeconds = props.scrapeIntervalSeconds ?? 30;
    checkInteger(this, 'scrapeIntervalSeconds', scrapeIntervalSeconds, 5, 300);
    const operatorLabels = props.operatorSelectorLabels ?? {};
    if (Object.keys(operatorLabels).length > 0) checkMatchLabels(this, 'operatorSelectorLabels', operatorLabels);
    const alertmanagerAddress = props.alertmanagerAddress ?? `alertmanager.${names.namespace}.svc:9093`;
    checkLiteral(this, 'alertmanagerAddress', alertmanagerAddress);
    if (!ADDRESS.test(alertmanagerAddress)) {
      invalidProp(this, 'alertmanagerAddress', 'be host:port, e.g. "alertmanager.monitoring.svc:9093"', alertmanagerAddress);
    }

    const http = props.httpMetrics ?? {};
    const requestsMetric = http.requestsTotal ?? 'http_requests_total';
    const statusCodeLabel = http.statusCodeLabel ?? 'status';
    const durationHistogram = http.durationHistogram ?? 'http_request_duration_seconds';
    checkMetricName(this, 'httpMetrics.requestsTotal', requestsMetric);
    checkPromLabelName(this, 'httpMetrics.statusCodeLabel', statusCodeLabel);
    checkMetricName(this, 'httpMetrics.durationHistogram', durationHistogram);
    if (durationHistogram.endsWith('_bucket')) {
      invalidProp(this, 'httpMetrics.durationHistogram', 'be the histogram name without the _bucket suffix', durationHistogram);
    }

    const thresholds = this.resolveThresholds(props.thresholds ?? {});

    // A service's chart (namespace scope) leaves the cluster-wide part to the platform's.
    const clusterMonitoring = props.clusterMonitoring ?? !namespaced;
    return {
      ...names,
      format,
      routingScope,
      namespaced,
      scrapeIntervalSeconds,
      operatorLabels,
      alertmanagerAddress,
      requestsMetric,
      statusCodeLabel,
      durationHistogram,
      thresholds,
      clusterMonitoring,
    };
  }

  /** The app, its teams and environment, and the namespaces: the workload's where it knows them. */
  private resolveNames(
    props: MonitoringChartProps,
  ): Pick<ResolvedMonitoringProps, 'appName' | 'platformTeam' | 'namespace' | 'appNamespace' | 'appPortName' | 'grafanaNamespace'> {
    const workload = props.workload;
    checkLiteralDnsLabel(this, 'appName', props.appName, 40);
    checkLiteralDnsLabel(this, 'workload.appName', workload?.appName, 40);
    const appName = this.agreeWithWorkload('appName', props.appName, 'workload.appName', workload?.appName);
    if (appName === undefined) {
      invalidProp(this, 'appName', "be given when there is no workload to take it from (pass workload: the app's AppWorkloadChart, or appName)", appName);
    }
    checkSelectorLabelValue(this, 'team', props.team);
    const platformTeam = props.platformTeam ?? props.team;
    checkSelectorLabelValue(this, 'platformTeam', platformTeam);
    if (!Object.values(EnvironmentTier).includes(props.environment)) {
      invalidProp(this, 'environment', `be one of ${Object.values(EnvironmentTier).join(', ')}`, props.environment);
    }
    checkLiteral(this, 'runbookBaseUrl', props.runbookBaseUrl);
    if (!RUNBOOK_BASE_URL.test(props.runbookBaseUrl)) {
      invalidProp(this, 'runbookBaseUrl', 'be an https:// URL without query or fragment, e.g. "https://runbooks.example.com/shop"', props.runbookBaseUrl);
    }
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    checkLiteralDnsLabel(this, 'namespace', namespace);
    checkLiteralDnsLabel(this, 'appNamespace', props.appNamespace);
    checkLiteralDnsLabel(this, 'workload.namespaceName', workload?.namespaceName);
    const appNamespace = this.agreeWithWorkload('appNamespace', props.appNamespace, 'workload.namespaceName', workload?.namespaceName) ?? appName;
    checkLiteralDnsLabel(this, 'workload.metricsPortName', workload?.metricsPortName);
    const appPortName = this.agreeWithWorkload('appMetrics.portName', props.appMetrics?.portName, 'workload.metricsPortName', workload?.metricsPortName) ?? 'http';
    this.checkPrometheusAdmitted(
      'workload.metricsScraperNamespaces',
      workload?.metricsScraperNamespaces,
      namespace,
      `the workload's NetworkPolicies admit only these namespaces to its metrics port "${appPortName}", so Prometheus could not scrape the app and ServiceDown would fire`,
      'An AppWorkloadChart admits it with metricsNamespaces (with a metricsPort) or allowedIngressNamespaces (without one)',
    );
    const grafanaNamespace = props.grafanaNamespace ?? namespace;
    checkLiteralDnsLabel(this, 'grafanaNamespace', grafanaNamespace);
    return { appName, platformTeam, namespace, appNamespace, appPortName, grafanaNamespace };
  }

  /** The output format and the scope of the Alertmanager configuration, which must fit together. */
  private resolveFormat(props: MonitoringChartProps): Pick<ResolvedMonitoringProps, 'format' | 'routingScope' | 'namespaced'> {
    const format = props.format ?? MonitoringFormat.PROMETHEUS_OPERATOR;
    if (!Object.values(MonitoringFormat).includes(format)) {
      invalidProp(this, 'format', `be one of ${Object.values(MonitoringFormat).join(', ')}`, format);
    }
    const routingScope = props.alertmanager.scope ?? AlertRoutingScope.CLUSTER;
    if (!Object.values(AlertRoutingScope).includes(routingScope)) {
      invalidProp(this, 'alertmanager.scope', `be one of ${Object.values(AlertRoutingScope).join(', ')}`, routingScope);
    }
    const namespaced = routingScope === AlertRoutingScope.NAMESPACE;
    if (namespaced && format !== MonitoringFormat.PROMETHEUS_OPERATOR) {
      invalidProp(
        this,
        'alertmanager.scope',
        `be AlertRoutingScope.CLUSTER with format MonitoringFormat.${format} (the namespace scope writes an AlertmanagerConfig, ` +
          'a prometheus-operator resource: use format MonitoringFormat.PROMETHEUS_OPERATOR for it; without the operator, one chart writes the whole alertmanager.yml)',
        routingScope,
      );
    }
    if (namespaced && props.alertmanager.secretsMountPath !== undefined) {
      invalidProp(
        this,
        'alertmanager.secretsMountPath',
        "be left out with alertmanager.scope AlertRoutingScope.NAMESPACE (the operator reads the receivers' Secrets from the app's namespace; nothing is mounted)",
        props.alertmanager.secretsMountPath,
      );
    }
    return { format, routingScope, namespaced };
  }

  /** What Prometheus scrapes: the app, the optional exporters and the cluster's own sources. */
  private resolveTargets(props: MonitoringChartProps, resolved: ResolvedMonitoringProps): ResolvedTargets {
    const { appName, namespace } = resolved;
    const app = this.resolveTarget('appMetrics', props.appMetrics ?? {}, {
      job: appName,
      namespace: resolved.appNamespace,
      matchLabels: { [NAME_LABEL]: appName },
      portName: resolved.appPortName,
    });
    const postgres =
      props.postgresExporter &&
      this.resolveTarget('postgresExporter', props.postgresExporter, {
        job: `${appName}-postgres-exporter`,
        namespace,
        matchLabels: { [NAME_LABEL]: 'prometheus-postgres-exporter' },
        portName: 'http',
      });
    const redis =
      props.redisExporter &&
      this.resolveTarget('redisExporter', props.redisExporter, {
        job: `${appName}-redis-exporter`,
        namespace,
        matchLabels: { [NAME_LABEL]: 'prometheus-redis-exporter' },
        portName: 'redis-exporter',
      });
    const ingress =
      props.ingressController &&
      this.resolveTarget('ingressController', props.ingressController, {
        job: 'ingress-controller',
        namespace: 'ingress-nginx',
        matchLabels: { [NAME_LABEL]: 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
        portName: 'metrics',
      });
    const infrastructure = [
      this.resolveTarget('nodeExporter', props.nodeExporter ?? {}, {
        job: 'node-exporter',
        namespace,
        matchLabels: { [NAME_LABEL]: 'prometheus-node-exporter' },
        portName: 'metrics',
        nodeLabel: true,
      }),
      this.resolveTarget('kubeStateMetrics', props.kubeStateMetrics ?? {}, {
        job: 'kube-state-metrics',
        namespace,
        matchLabels: { [NAME_LABEL]: 'kube-state-metrics' },
        portName: 'http',
        honorLabels: true,
      }),
      this.resolveTarget('certManager', props.certManager ?? {}, {
        job: 'cert-manager',
        namespace: 'cert-manager',
        matchLabels: { [NAME_LABEL]: 'cert-manager', 'app.kubernetes.io/component': 'controller' },
        portName: 'tcp-prometheus-servicemonitor',
        honorLabels: true,
      }),
    ];
    const named: Array<[string, ScrapeTarget | undefined, ResolvedTarget | undefined]> = [
      ['appMetrics', props.appMetrics, app],
      ['postgresExporter', props.postgresExporter, postgres],
      ['redisExporter', props.redisExporter, redis],
      ['ingressController', props.ingressController, ingress],
    ];
    for (const [property, given, target] of named) {
      if (given === undefined || target === undefined) continue;
      this.checkPrometheusAdmitted(
        `${property}.admittedNamespaces`,
        given.admittedNamespaces,
        namespace,
        `the target's NetworkPolicies admit only these namespaces to its metrics port "${target.portName}", so Prometheus could not scrape ${target.namespace}/${target.job}`,
        property === 'postgresExporter' ? 'A DatabaseJobsChart admits it with metricsNamespaces' : "Admit it in the target's NetworkPolicies",
      );
    }
    return { app, postgres, redis, ingress, infrastructure };
  }

  /**
   * Fails synth when the NetworkPolicies of something the chart scrapes keep Prometheus's
   * namespace (the chart's) from its metrics port: the scrape would be dropped, and the
   * target's down alert would fire from the first deploy.
   */
  private checkPrometheusAdmitted(property: string, admitted: string[] | undefined, namespace: string, consequence: string, howToAdmit: string): void {
    if (admitted === undefined || !isLiteral(admitted) || admitted.includes(namespace)) return;
    invalidProp(this, property, `include Prometheus's namespace "${namespace}" (this chart's namespace): ${consequence}. ${howToAdmit}`, admitted);
  }

  /** The Alertmanager routing and where it is written; no competing chart, and a warning when critical alerts page nobody. */
  private resolveAlertRouting(props: MonitoringChartProps, resolved: ResolvedMonitoringProps): { routing: ResolvedRouting; alertmanagerConfigName: string } {
    const { appName, platformTeam, namespaced } = resolved;
    const resolvedRouting = this.resolveRouting(props.alertmanager, props.environment);
    // The cluster's configuration hands alerts without a team (kube-prometheus-stack's) to the
    // platform team's routes; a namespace's AlertmanagerConfig sees its own namespace only.
    // With no platform team of its own the chart's team owns them, as it owns everything.
    const routing: ResolvedRouting = namespaced || platformTeam === props.team ? resolvedRouting : { ...resolvedRouting, platformTeam };
    const alertmanagerConfigName = props.alertmanager.configName ?? `${appName}-alertmanager`;
    checkLiteralDnsSubdomain(this, 'alertmanager.configName', alertmanagerConfigName);
    this.checkNoCompetingChart(resolved.routingScope, resolved.clusterMonitoring);
    const teams = !namespaced && platformTeam !== props.team ? [props.team, platformTeam] : [props.team];
    for (const team of teams) this.warnWhenCriticalIsNotPaged(routing, team, props.environment);
    this.warnWhenWarningsArePaged(routing, teams);
    return { routing, alertmanagerConfigName };
  }

  /** The rule groups, the plain Prometheus configuration and the dashboards. */
  private buildData(
    props: MonitoringChartProps,
    resolved: ResolvedMonitoringProps,
    targets: ResolvedTargets,
  ): { groups: RuleGroup[]; prometheusConfig: object; dashboards: Dashboard[] } {
    const { appName, appNamespace, thresholds } = resolved;
    const ruleContext: RuleContext = {
      appName,
      appNamespace,
      appJob: targets.app.job,
      team: props.team,
      platformTeam: resolved.platformTeam,
      environment: props.environment,
      runbookBaseUrl: props.runbookBaseUrl.replace(/\/+$/, ''),
      requestsMetric: resolved.requestsMetric,
      statusCodeLabel: resolved.statusCodeLabel,
      durationHistogram: resolved.durationHistogram,
      postgresJob: targets.postgres?.job,
      redisJob: targets.redis?.job,
      clusterRules: resolved.clusterMonitoring,
      // A namespace's AlertmanagerConfig sees only the alerts labelled with its namespace.
      alertNamespace: resolved.namespaced ? appNamespace : undefined,
      thresholds,
    };
    const groups = buildRuleGroups(ruleContext);
    const scrapeTargets = [targets.app, targets.postgres, targets.redis, targets.ingress].filter((t): t is ResolvedTarget => t !== undefined);
    const prometheusConfig = buildPrometheusConfig({
      scrapeIntervalSeconds: resolved.scrapeIntervalSeconds,
      ruleFileName: MonitoringChart.RULE_FILE_NAME,
      alertmanagerAddress: resolved.alertmanagerAddress,
      targets: [...scrapeTargets, ...targets.infrastructure],
      clusterJobs: true,
    });
    const dashboards = buildDashboards({
      appName,
      appNamespace,
      appJob: targets.app.job,
      environment: props.environment,
      postgresJob: targets.postgres?.job,
      redisJob: targets.redis?.job,
      thresholds,
    });
    return { groups, prometheusConfig, dashboards };
  }

  /** An object's metadata in the monitoring namespace, with the chart's labels (plus `extra`). */
  private objectMetadata(resolved: ResolvedMonitoringProps, name: string, extra: { [key: string]: string } = {}): { name: string; namespace: string; labels: { [key: string]: string } } {
    return { name, namespace: resolved.namespace, labels: { ...monitoringLabels(resolved.appName), ...extra } };
  }

  /** The prometheus-operator format: the PrometheusRule, the monitors and the Alertmanager configuration. */
  private createOperatorObjects(resolved: ResolvedMonitoringProps, targets: ResolvedTargets, groups: RuleGroup[], alertmanagerConfig: object | undefined): void {
    const { appName, operatorLabels, scrapeIntervalSeconds } = resolved;
    const alertmanagerConfigName = this.alertmanagerConfigName;
    new ApiObject(this, 'AlertRules', {
      apiVersion: OPERATOR_API,
      kind: 'PrometheusRule',
      metadata: this.objectMetadata(resolved, `${appName}-rules`, operatorLabels),
      spec: { groups },
    });
    const monitors: Array<[string, ResolvedTarget | undefined, string]> = [
      ['AppMonitor', targets.app, appName],
      ['PostgresExporterMonitor', targets.postgres, `${appName}-postgres-exporter`],
      ['RedisExporterMonitor', targets.redis, `${appName}-redis-exporter`],
      ['IngressControllerMonitor', targets.ingress, `${appName}-ingress-controller`],
    ];
    for (const [monitorId, target, name] of monitors) {
      if (!target) continue;
      new ApiObject(this, monitorId, {
        apiVersion: OPERATOR_API,
        kind: 'ServiceMonitor',
        metadata: this.objectMetadata(resolved, name, operatorLabels),
        spec: serviceMonitorSpec(target, scrapeIntervalSeconds),
      });
    }
    if (resolved.clusterMonitoring) {
      new ApiObject(this, 'AnnotatedPodsMonitor', {
        apiVersion: OPERATOR_API,
        kind: 'PodMonitor',
        metadata: this.objectMetadata(resolved, `${appName}-annotated-pods`, operatorLabels),
        spec: annotatedPodMonitorSpec(scrapeIntervalSeconds),
      });
    }
    if (resolved.namespaced) {
      // The app namespace's part of the configuration: the operator merges it into the
      // cluster's and reads the receivers' Secrets from this namespace.
      new ApiObject(this, 'AlertmanagerConfig', {
        apiVersion: ALERTMANAGER_CONFIG_API,
        kind: 'AlertmanagerConfig',
        metadata: { ...this.objectMetadata(resolved, alertmanagerConfigName, operatorLabels), namespace: resolved.appNamespace },
        spec: alertmanagerConfig,
      });
    } else {
      // prometheus-operator reads the Alertmanager configuration from a Secret (key
      // alertmanager.yaml). It holds no credential: receivers read theirs from mounted Secrets.
      new ApiObject(this, 'AlertmanagerConfig', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: this.objectMetadata(resolved, alertmanagerConfigName),
        type: 'Opaque',
        // Rendered at synth: it silences the namespaces that route their own alerts, whichever
        // charts of this app are declared after this one.
        stringData: { 'alertmanager.yaml': Lazy.any({ produce: () => this.alertmanagerConfigYaml }) },
      });
    }
  }

  /** The plain format: prometheus.yml and the rule file in one ConfigMap, alertmanager.yml in another. */
  private createPrometheusConfigObjects(resolved: ResolvedMonitoringProps): void {
    new ApiObject(this, 'PrometheusConfig', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: this.objectMetadata(resolved, `${resolved.appName}-prometheus`),
      data: {
        [MonitoringChart.PROMETHEUS_CONFIG_FILE_NAME]: this.prometheusConfigYaml,
        [MonitoringChart.RULE_FILE_NAME]: this.rulesYaml,
      },
    });
    new ApiObject(this, 'AlertmanagerConfig', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: this.objectMetadata(resolved, this.alertmanagerConfigName),
      data: { 'alertmanager.yml': Lazy.any({ produce: () => this.alertmanagerConfigYaml }) },
    });
  }

  /** The dashboards, as ConfigMaps for the Grafana sidecar. */
  private createDashboards(resolved: ResolvedMonitoringProps, dashboards: Dashboard[]): void {
    const appName = resolved.appName;
    const dashboardIds: { [key: string]: string } = { service: 'ServiceDashboard', postgresql: 'PostgresDashboard', redis: 'RedisDashboard' };
    for (const d of dashboards) {
      new ApiObject(this, dashboardIds[d.key], {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `${appName}-dashboard-${d.key}`,
          namespace: resolved.grafanaNamespace,
          // The Grafana sidecar (kube-prometheus-stack, grafana chart) loads ConfigMaps with this label.
          labels: { ...monitoringLabels(appName), [DASHBOARD_LABEL]: '1' },
        },
        data: { [`${appName}-${d.key}.json`]: this.dashboardsJson[d.uid] },
      });
    }
  }
  private resolveThresholds(t: AlertThresholds): ResolvedThresholds {
    const percent = (property: string, value: number | undefined, fallback: number) => {
      checkNumberAbove(this, `thresholds.${property}`, value, 0, 100);
      return value ?? fallback;
    };
    const positive = (property: string, value: number | undefined, fallback: number, max: number) => {
      checkNumberAbove(this, `thresholds.${property}`, value, 0, max);
      return value ?? fallback;
    };
    const nonNegative = (property: string, value: number | undefined, fallback: number, max: number) => {
      checkNumberInRange(this, `thresholds.${property}`, value, 0, max);
      return value ?? fallback;
    };
    const throughputDrop = t.throughputDropPercent ?? 50;
    checkNumberInRange(this, 'thresholds.throughputDropPercent', t.throughputDropPercent, 1, 99);
    const restarts = t.restartLoopRestarts ?? 3;
    checkInteger(this, 'thresholds.restartLoopRestarts', t.restartLoopRestarts, 1, 100);
    const clients = t.redisConnectedClients ?? 5000;
    checkInteger(this, 'thresholds.redisConnectedClients', t.redisConnectedClients, 1, 65000);
    const warningDays = t.certificateExpiryWarningDays ?? CERTIFICATE_DEFAULTS.expiryWarningDays;
    const criticalDays = t.certificateExpiryCriticalDays ?? CERTIFICATE_DEFAULTS.expiryCriticalDays;
    checkInteger(this, 'thresholds.certificateExpiryWarningDays', t.certificateExpiryWarningDays, 2, 365);
    checkInteger(this, 'thresholds.certificateExpiryCriticalDays', t.certificateExpiryCriticalDays, 1, 364);
    if (criticalDays >= warningDays) {
      invalidCombination(
        this,
        `thresholds.certificateExpiryCriticalDays (${criticalDays}) must be less than thresholds.certificateExpiryWarningDays (${warningDays})`,
      );
    }
    return {
      errorRatePercent: percent('errorRatePercent', t.errorRatePercent, 5),
      errorRateMinimumRequestsPerSecond: nonNegative('errorRateMinimumRequestsPerSecond', t.errorRateMinimumRequestsPerSecond, 0.1, 1e9),
      latencyP95Seconds: positive('latencyP95Seconds', t.latencyP95Seconds, 2, 3600),
      throughputDropPercent: throughputDrop,
      throughputBaselineRequestsPerSecond: nonNegative('throughputBaselineRequestsPerSecond', t.throughputBaselineRequestsPerSecond, 1, 1e9),
      containerMemoryLimitPercent: percent('containerMemoryLimitPercent', t.containerMemoryLimitPercent, 90),
      containerCpuLimitPercent: percent('containerCpuLimitPercent', t.containerCpuLimitPercent, 90),
      restartLoopRestarts: restarts,
      postgresConnectionsPercent: percent('postgresConnectionsPercent', t.postgresConnectionsPercent, 80),
      postgresReplicationLagSeconds: positive('postgresReplicationLagSeconds', t.postgresReplicationLagSeconds, 30, 86400),
      postgresSlowQuerySeconds: positive('postgresSlowQuerySeconds', t.postgresSlowQuerySeconds, 60, 86400),
      redisMemoryPercent: percent('redisMemoryPercent', t.redisMemoryPercent, 90),
      redisConnectedClients: clients,
      redisEvictionsPerSecond: nonNegative('redisEvictionsPerSecond', t.redisEvictionsPerSecond, 0, 1e9),
      nodeDiskFreePercent: percent('nodeDiskFreePercent', t.nodeDiskFreePercent, 10),
      nodeMemoryAvailablePercent: percent('nodeMemoryAvailablePercent', t.nodeMemoryAvailablePercent, 10),
      certificateExpiryWarningDays: warningDays,
      certificateExpiryCriticalDays: criticalDays,
    };
  }

  private resolveTarget(
    property: string,
    given: ScrapeTarget,
    defaults: { job: string; namespace: string; matchLabels: { [key: string]: string }; portName: string; honorLabels?: boolean; nodeLabel?: boolean },
  ): ResolvedTarget {
    const target: ResolvedTarget = {
      job: defaults.job,
      namespace: given.namespace ?? defaults.namespace,
      matchLabels: given.serviceLabels ?? defaults.matchLabels,
      portName: given.portName ?? defaults.portName,
      path: given.path ?? '/metrics',
      honorLabels: defaults.honorLabels ?? false,
      nodeLabel: defaults.nodeLabel ?? false,
    };
    checkLiteralDnsLabel(this, `${property}.namespace`, target.namespace);
    checkMatchLabels(this, `${property}.serviceLabels`, target.matchLabels);
    checkLiteralDnsLabel(this, `${property}.portName`, target.portName);
    checkHttpPath(this, `${property}.path`, target.path, { query: false });
    return target;
  }

  private resolveRouting(options: AlertmanagerOptions, environment: EnvironmentTier): ResolvedRouting {
    const resolvedReceivers = this.resolveReceivers(options.receivers ?? []);
    const names = resolvedReceivers.map((r) => r.name);
    const receiverRule = `name one of the receivers (${names.join(', ')})`;

    const defaultReceiver = options.defaultReceiver ?? names[0];
    if (!names.includes(defaultReceiver)) {
      invalidProp(this, 'alertmanager.defaultReceiver', receiverRule, defaultReceiver);
    }
    const defaultCriticalReceiver =
      options.defaultCriticalReceiver ?? resolvedReceivers.find((r) => r.type === 'pagerduty')?.name ?? defaultReceiver;
    if (!names.includes(defaultCriticalReceiver)) {
      invalidProp(this, 'alertmanager.defaultCriticalReceiver', receiverRule, defaultCriticalReceiver);
    }

    const routes = this.resolveRoutes(options.routes ?? [], names, receiverRule);
    const grouping = this.resolveGrouping(options, environment);
    const inhibitionEqualLabels = options.inhibitionEqualLabels ?? ['service'];
    if (inhibitionEqualLabels.length === 0) {
      invalidProp(this, 'alertmanager.inhibitionEqualLabels', 'list at least one label (with none, any critical alert would silence every warning)', inhibitionEqualLabels);
    }
    inhibitionEqualLabels.forEach((label, i) => checkPromLabelName(this, `alertmanager.inhibitionEqualLabels[${i}]`, label));
    const secretsMountPath = options.secretsMountPath ?? '/etc/alertmanager/secrets';
    checkLiteral(this, 'alertmanager.secretsMountPath', secretsMountPath);
    if (!MOUNT_PATH.test(secretsMountPath)) {
      invalidProp(this, 'alertmanager.secretsMountPath', "be an absolute path without a trailing '/'", secretsMountPath);
    }

    return {
      defaultReceiver,
      criticalReceiver: defaultCriticalReceiver === defaultReceiver ? undefined : defaultCriticalReceiver,
      receivers: resolvedReceivers,
      routes,
      ...grouping,
      inhibitionEqualLabels,
      secretsMountPath,
    };
  }

  private resolveReceivers(receivers: AlertReceiver[]): ResolvedReceiver[] {
    if (receivers.length === 0) {
      invalidProp(this, 'alertmanager.receivers', 'contain at least one receiver, so alerts reach a person', receivers);
    }
    const seen = new Set<string>();
    return receivers.map((r, i) => {
      const at = `alertmanager.receivers[${i}]`;
      checkSelectorLabelValue(this, `${at}.name`, r.name);
      if (r.name === NULL_RECEIVER) {
        invalidProp(this, `${at}.name`, `not be "${NULL_RECEIVER}", the receiver without integrations that takes Watchdog and InfoInhibitor`, r.name);
      }
      if (seen.has(r.name)) {
        invalidProp(this, `${at}.name`, 'be unique among the receivers', r.name);
      }
      seen.add(r.name);
      if (!Object.values(AlertReceiverType).includes(r.type)) {
        invalidProp(this, `${at}.type`, `be one of ${Object.values(AlertReceiverType).join(', ')}`, r.type);
      }
      // The options as the consumer wrote them: AlertReceiver.slack(name, { webhookUrlSecretName })
      // or AlertReceiver.pagerDuty(name, { routingKeySecretName }).
      const credential = r.type === AlertReceiverType.PAGERDUTY ? 'routingKey' : 'webhookUrl';
      checkLiteralDnsSubdomain(this, `${at}.${credential}SecretName`, r.secretName);
      checkConfigKey(this, `${at}.${credential}SecretKey`, r.secretKey);
      if (r.type === AlertReceiverType.SLACK) {
        checkLiteral(this, `${at}.channel`, r.slackChannel);
        if (r.slackChannel === undefined || !SLACK_CHANNEL.test(r.slackChannel)) {
          invalidProp(this, `${at}.channel`, 'be a Slack channel such as "#shop-alerts" (letters, digits, ".", "_" and "-")', r.slackChannel);
        }
      }
      return {
        name: r.name,
        type: r.type === AlertReceiverType.SLACK ? 'slack' : 'pagerduty',
        secretName: r.secretName,
        secretKey: r.secretKey,
        channel: r.slackChannel,
        sendResolved: r.sendResolved,
      };
    });
  }

  private resolveRoutes(routes: AlertRoute[], names: string[], receiverRule: string): ResolvedRoute[] {
    return routes.map((route, i) => {
      const at = `alertmanager.routes[${i}]`;
      if (!names.includes(route.receiver)) {
        invalidProp(this, `${at}.receiver`, receiverRule, route.receiver);
      }
      if (route.severity !== undefined && !SEVERITIES.includes(route.severity)) {
        invalidProp(this, `${at}.severity`, `be one of ${SEVERITIES.join(', ')}`, route.severity);
      }
      if (route.team !== undefined) checkSelectorLabelValue(this, `${at}.team`, route.team);
      checkInteger(this, `${at}.repeatIntervalHours`, route.repeatIntervalHours, 1, 168);
      return {
        receiver: route.receiver,
        severity: route.severity,
        team: route.team,
        continueMatching: route.continueMatching ?? false,
        repeatIntervalHours: route.repeatIntervalHours,
      };
    });
  }

  /** How alerts are grouped and repeated: the labels, the waits, the repeat interval. */
  private resolveGrouping(
    options: AlertmanagerOptions,
    environment: EnvironmentTier,
  ): Pick<ResolvedRouting, 'groupBy' | 'groupWaitSeconds' | 'groupIntervalMinutes' | 'repeatIntervalHours'> {
    const groupBy = options.groupBy ?? ['alertname', 'service', 'severity'];
    if (groupBy.length === 0) {
      invalidProp(this, 'alertmanager.groupBy', 'list at least one label (or ["..."] to group by all labels)', groupBy);
    }
    if (!(groupBy.length === 1 && groupBy[0] === '...')) {
      groupBy.forEach((label, i) => checkPromLabelName(this, `alertmanager.groupBy[${i}]`, label));
    }
    if (new Set(groupBy).size !== groupBy.length) {
      invalidProp(this, 'alertmanager.groupBy', 'list each label once (Alertmanager refuses a duplicated label)', groupBy);
    }
    const groupWaitSeconds = options.groupWaitSeconds ?? 30;
    checkInteger(this, 'alertmanager.groupWaitSeconds', groupWaitSeconds, 0, 3600);
    const groupIntervalMinutes = options.groupIntervalMinutes ?? 5;
    checkInteger(this, 'alertmanager.groupIntervalMinutes', groupIntervalMinutes, 1, 1440);
    const repeatIntervalHours = options.repeatIntervalHours ?? (environment === EnvironmentTier.PRODUCTION ? 4 : 12);
    checkInteger(this, 'alertmanager.repeatIntervalHours', repeatIntervalHours, 1, 168);
    if (repeatIntervalHours * 60 < groupIntervalMinutes) {
      invalidCombination(
        this,
        `alertmanager.repeatIntervalHours (${repeatIntervalHours}h) must not be shorter than alertmanager.groupIntervalMinutes (${groupIntervalMinutes}m)`,
      );
    }
    return { groupBy, groupWaitSeconds, groupIntervalMinutes, repeatIntervalHours };
  }

  /**
   * A value the workload knows too: the workload's unless one is given, and then the two must
   * agree, since the workload's objects carry the workload's.
   */
  private agreeWithWorkload(property: string, given: string | undefined, workloadProperty: string, fromWorkload: string | undefined): string | undefined {
    if (given !== undefined && fromWorkload !== undefined && given !== fromWorkload) {
      invalidProp(this, property, `equal ${workloadProperty} ${describeValue(fromWorkload)}, or be left out to take it from the workload`, given);
    }
    return given ?? fromWorkload;
  }

  /**
   * The Alertmanager configuration, exactly as emitted: the whole alertmanager.yml in the
   * cluster scope; in the namespace scope the `spec` of the AlertmanagerConfig (which the
   * operator converts, so it is not an alertmanager.yml). In the cluster scope it is complete once every
   * chart of the cdk8s App is declared: alerts of the namespaces whose charts route their own
   * (AlertRoutingScope.NAMESPACE) go to the `null` receiver here, since those charts notify for
   * them and the operator lets such alerts fall through to these routes too.
   */
  public get alertmanagerConfigYaml(): string {
    if (this.staticAlertmanagerConfigYaml !== undefined) return this.staticAlertmanagerConfigYaml;
    return Yaml.stringify(buildAlertmanagerConfig(this.routing, this.delegatedNamespaces()));
  }

  /** Namespaces of the charts in this cdk8s App that route their own alerts. */
  private delegatedNamespaces(): string[] {
    const charts = findConstructsOfType(this.node.root, MonitoringChart).filter((c) => c !== this);
    return [...new Set(charts.filter((c) => c.alertRoutingScope === AlertRoutingScope.NAMESPACE).map((c) => c.alertmanagerConfigNamespace))];
  }

  /**
   * One cdk8s App holds one cluster's manifests. Two charts writing the whole Alertmanager
   * configuration would compete for the one Alertmanager (only one can be its configSecret),
   * and two running the cluster-wide part would scrape the annotated pods and fire the node
   * and certificate alerts twice.
   */
  private checkNoCompetingChart(routingScope: AlertRoutingScope, clusterMonitoring: boolean): void {
    const others = findConstructsOfType(this.node.root, MonitoringChart).filter((c) => c !== this);
    const writer = others.find((c) => c.alertRoutingScope === AlertRoutingScope.CLUSTER);
    if (routingScope === AlertRoutingScope.CLUSTER && writer !== undefined) {
      const kind = writer.format === MonitoringFormat.PROMETHEUS_OPERATOR ? 'Secret' : 'ConfigMap';
      invalidProp(
        this,
        'alertmanager.scope',
        `be AlertRoutingScope.NAMESPACE here: ${constructLabel(writer)} of the same cdk8s App already writes the cluster's whole ` +
          `Alertmanager configuration (${kind} ${writer.alertmanagerConfigNamespace}/${writer.alertmanagerConfigName}), and a second one would compete with it. ` +
          "Keep the cluster scope on one chart and set alertmanager.scope: AlertRoutingScope.NAMESPACE on the services' charts, " +
          'so each adds its routing as an AlertmanagerConfig in its own namespace',
        routingScope,
      );
    }
    const clusterPart = others.find((c) => c.clusterMonitoring);
    if (clusterMonitoring && clusterPart !== undefined) {
      invalidProp(
        this,
        'clusterMonitoring',
        `be false here: ${constructLabel(clusterPart)} of the same cdk8s App already runs the cluster-wide part (node and certificate ` +
          'alerts, the scrape of annotated pods), which would otherwise run and alert twice. Keep clusterMonitoring on in one chart and set ' +
          "clusterMonitoring: false on the others (the default with alertmanager.scope: AlertRoutingScope.NAMESPACE)",
        clusterMonitoring,
      );
    }
  }

  /**
   * In production a critical alert of the app's team should page someone: warn when the
   * routing sends it to Slack only.
   */
  private warnWhenCriticalIsNotPaged(routing: ResolvedRouting, team: string, environment: EnvironmentTier): void {
    if (environment !== EnvironmentTier.PRODUCTION) return;
    const receivers = this.receiversOfAlert(routing, team, AlertSeverity.CRITICAL);
    const paged = routing.receivers.some((r) => receivers.includes(r.name) && r.type === 'pagerduty');
    if (!paged) {
      reportFinding(
        this,
        MON_CRITICAL_NOT_PAGED,
        `critical alerts of team ${team} go to ${receivers.join(', ')}, which pages nobody; ` +
          'route severity critical to a PagerDuty receiver',
      );
    }
  }

  /**
   * A warning should not page anyone, in any environment: warn when the routing sends warnings
   * to a PagerDuty receiver, those of the chart's teams and those without a team label
   * (kube-prometheus-stack's, the most numerous). The default receiver is the first one listed.
   */
  private warnWhenWarningsArePaged(routing: ResolvedRouting, teams: string[]): void {
    const pagers = new Set(routing.receivers.filter((r) => r.type === 'pagerduty').map((r) => r.name));
    const alerts: Array<[string, string | undefined]> = [...teams.map((team): [string, string] => [`team ${team}`, team]), ['no team label', undefined]];
    const paged = alerts
      .map(([label, team]) => ({ label, receivers: this.receiversOfAlert(routing, team, AlertSeverity.WARNING).filter((r) => pagers.has(r)) }))
      .filter((a) => a.receivers.length > 0);
    if (paged.length > 0) {
      reportFinding(
        this,
        MON_WARNINGS_PAGED,
        `warnings (${paged.map((a) => `${a.label}: ${a.receivers.join(', ')}`).join('; ')}) go to PagerDuty, so each of them pages someone; ` +
          'set alertmanager.defaultReceiver to a chat or email receiver, or route severity warning to one',
      );
    }
  }

  /** The receivers an alert of this team (undefined: without a team label) and severity reaches. */
  private receiversOfAlert(routing: ResolvedRouting, team: string | undefined, severity: AlertSeverity): string[] {
    return receiversOf(routing, { severity, ...(team === undefined ? {} : { team }) });
  }
}
