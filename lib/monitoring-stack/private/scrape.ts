/**
 * Scrape configuration of the monitoring chart, built once from a list of targets and
 * rendered two ways: a plain prometheus.yml (`scrape_configs` with Kubernetes service
 * discovery) and prometheus-operator ServiceMonitor / PodMonitor specs. Both give every
 * target the same `job` label, so the rules work unchanged with either.
 */

/** Where the in-pod service account credentials are (used to scrape the kubelet through the API server). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A Service whose endpoints are scraped. */
export interface ResolvedTarget {
  /** The `job` label of its series. */
  readonly job: string;
  readonly namespace: string;
  readonly matchLabels: { [key: string]: string };
  readonly portName: string;
  readonly path: string;
  /**
   * Keep the target's own `namespace` / `pod` labels (kube-state-metrics and cert-manager
   * describe other objects with them), instead of labelling series with the target pod.
   */
  readonly honorLabels: boolean;
  /** Add a `node` label from the endpoint's node (node-exporter). */
  readonly nodeLabel: boolean;
}

/** RE2 needs `.`, `+`, ... escaped to match a label value literally. */
function literalRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `app.kubernetes.io/name` → `app_kubernetes_io_name`, as Kubernetes SD names its meta labels. */
function metaLabelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** A `scrape_configs` entry for a Service's endpoints. */
function serviceEndpointsJob(target: ResolvedTarget): object {
  const relabel: object[] = [
    ...Object.entries(target.matchLabels).map(([key, value]) => ({
      source_labels: [`__meta_kubernetes_service_label_${metaLabelName(key)}`],
      action: 'keep',
      regex: literalRegex(value),
    })),
    {
      source_labels: ['__meta_kubernetes_endpoint_port_name'],
      action: 'keep',
      regex: literalRegex(target.portName),
    },
  ];
  if (!target.honorLabels) {
    relabel.push(
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    );
  }
  if (target.nodeLabel) {
    relabel.push({ source_labels: ['__meta_kubernetes_endpoint_node_name'], target_label: 'node' });
  }
  return {
    job_name: target.job,
    metrics_path: target.path,
    ...(target.honorLabels ? { honor_labels: true } : {}),
    kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [target.namespace] } }],
    relabel_configs: relabel,
  };
}

/** Relabelings that turn the `prometheus.io/*` pod annotations into a target (both renderings). */
function annotatedPodRelabelings(style: 'config' | 'operator'): object[] {
  const rules = [
    { source: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
    { source: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: 'Pending|Succeeded|Failed' },
    { source: ['__meta_kubernetes_pod_annotation_prometheus_io_scheme'], action: 'replace', regex: '(https?)', target: '__scheme__' },
    { source: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', regex: '(.+)', target: '__metrics_path__' },
    {
      // IPv6 pod address (EKS IPv6 clusters) needs brackets.
      source: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
      action: 'replace',
      regex: '(\\d+);(.*:.*)',
      replacement: '[$2]:$1',
      target: '__address__',
    },
    {
      source: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
      action: 'replace',
      regex: '(\\d+);([^:]+)',
      replacement: '$2:$1',
      target: '__address__',
    },
    { source: ['__meta_kubernetes_namespace'], action: 'replace', target: 'namespace' },
    { source: ['__meta_kubernetes_pod_name'], action: 'replace', target: 'pod' },
  ];
  return rules.map((r) =>
    style === 'config'
      ? {
          source_labels: r.source,
          action: r.action,
          ...(r.regex !== undefined ? { regex: r.regex } : {}),
          ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
          ...(r.target !== undefined ? { target_label: r.target } : {}),
        }
      : {
          sourceLabels: r.source,
          action: r.action,
          ...(r.regex !== undefined ? { regex: r.regex } : {}),
          ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
          ...(r.target !== undefined ? { targetLabel: r.target } : {}),
        },
  );
}

/** Job name of pods discovered by annotation. */
export const ANNOTATED_PODS_JOB = 'kubernetes-pods';
/** Job name of the kubelet's cAdvisor metrics (container CPU and memory). */
export const CADVISOR_JOB = 'kubelet-cadvisor';

/** What the plain prometheus.yml contains. */
export interface PrometheusConfigInput {
  readonly scrapeIntervalSeconds: number;
  readonly ruleFileName: string;
  readonly alertmanagerAddress: string;
  readonly targets: ResolvedTarget[];
  /** Cluster-wide jobs: annotated pods and the kubelet's cAdvisor. */
  readonly clusterJobs: boolean;
}

/** The whole prometheus.yml as an object. */
export function buildPrometheusConfig(input: PrometheusConfigInput): object {
  const interval = input.scrapeIntervalSeconds;
  const scrapeConfigs: object[] = input.targets.map(serviceEndpointsJob);
  if (input.clusterJobs) {
    scrapeConfigs.push(
      {
        job_name: ANNOTATED_PODS_JOB,
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: annotatedPodRelabelings('config'),
      },
      {
        // Through the API server proxy, so Prometheus needs no network path to the kubelets.
        job_name: CADVISOR_JOB,
        scheme: 'https',
        tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
        authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
        kubernetes_sd_configs: [{ role: 'node' }],
        relabel_configs: [
          { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
          {
            source_labels: ['__meta_kubernetes_node_name'],
            regex: '(.+)',
            target_label: '__metrics_path__',
            replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor',
          },
          { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
        ],
      },
    );
  }
  return {
    global: {
      scrape_interval: `${interval}s`,
      scrape_timeout: `${Math.min(10, interval)}s`,
      evaluation_interval: `${interval}s`,
    },
    // Relative to this file: both are keys of the same ConfigMap, mounted in one directory.
    rule_files: [input.ruleFileName],
    alerting: {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [input.alertmanagerAddress] }] }],
    },
    scrape_configs: scrapeConfigs,
  };
}

/** The spec of a ServiceMonitor for a target. */
export function serviceMonitorSpec(target: ResolvedTarget, scrapeIntervalSeconds: number): object {
  return {
    namespaceSelector: { matchNames: [target.namespace] },
    selector: { matchLabels: target.matchLabels },
    endpoints: [
      {
        port: target.portName,
        path: target.path,
        interval: `${scrapeIntervalSeconds}s`,
        ...(target.honorLabels ? { honorLabels: true } : {}),
        // The operator names the job after the Service; the rules expect our job name.
        relabelings: [
          { targetLabel: 'job', replacement: target.job, action: 'replace' },
          ...(target.nodeLabel ? [{ sourceLabels: ['__meta_kubernetes_endpoint_node_name'], targetLabel: 'node', action: 'replace' }] : []),
        ],
      },
    ],
  };
}

/** The spec of the PodMonitor for pods that ask to be scraped with `prometheus.io/scrape: "true"`. */
export function annotatedPodMonitorSpec(scrapeIntervalSeconds: number): object {
  return {
    namespaceSelector: { any: true },
    selector: {},
    podMetricsEndpoints: [
      {
        interval: `${scrapeIntervalSeconds}s`,
        relabelings: [
          ...annotatedPodRelabelings('operator'),
          { targetLabel: 'job', replacement: ANNOTATED_PODS_JOB, action: 'replace' },
          // The operator labels each target with its container, and the pod role finds a target
          // per container: a pod with a sidecar would be scraped once per container (on the one
          // annotated port), and every sum would count it twice. Without the label the targets
          // are identical, and Prometheus keeps one.
          { action: 'labeldrop', regex: 'container' },
        ],
      },
    ],
  };
}
