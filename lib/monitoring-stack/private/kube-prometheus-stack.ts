/**
 * The kube-prometheus-stack Helm values that make the chart's cluster-scope objects take
 * effect: without them the operator ignores our Alertmanager Secret (it generates its own
 * configuration), mounts none of the receivers' Secrets, and selects only the Helm release's
 * own rules and monitors. They also turn off what EKS does not expose, whose alerts would
 * otherwise fire forever (KubeSchedulerDown, KubeControllerManagerDown, etcd, kube-proxy).
 *
 * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml
 */
export interface KubePrometheusStackInput {
  /** The Secret with `alertmanager.yaml`, in the release's namespace. */
  readonly alertmanagerConfigSecret: string;
  /** Secrets mounted at /etc/alertmanager/secrets/<name>, where the configuration reads receiver credentials. */
  readonly alertmanagerSecrets: string[];
  /** Labels our PrometheusRules, monitors and AlertmanagerConfigs carry, that the operator selects by. */
  readonly selectorLabels: { [key: string]: string };
}

/** Control-plane components EKS runs out of reach of in-cluster scraping. */
const EKS_HIDDEN_COMPONENTS = ['kubeScheduler', 'kubeControllerManager', 'kubeEtcd', 'kubeProxy'];
/** Their default rule groups in kube-prometheus-stack. */
const EKS_HIDDEN_RULE_GROUPS = ['etcd', 'kubeSchedulerAlerting', 'kubeSchedulerRecording', 'kubeControllerManager', 'kubeProxy'];

export function kubePrometheusStackValues(input: KubePrometheusStackInput): object {
  const selector = { matchLabels: input.selectorLabels };
  return {
    alertmanager: {
      alertmanagerSpec: {
        // Our Secret is the whole configuration: the chart's own `alertmanager.config` is ignored.
        useExistingSecret: true,
        configSecret: input.alertmanagerConfigSecret,
        secrets: input.alertmanagerSecrets,
        // The services' namespaced routing, each limited to its namespace.
        alertmanagerConfigSelector: selector,
        alertmanagerConfigNamespaceSelector: {},
        alertmanagerConfigMatcherStrategy: { type: 'OnNamespace' },
      },
    },
    prometheus: {
      prometheusSpec: {
        // Select by our labels in every namespace, not only the release's own objects.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelector: selector,
        serviceMonitorSelector: selector,
        podMonitorSelector: selector,
        ruleNamespaceSelector: {},
        serviceMonitorNamespaceSelector: {},
        podMonitorNamespaceSelector: {},
      },
    },
    ...Object.fromEntries(EKS_HIDDEN_COMPONENTS.map((component) => [component, { enabled: false }])),
    defaultRules: { rules: Object.fromEntries(EKS_HIDDEN_RULE_GROUPS.map((group) => [group, false])) },
  };
}
