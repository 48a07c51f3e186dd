/**
 * The Alertmanager routing of the monitoring chart, as plain data. One routing model (the
 * routes, the critical catch-all, the inhibition of warnings by critical alerts, what a
 * notification says) is rendered two ways:
 * - the cluster's whole `alertmanager.yml` (what `amtool check-config` reads), where each
 *   receiver reads its webhook URL or routing key from a file of a mounted Secret
 *   (`api_url_file`, `routing_key_file`);
 * - the `spec` of a prometheus-operator `AlertmanagerConfig` (monitoring.coreos.com/v1alpha1)
 *   for one namespace, where each receiver names a key of a Secret in that namespace
 *   (`apiURL`, `routingKey`) and the operator reads it.
 * Credentials are never values in either.
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
  /**
   * The team that owns alerts without a `team` label (kube-prometheus-stack's): they follow
   * this team's routes. Set for the cluster's configuration only.
   */
  readonly platformTeam?: string;
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

// ---- the routing model: what both renderings say ----

/** A label matcher: `name="value"` in alertmanager.yml, `{ name, value, matchType }` in an AlertmanagerConfig. */
interface LabelMatcher {
  readonly name: string;
  readonly matchType: '=' | '=~';
  readonly value: string;
}

/** A child route of the routing tree. */
interface RouteNode {
  readonly receiver: string;
  readonly matchers: LabelMatcher[];
  readonly repeatIntervalHours?: number;
  readonly continueMatching: boolean;
  readonly routes?: RouteNode[];
}

/** An inhibition rule: a firing `source` alert silences the `target` alerts with `equal` labels. */
interface InhibitionRule {
  readonly source: LabelMatcher[];
  readonly target: LabelMatcher[];
  readonly equal: string[];
}

const equals = (name: string, value: string): LabelMatcher => ({ name, matchType: '=', value });

function routeNode(route: ResolvedRoute): RouteNode {
  const matchers: LabelMatcher[] = [];
  if (route.severity !== undefined) matchers.push(equals('severity', route.severity));
  if (route.team !== undefined) matchers.push(equals('team', route.team));
  return { receiver: route.receiver, matchers, repeatIntervalHours: route.repeatIntervalHours, continueMatching: route.continueMatching };
}

/**
 * The routes of the chart below the root, in order: the consumer's routes, then the critical
 * catch-all. The catch-all comes last so that a critical alert no team route took
 * (kube-prometheus-stack's cluster alerts carry no team label, nor does a team's alert whose
 * team has no route) still pages.
 */
function chartRoutes(routing: ResolvedRouting): RouteNode[] {
  return [
    ...routing.routes.map(routeNode),
    ...(routing.criticalReceiver !== undefined
      ? [routeNode({ receiver: routing.criticalReceiver, severity: 'critical', continueMatching: false })]
      : []),
  ];
}

/**
 * Alerts without a `team` label (kube-prometheus-stack's cluster alerts) belong to the platform
 * team: they follow its routes, never a service team's pager, and whatever none of them takes
 * goes to the default receiver. First among the chart's routes, so a route without a team
 * matcher does not take them for a service team.
 */
function unownedRoute(routing: ResolvedRouting): RouteNode[] {
  if (routing.platformTeam === undefined) return [];
  const platformRoutes = routing.routes.filter((route) => route.team === routing.platformTeam).map((route) => routeNode({ ...route, team: undefined }));
  return [{ receiver: routing.defaultReceiver, matchers: [equals('team', '')], continueMatching: false, routes: platformRoutes }];
}

/**
 * The receivers an alert with these labels reaches through the chart's routing, as Alertmanager
 * routes it: the first child route whose matchers all match takes it (and its own children are
 * tried in turn), the next ones only while a matching route says `continue`; the route's own
 * receiver when none of its children matches. Walks the same route nodes both renderings
 * write, so the checks follow what is deployed. The null route of namespaces that route their
 * own alerts is left out: it takes only those namespaces' alerts.
 */
export function receiversOf(routing: ResolvedRouting, labels: { [name: string]: string }): string[] {
  const root: RouteNode = {
    receiver: routing.defaultReceiver,
    matchers: [],
    continueMatching: false,
    routes: [SILENT_ROUTE, ...unownedRoute(routing), ...chartRoutes(routing)],
  };
  return receiversBelow(root, labels);
}

function receiversBelow(node: RouteNode, labels: { [name: string]: string }): string[] {
  const reached: string[] = [];
  for (const child of node.routes ?? []) {
    if (!child.matchers.every((m) => matchesLabel(m, labels[m.name] ?? ''))) continue;
    reached.push(...receiversBelow(child, labels));
    if (!child.continueMatching) break;
  }
  return reached.length > 0 ? reached : [node.receiver];
}

