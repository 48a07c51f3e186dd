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
  readonly receivers: ResolvedReceiver[];
  readonly routes: ResolvedRoute[];
  readonly groupBy: string[];
  readonly groupWaitSeconds: number;
  readonly groupIntervalMinutes: number;
  readonly repeatIntervalHours: number;
  readonly inhibitionEqualLabels: string[];
  readonly secretsMountPath: string;
}

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
      ...(routing.routes.length > 0 ? { routes: routing.routes.map(routeConfig) } : {}),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: routing.inhibitionEqualLabels,
      },
    ],
    receivers: routing.receivers.map((r) => receiverConfig(r, routing.secretsMountPath)),
  };
}
