/**
 * The Alertmanager configuration of the monitoring chart, as plain data (what `amtool
 * check-config` reads). Credentials are never values: each receiver reads its webhook URL
 * or routing key from a file of a mounted Secret (`api_url_file`, `routing_key_file`).
 */

/** A receiver after validation. */
export interface ResolvedReceiver {
  readonly name: string;
  readonly type: 'slack' | 'pagerduty';
  readonly secretName: string;
  readonly secretKey: string;
  readonly channel?: string;
  readonly sendResolved: boolean;
}

/** A route after validation. */
export interface ResolvedRoute {
  readonly receiver: string;
  readonly severity?: string;
  readonly team?: string;
  readonly continueMatching: boolean;
  readonly repeatIntervalHours?: number;
}

/** Routing after defaults. */
export interface ResolvedRouting {
  readonly defaultReceiver: string;
  /**
   * The receiver of critical alerts that no route takes; undefined when that is the default
   * receiver anyway (no route is emitted then).
   */
  readonly criticalReceiver?: string;
  readonly receivers: ResolvedReceiver[];
  readonly routes: ResolvedRoute[];
  readonly groupBy: string[];
  readonly groupWaitSeconds: number;
  readonly groupIntervalMinutes: number;
  readonly repeatIntervalHours: number;
  readonly inhibitionEqualLabels: string[];
  readonly secretsMountPath: string;
}

/**
 * The receiver without integrations: what it takes, nobody is told. The name is the one
 * kube-prometheus-stack uses for the same purpose, so it reads familiar in the Alertmanager UI.
 */
export const NULL_RECEIVER = 'null';

/**
 * Alerts that fire by design and carry no news: kube-prometheus-stack's Watchdog (always
 * firing, the heartbeat of the alerting pipeline) and InfoInhibitor (firing while an info
 * alert fires, only to inhibit it). Sent anywhere but the null receiver they notify every
 * repeat interval, forever.
 */
export const SILENT_ALERTS = ['Watchdog', 'InfoInhibitor'];

/** Where Alertmanager finds a key of a mounted Secret (the prometheus-operator layout). */
export function secretFilePath(mountPath: string, secretName: string, key: string): string {
  return `${mountPath}/${secretName}/${key}`;
}

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
  '{{ .CommonLabels.alertname }} ({{ .CommonLabels.service }}, {{ .CommonLabels.environment }})';

const SLACK_TEXT = [
  '{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}',
  '{{ .Annotations.description }}',
  'Runbook: {{ .Annotations.runbook_url }}',
  '{{ end }}',
].join('\n');

function receiverConfig(receiver: ResolvedReceiver, mountPath: string): object {
  const file = secretFilePath(mountPath, receiver.secretName, receiver.secretKey);
  if (receiver.type === 'slack') {
    return {
      name: receiver.name,
      slack_configs: [
        {
          api_url_file: file,
          channel: receiver.channel,
          send_resolved: receiver.sendResolved,
          title: SLACK_TITLE,
          text: SLACK_TEXT,
        },
      ],
    };
  }
  return {
    name: receiver.name,
    pagerduty_configs: [
      {
        routing_key_file: file,
        send_resolved: receiver.sendResolved,
        // Our severities (critical, warning) are PagerDuty Events v2 severities too.
        severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
        description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
      },
    ],
  };
}

function routeConfig(route: ResolvedRoute): object {
  const matchers: string[] = [];
  if (route.severity !== undefined) matchers.push(`severity="${route.severity}"`);
  if (route.team !== undefined) matchers.push(`team="${route.team}"`);
  return {
    receiver: route.receiver,
    ...(matchers.length > 0 ? { matchers } : {}),
    ...(route.repeatIntervalHours !== undefined ? { repeat_interval: `${route.repeatIntervalHours}h` } : {}),
    continue: route.continueMatching,
  };
}

/** The whole alertmanager.yml as an object. */
export function buildAlertmanagerConfig(routing: ResolvedRouting): object {
  const routes = [
    // First, and without continue: the heartbeat alerts must never reach a person's receiver.
    { receiver: NULL_RECEIVER, matchers: [`alertname=~"${SILENT_ALERTS.join('|')}"`], continue: false },
    ...routing.routes.map(routeConfig),
    // Last: a critical alert that no team route took (kube-prometheus-stack's cluster alerts
    // carry no team label, nor does a team's alert whose team has no route) still pages.
    ...(routing.criticalReceiver !== undefined
      ? [routeConfig({ receiver: routing.criticalReceiver, severity: 'critical', continueMatching: false })]
      : []),
  ];
  // Alertmanager treats a label missing on both alerts as equal, so without these matchers any
  // critical alert without a service label would silence every warning without one.
  const present = routing.inhibitionEqualLabels.map((label) => `${label}=~".+"`);
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // The root route matches every alert: whatever no child route takes goes to the
      // default receiver, so no alert is dropped.
      receiver: routing.defaultReceiver,
      group_by: routing.groupBy,
      group_wait: `${routing.groupWaitSeconds}s`,
      group_interval: `${routing.groupIntervalMinutes}m`,
      repeat_interval: `${routing.repeatIntervalHours}h`,
      routes,
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"', ...present],
        target_matchers: ['severity="warning"', ...present],
        equal: routing.inhibitionEqualLabels,
      },
      {
        // kube-prometheus-stack's pairing for InfoInhibitor: info alerts stay quiet unless a
        // warning or critical alert fires in the same namespace (then InfoInhibitor resolves).
        source_matchers: ['alertname="InfoInhibitor"'],
        target_matchers: ['severity="info"'],
        equal: ['namespace'],
      },
    ],
    receivers: [...routing.receivers.map((r) => receiverConfig(r, routing.secretsMountPath)), { name: NULL_RECEIVER }],
  };
}