/** Alertmanager's matcher semantics: a missing label is the empty string; `=~` is anchored. */
function matchesLabel(matcher: LabelMatcher, value: string): boolean {
  return matcher.matchType === '=' ? value === matcher.value : new RegExp(`^(?:${matcher.value})$`).test(value);
}

/** The labels a critical alert and a warning must share for the one to silence the other. */
export function inhibitionLabels(routing: ResolvedRouting): string[] {
  return [...new Set(['team', ...routing.inhibitionEqualLabels])];
}

/**
 * A firing critical alert silences the warnings of the same team and `inhibitionEqualLabels`
 * (service by default). Both must carry every one of them: Alertmanager treats a label missing
 * on both alerts as equal, and prometheus-operator gives every scraped target a `service` label
 * (its Service's name), so on `service` alone one kube-state-metrics critical would silence the
 * warnings of every namespace. Only this library's alerts carry `team`.
 */
function warningsInhibitedByCritical(routing: ResolvedRouting): InhibitionRule {
  const labels = inhibitionLabels(routing);
  const present = labels.map((label): LabelMatcher => ({ name: label, matchType: '=~', value: '.+' }));
  return {
    source: [equals('severity', 'critical'), ...present],
    target: [equals('severity', 'warning'), ...present],
    equal: labels,
  };
}

/** Grouping and timing of the routing's root. */
function rootTiming(routing: ResolvedRouting) {
  return {
    groupBy: routing.groupBy,
    groupWait: `${routing.groupWaitSeconds}s`,
    groupInterval: `${routing.groupIntervalMinutes}m`,
    repeatInterval: `${routing.repeatIntervalHours}h`,
  };
}

/**
 * The heartbeat alerts must never reach a person's receiver: first route, without continue.
 * Needed in a namespace too: InfoInhibitor carries the namespace of the info alerts it stands
 * for, so a namespace's route sees it.
 */
const SILENT_ROUTE: RouteNode = {
  receiver: NULL_RECEIVER,
  matchers: [{ name: 'alertname', matchType: '=~', value: SILENT_ALERTS.join('|') }],
  continueMatching: false,
};

const SLACK_MESSAGE = {
  title:
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
    '{{ .CommonLabels.alertname }} ({{ .CommonLabels.service }}, {{ .CommonLabels.environment }})',
  text: [
    '{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}',
    '{{ .Annotations.description }}',
    'Runbook: {{ .Annotations.runbook_url }}',
    '{{ end }}',
  ].join('\n'),
};

const PAGERDUTY_EVENT = {
  // Our severities (critical, warning) are PagerDuty Events v2 severities too.
  severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
  description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
};

// ---- rendering 1: the cluster's whole alertmanager.yml ----

/**
 * kube-prometheus-stack's pairing for InfoInhibitor: info alerts stay quiet unless a warning
 * or critical alert fires in the same namespace (then InfoInhibitor resolves).
 */
const INFO_INHIBITED: InhibitionRule = {
  source: [equals('alertname', 'InfoInhibitor')],
  target: [equals('severity', 'info')],
  equal: ['namespace'],
};

const matcherString = (m: LabelMatcher): string => `${m.name}${m.matchType}"${m.value}"`;

function fileRoute(node: RouteNode): object {
  return {
    receiver: node.receiver,
    ...(node.matchers.length > 0 ? { matchers: node.matchers.map(matcherString) } : {}),
    ...(node.repeatIntervalHours !== undefined ? { repeat_interval: `${node.repeatIntervalHours}h` } : {}),
    continue: node.continueMatching,
    ...(node.routes !== undefined && node.routes.length > 0 ? { routes: node.routes.map(fileRoute) } : {}),
  };
}

function fileInhibitRule(rule: InhibitionRule): object {
  return { source_matchers: rule.source.map(matcherString), target_matchers: rule.target.map(matcherString), equal: rule.equal };
}

function fileReceiver(receiver: ResolvedReceiver, mountPath: string): object {
  const file = secretFilePath(mountPath, receiver.secretName, receiver.secretKey);
  if (receiver.type === 'slack') {
    return {
      name: receiver.name,
      slack_configs: [{ api_url_file: file, channel: receiver.channel, send_resolved: receiver.sendResolved, ...SLACK_MESSAGE }],
    };
  }
  return {
    name: receiver.name,
    pagerduty_configs: [{ routing_key_file: file, send_resolved: receiver.sendResolved, ...PAGERDUTY_EVENT }],
  };
}

/** The whole alertmanager.yml as an object. */
export function buildAlertmanagerConfig(routing: ResolvedRouting, delegatedNamespaces: string[] = []): object {
  const timing = rootTiming(routing);
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // The root route matches every alert: whatever no child route takes goes to the
      // default receiver, so no alert is dropped.
      receiver: routing.defaultReceiver,
      group_by: timing.groupBy,
      group_wait: timing.groupWait,
      group_interval: timing.groupInterval,
      repeat_interval: timing.repeatInterval,
      routes: [SILENT_ROUTE, ...delegatedRoute(delegatedNamespaces), ...unownedRoute(routing), ...chartRoutes(routing)].map(fileRoute),
    },
    inhibit_rules: [warningsInhibitedByCritical(routing), INFO_INHIBITED].map(fileInhibitRule),
    receivers: [...routing.receivers.map((r) => fileReceiver(r, routing.secretsMountPath)), { name: NULL_RECEIVER }],
  };
}

/**
 * The alerts of namespaces that route their own (an AlertmanagerConfig each): the operator puts
 * those routes first and forces `continue: true` on them, so without this route the cluster's
 * routes would notify a second time (two pages for one critical alert).
 */
function delegatedRoute(namespaces: string[]): RouteNode[] {
  if (namespaces.length === 0) return [];
  return [{ receiver: NULL_RECEIVER, matchers: [{ name: 'namespace', matchType: '=~', value: [...namespaces].sort().join('|') }], continueMatching: false }];
}

// ---- rendering 2: a namespace's AlertmanagerConfig (monitoring.coreos.com/v1alpha1) ----

/** API version of the namespaced routing resource. */
export const ALERTMANAGER_CONFIG_API = 'monitoring.coreos.com/v1alpha1';

// matchType "=" is the CRD's default and is left out: a bare `=` in YAML is the `value` tag to
// YAML 1.1 parsers (PyYAML, and the scanners built on it), which then refuse the file.
const resourceMatcher = (m: LabelMatcher): object => (m.matchType === '=' ? { name: m.name, value: m.value } : { name: m.name, value: m.value, matchType: m.matchType });

function resourceRoute(node: RouteNode): object {
  return {
    receiver: node.receiver,
    ...(node.matchers.length > 0 ? { matchers: node.matchers.map(resourceMatcher) } : {}),
    ...(node.repeatIntervalHours !== undefined ? { repeatInterval: `${node.repeatIntervalHours}h` } : {}),
    continue: node.continueMatching,
  };
}

function resourceInhibitRule(rule: InhibitionRule): object {
  return { sourceMatch: rule.source.map(resourceMatcher), targetMatch: rule.target.map(resourceMatcher), equal: rule.equal };
}

function resourceReceiver(receiver: ResolvedReceiver): object {
  // A SecretKeySelector: the operator reads the key of this Secret in the AlertmanagerConfig's
  // own namespace and writes the value into the configuration it generates.
  const secret = { name: receiver.secretName, key: receiver.secretKey };
  if (receiver.type === 'slack') {
    return {
      name: receiver.name,
      slackConfigs: [{ apiURL: secret, channel: receiver.channel, sendResolved: receiver.sendResolved, ...SLACK_MESSAGE }],
    };
  }
  return {
    name: receiver.name,
    pagerdutyConfigs: [{ routingKey: secret, sendResolved: receiver.sendResolved, ...PAGERDUTY_EVENT }],
  };
}

/**
 * The `spec` of an AlertmanagerConfig with the chart's routing. The operator makes its route
 * a first-level route of the cluster configuration, adds `namespace="<its namespace>"` to the
 * route's and the inhibition rule's matchers and sets `continue: true` on the route. What only
 * the cluster configuration can hold stays out: `global` settings, and the InfoInhibitor
 * pairing (inhibition rules apply to every alert whatever its route, so the cluster's covers
 * every namespace already).
 */
export function buildAlertmanagerConfigSpec(routing: ResolvedRouting): object {
  return {
    route: {
      // Takes every alert of the namespace that no child route takes: none is dropped.
      receiver: routing.defaultReceiver,
      ...rootTiming(routing),
      routes: [SILENT_ROUTE, ...chartRoutes(routing)].map(resourceRoute),
    },
    receivers: [...routing.receivers.map(resourceReceiver), { name: NULL_RECEIVER }],
    inhibitRules: [warningsInhibitedByCritical(routing)].map(resourceInhibitRule),
  };
}
