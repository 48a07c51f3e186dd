/**
 * Many services, one cluster: each service's MonitoringChart adds its own Alertmanager routing
 * (AlertRoutingScope.NAMESPACE) next to the one chart that writes the cluster's whole
 * configuration, charts of one cdk8s App never compete, and a chart takes its app's names from
 * the workload it monitors.
 */
import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { AppWorkloadChart } from '../../lib/app-cluster/workload-chart';
import { AppWorkloadChartProps } from '../../lib/app-cluster/workload-chart-props';
import { EnvironmentTier } from '../../lib/core';
import {
  AlertReceiver,
  AlertRoutingScope,
  AlertSeverity,
  IMonitoredWorkload,
  MonitoringChart,
  MonitoringChartProps,
  MonitoringFormat,
} from '../../lib/monitoring-stack';
import { testPlatform } from '../support/platform';
import { warningsOf } from '../support/util';
import { productionChart, productionProps, RECEIVERS, SHOP_ROUTING } from './fixtures/production-chart';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

const OPERATOR_RESOURCES = [
  'monitoring.coreos.com/v1 ServiceMonitor',
  'monitoring.coreos.com/v1 PodMonitor',
  'monitoring.coreos.com/v1 PrometheusRule',
  'monitoring.coreos.com/v1alpha1 AlertmanagerConfig',
];

/** The production fixture with the shop's routing (or the routing given) for one namespace. */
function namespacedProps(overrides: Partial<MonitoringChartProps> = {}): MonitoringChartProps {
  const base = productionProps();
  return { ...base, ...overrides, alertmanager: { scope: AlertRoutingScope.NAMESPACE, ...(overrides.alertmanager ?? SHOP_ROUTING) } };
}

function synthOf(chart: MonitoringChart): any[] {
  return Testing.synth(chart);
}

function alertmanagerConfigOf(manifests: any[]): any {
  const found = manifests.filter((m) => m.kind === 'AlertmanagerConfig');
  expect(found).toHaveLength(1);
  return found[0];
}

function alertsOf(chart: MonitoringChart): any[] {
  return YAML.parse(chart.rulesYaml).groups.flatMap((g: any) => g.rules.filter((r: any) => r.alert));
}

// matchType "=" is the CRD default and left out of the emitted objects.
const matcher = (name: string, value: string, matchType = '=') => (matchType === '=' ? { name, value } : { name, value, matchType });
const SILENT_ROUTE = { receiver: 'null', matchers: [matcher('alertname', 'Watchdog|InfoInhibitor', '=~')], continue: false };

/**
 * Fields of prometheus-operator's monitoring.coreos.com/v1alpha1 AlertmanagerConfig, from
 * pkg/apis/monitoring/v1alpha1/alertmanager_config_types.go (the CRD's openAPIV3Schema), for
 * the objects this chart writes. A key outside these lists is dropped or refused by the API
 * server, so a typo (`apiUrl`, `match_type`) would silently lose a credential or a matcher.
 */
const V1ALPHA1_FIELDS: { [type: string]: string[] } = {
  spec: ['route', 'receivers', 'inhibitRules', 'muteTimeIntervals'],
  route: ['receiver', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval', 'matchers', 'continue', 'routes', 'muteTimeIntervals', 'activeTimeIntervals'],
  matcher: ['name', 'value', 'matchType', 'regex'],
  receiver: ['name', 'slackConfigs', 'pagerdutyConfigs'],
  slackConfig: ['sendResolved', 'apiURL', 'channel', 'username', 'color', 'title', 'titleLink', 'pretext', 'text', 'fields', 'footer', 'fallback', 'iconEmoji', 'linkNames'],
  pagerdutyConfig: ['sendResolved', 'routingKey', 'serviceKey', 'url', 'client', 'clientURL', 'description', 'severity', 'class', 'group', 'component', 'details'],
  secretKeySelector: ['name', 'key', 'optional'],
  inhibitRule: ['targetMatch', 'sourceMatch', 'equal'],
};
/** The CRD's pattern for durations (monitoringv1.NonEmptyDuration). */
const DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/** Problems of an AlertmanagerConfig spec against the v1alpha1 fields and the operator's own checks (validation/v1alpha1). */
function v1alpha1Problems(spec: any): string[] {
  const problems: string[] = [];
  const keys = (at: string, type: string, value: any) => {
    for (const key of Object.keys(value)) if (!V1ALPHA1_FIELDS[type].includes(key)) problems.push(`${at}: ${key} is not a ${type} field`);
  };
  const matchers = (at: string, list: any[]) =>
    list.forEach((m, i) => {
      keys(`${at}[${i}]`, 'matcher', m);
      if (m.matchType !== undefined && !['=', '!=', '=~', '!~'].includes(m.matchType)) problems.push(`${at}[${i}]: matchType ${m.matchType}`);
      if (!m.name) problems.push(`${at}[${i}]: no name`);
    });
  const receivers = new Set<string>();
  keys('spec', 'spec', spec);
  spec.receivers.forEach((r: any, i: number) => {
    const at = `receivers[${i}]`;
    keys(at, 'receiver', r);
    if (receivers.has(r.name)) problems.push(`${at}: ${r.name} is not unique`);
    receivers.add(r.name);
    for (const c of r.slackConfigs ?? []) {
      keys(`${at}.slackConfigs`, 'slackConfig', c);
      keys(`${at}.slackConfigs.apiURL`, 'secretKeySelector', c.apiURL);
    }
    for (const c of r.pagerdutyConfigs ?? []) {
      keys(`${at}.pagerdutyConfigs`, 'pagerdutyConfig', c);
      if (!c.routingKey && !c.serviceKey) problems.push(`${at}: one of routingKey or serviceKey is required`);
      keys(`${at}.pagerdutyConfigs.routingKey`, 'secretKeySelector', c.routingKey);
    }
  });
  const route = (at: string, r: any, top: boolean) => {
    keys(at, 'route', r);
    if (top && !r.receiver) problems.push(`${at}: root route must define a receiver`);
    if (r.receiver && !receivers.has(r.receiver)) problems.push(`${at}: receiver ${r.receiver} not found`);
    if (r.groupBy && new Set(r.groupBy).size !== r.groupBy.length) problems.push(`${at}: duplicate groupBy`);
    for (const d of ['groupWait', 'groupInterval', 'repeatInterval']) if (r[d] !== undefined && !DURATION.test(r[d])) problems.push(`${at}.${d}: ${r[d]}`);
    matchers(`${at}.matchers`, r.matchers ?? []);
    (r.routes ?? []).forEach((child: any, i: number) => route(`${at}.routes[${i}]`, child, false));
  };
  route('route', spec.route, true);
  (spec.inhibitRules ?? []).forEach((rule: any, i: number) => {
    keys(`inhibitRules[${i}]`, 'inhibitRule', rule);
    matchers(`inhibitRules[${i}].sourceMatch`, rule.sourceMatch ?? []);
    matchers(`inhibitRules[${i}].targetMatch`, rule.targetMatch ?? []);
  });
  return problems;
}

describe('MonitoringChart with AlertRoutingScope.NAMESPACE', () => {
  const chart = new MonitoringChart(Testing.app(), 'shop-web-monitoring', namespacedProps({ operatorSelectorLabels: { release: 'kube-prometheus-stack' } }));
  const manifests = synthOf(chart);
  const config = alertmanagerConfigOf(manifests);

  test("emits one AlertmanagerConfig in the app's namespace instead of the configuration Secret", () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'PrometheusRule/monitoring/shop-web-rules',
      'ServiceMonitor/monitoring/shop-web',
      'ServiceMonitor/monitoring/shop-web-postgres-exporter',
      'ServiceMonitor/monitoring/shop-web-redis-exporter',
      'ServiceMonitor/monitoring/shop-web-ingress-controller',
      'AlertmanagerConfig/shop/shop-web-alertmanager',
      'ConfigMap/monitoring/shop-web-dashboard-service',
      'ConfigMap/monitoring/shop-web-dashboard-postgresql',
      'ConfigMap/monitoring/shop-web-dashboard-redis',
    ]);
    expect(config.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('exposes the scope, the object name and namespace, and the Secrets it refers to', () => {
    expect(chart.alertRoutingScope).toBe(AlertRoutingScope.NAMESPACE);
    expect(chart.alertmanagerConfigName).toBe('shop-web-alertmanager');
    expect(chart.alertmanagerConfigNamespace).toBe('shop');
    expect(chart.alertmanagerSecretNames).toEqual(['alertmanager-slack', 'alertmanager-pagerduty']);
    expect(YAML.parse(chart.alertmanagerConfigYaml)).toEqual(config.spec);
  });

  test("carries the operator selector labels, for the Alertmanager resource's alertmanagerConfigSelector", () => {
    expect(config.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'shop-web',
      'app.kubernetes.io/component': 'monitoring',
      'app.kubernetes.io/managed-by': 'cdk8s',
      release: 'kube-prometheus-stack',
    });
  });

  test('refers to the credentials by Secret name and key only, and carries no credential or mount path', () => {
    expect(config.spec.receivers).toEqual([
      { name: 'shop-slack', slackConfigs: [expect.objectContaining({ apiURL: { name: 'alertmanager-slack', key: 'url' }, channel: '#shop-alerts', sendResolved: true })] },
      { name: 'shop-pager', pagerdutyConfigs: [expect.objectContaining({ routingKey: { name: 'alertmanager-pagerduty', key: 'routing-key' }, sendResolved: true })] },
      {
        name: 'platform-slack',
        slackConfigs: [expect.objectContaining({ apiURL: { name: 'alertmanager-slack', key: 'platform-url' }, channel: '#platform-alerts' })],
      },
      { name: 'null' },
    ]);
    const yaml = YAML.stringify(config);
    expect(yaml).not.toMatch(/api_url|routing_key|service_key|_file|\/etc\/alertmanager|hooks\.slack\.com|events\.pagerduty\.com/);
  });

  test('says in a notification what the cluster configuration says', () => {
    const cluster = YAML.parse(new MonitoringChart(Testing.app(), 'cluster', productionProps()).alertmanagerConfigYaml);
    const [slackConfig] = config.spec.receivers[0].slackConfigs;
    const [pagerdutyConfig] = config.spec.receivers[1].pagerdutyConfigs;
    expect({ title: slackConfig.title, text: slackConfig.text }).toEqual({
      title: cluster.receivers[0].slack_configs[0].title,
      text: cluster.receivers[0].slack_configs[0].text,
    });
    expect({ severity: pagerdutyConfig.severity, description: pagerdutyConfig.description }).toEqual({
      severity: cluster.receivers[1].pagerduty_configs[0].severity,
      description: cluster.receivers[1].pagerduty_configs[0].description,
    });
  });

  test('routes as the cluster scope does: default receiver, grouping, 4h repeat in production, team routes, critical catch-all', () => {
    expect(config.spec.route).toEqual({
      receiver: 'shop-slack',
      groupBy: ['alertname', 'service', 'severity'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: [
        // InfoInhibitor carries the namespace of the info alerts it stands for: it reaches a namespace's route.
        SILENT_ROUTE,
        { receiver: 'shop-pager', matchers: [matcher('severity', 'critical'), matcher('team', 'shop')], continue: false },
        { receiver: 'platform-slack', matchers: [matcher('team', 'platform')], continue: false },
        { receiver: 'shop-pager', matchers: [matcher('severity', 'critical')], continue: false },
      ],
    });
  });

  test('inhibits warnings while a critical alert fires for the same team and service, both carrying both labels, and nothing else', () => {
    expect(config.spec.inhibitRules).toEqual([
      {
        sourceMatch: [matcher('severity', 'critical'), matcher('team', '.+', '=~'), matcher('service', '.+', '=~')],
        targetMatch: [matcher('severity', 'warning'), matcher('team', '.+', '=~'), matcher('service', '.+', '=~')],
        equal: ['team', 'service'],
      },
    ]);
  });

  test('leaves out what only the cluster configuration holds: global settings', () => {
    expect(Object.keys(config.spec).sort()).toEqual(['inhibitRules', 'receivers', 'route']);
    expect(chart.alertmanagerConfigYaml).not.toMatch(/global|resolve_timeout|resolveTimeout/);
  });

  test('uses only fields of the v1alpha1 schema and passes the checks the operator makes', () => {
    expect(v1alpha1Problems(config.spec)).toEqual([]);
    // The check itself catches what it is for.
    expect(v1alpha1Problems({ ...config.spec, route: { ...config.spec.route, receiver: 'nobody', groupWait: '30 s' } })).toEqual([
      'route: receiver nobody not found',
      'route.groupWait: 30 s',
    ]);
  });

  test('emits manifests that pass the Kubernetes schemas', () => {
    expect(validateManifests(manifests, { customResources: OPERATOR_RESOURCES })).toEqual([]);
  });

  test('labels the app, PostgreSQL and Redis alerts with the app namespace, so the namespace routing receives them', () => {
    const alerts = alertsOf(chart);
    expect(alerts.length).toBeGreaterThan(10);
    for (const a of alerts) expect(a.labels).toMatchObject({ namespace: 'shop', team: 'shop' });
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(['HighErrorRate', 'PostgresDown', 'RedisMemoryHigh']));
  });

  test("leaves the cluster-wide part to the platform's chart by default", () => {
    expect(chart.clusterMonitoring).toBe(false);
    expect(manifests.filter((m) => m.kind === 'PodMonitor')).toEqual([]);
    expect(chart.alertNames).not.toContain('NodeDiskSpaceLow');
  });

  test('keeps the cluster-wide alerts out of the namespace when clusterMonitoring is on', () => {
    const withCluster = new MonitoringChart(Testing.app(), 'm', namespacedProps({ clusterMonitoring: true }));
    const alerts = alertsOf(withCluster);
    expect(alerts.find((a) => a.alert === 'NodeDiskSpaceLow').labels.namespace).toBeUndefined();
    expect(alerts.find((a) => a.alert === 'CertificateExpiring').labels.namespace).toBeUndefined();
    expect(alerts.find((a) => a.alert === 'ServiceDown').labels.namespace).toBe('shop');
  });

  test('re-notifies every 12 hours outside production, and per route as asked', () => {
    const staging = new MonitoringChart(
      Testing.app(),
      'm',
      namespacedProps({
        environment: EnvironmentTier.STAGING,
        alertmanager: {
          receivers: [RECEIVERS.shopSlack, RECEIVERS.shopPager],
          routes: [{ receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, continueMatching: true, repeatIntervalHours: 1 }],
          groupWaitSeconds: 0,
          groupIntervalMinutes: 10,
        },
      }),
    );
    const spec = alertmanagerConfigOf(synthOf(staging)).spec;
    expect(spec.route).toMatchObject({ groupWait: '0s', groupInterval: '10m', repeatInterval: '12h' });
    expect(spec.route.routes[1]).toEqual({ receiver: 'shop-pager', matchers: [matcher('severity', 'critical')], repeatInterval: '1h', continue: true });
    expect(v1alpha1Problems(spec)).toEqual([]);
  });

  test('sends resolved notifications only when asked, and uses the Secret keys given', () => {
    const quiet = new MonitoringChart(
      Testing.app(),
      'm',
      namespacedProps({
        alertmanager: {
          receivers: [
            AlertReceiver.slack('s', { channel: '#s', webhookUrlSecretName: 'hooks', webhookUrlSecretKey: 'shop', sendResolved: false }),
            AlertReceiver.pagerDuty('p', { routingKeySecretName: 'pd', routingKeySecretKey: 'key', sendResolved: false }),
          ],
        },
      }),
    );
    const [slackReceiver, pagerReceiver] = alertmanagerConfigOf(synthOf(quiet)).spec.receivers;
    expect(slackReceiver.slackConfigs[0]).toMatchObject({ apiURL: { name: 'hooks', key: 'shop' }, sendResolved: false });
    expect(pagerReceiver.pagerdutyConfigs[0]).toMatchObject({ routingKey: { name: 'pd', key: 'key' }, sendResolved: false });
  });

  test('names the AlertmanagerConfig as asked', () => {
    const named = new MonitoringChart(Testing.app(), 'm', namespacedProps({ alertmanager: { ...namespacedProps().alertmanager, configName: 'shop-routing' } }));
    expect(alertmanagerConfigOf(synthOf(named)).metadata).toMatchObject({ name: 'shop-routing', namespace: 'shop' });
    expect(named.alertmanagerConfigName).toBe('shop-routing');
  });

  test('still warns in production when critical alerts of the team reach no pager', () => {
    const unpaged = new MonitoringChart(Testing.app(), 'm', namespacedProps({ alertmanager: { receivers: [RECEIVERS.shopSlack] } }));
    expect(warningsOf(unpaged)).toEqual([expect.stringMatching(/^\[GW-MON-CRITICAL-NOT-PAGED\] critical alerts of team shop go to shop-slack/)]);
  });

  test('keeps the construct IDs of the cluster scope (less the cluster-wide part)', () => {
    const cluster = productionChart({ clusterMonitoring: false });
    expect(chart.node.children.map((c) => c.node.id)).toEqual(cluster.node.children.map((c) => c.node.id));
    expect(chart.node.tryFindChild('AlertmanagerConfig')).toBeDefined();
  });
});

describe('MonitoringChart routing scope validation', () => {
  const expectError = (props: MonitoringChartProps, message: string | RegExp) => {
    const app = Testing.app();
    expect(() => new MonitoringChart(app, 'monitoring', props)).toThrow(message);
    expect(app.node.findAll().filter((c) => ApiObject.isApiObject(c))).toEqual([]);
  };

  test('refuses the namespace scope with the plain prometheus.yml format: an AlertmanagerConfig needs the operator', () => {
    expectError(
      namespacedProps({ format: MonitoringFormat.PROMETHEUS_CONFIG }),
      'MonitoringChart monitoring: alertmanager.scope must be AlertRoutingScope.CLUSTER with format MonitoringFormat.PROMETHEUS_CONFIG ' +
        '(the namespace scope writes an AlertmanagerConfig, a prometheus-operator resource: use format MonitoringFormat.PROMETHEUS_OPERATOR for it; ' +
        'without the operator, one chart writes the whole alertmanager.yml), got "NAMESPACE"',
    );
  });

  test('refuses an unknown scope', () => {
    expectError(namespacedProps({ alertmanager: { receivers: [RECEIVERS.shopSlack], scope: 'GLOBAL' as AlertRoutingScope } }), 'alertmanager.scope must be one of CLUSTER, NAMESPACE, got "GLOBAL"');
  });

  test('refuses a secrets mount path in the namespace scope, where nothing is mounted', () => {
    expectError(
      namespacedProps({ alertmanager: { receivers: [RECEIVERS.shopSlack], scope: AlertRoutingScope.NAMESPACE, secretsMountPath: '/secrets' } }),
      /alertmanager\.secretsMountPath must be left out with alertmanager\.scope AlertRoutingScope\.NAMESPACE .*, got "\/secrets"$/,
    );
  });

  test('refuses a label listed twice in groupBy, in either scope (Alertmanager and the CRD refuse it)', () => {
    for (const scope of [AlertRoutingScope.CLUSTER, AlertRoutingScope.NAMESPACE]) {
      expectError(
        namespacedProps({ alertmanager: { receivers: [RECEIVERS.shopSlack], scope, groupBy: ['alertname', 'service', 'alertname'] } }),
        'MonitoringChart monitoring: alertmanager.groupBy must list each label once (Alertmanager refuses a duplicated label), got ["alertname","service","alertname"]',
      );
    }
  });
});

describe('MonitoringCharts of one cdk8s App', () => {
  const platformProps = (overrides: Partial<MonitoringChartProps> = {}): MonitoringChartProps => ({
    ...productionProps(),
    appName: 'platform-gateway',
    appNamespace: 'gateway',
    team: 'platform',
    postgresExporter: undefined,
    redisExporter: undefined,
    ...overrides,
  });
  const serviceProps = (appName: string, team: string, overrides: Partial<MonitoringChartProps> = {}): MonitoringChartProps =>
    namespacedProps({
      appName,
      appNamespace: appName,
      team,
      postgresExporter: undefined,
      redisExporter: undefined,
      ingressController: undefined,
      alertmanager: {
        receivers: [
          AlertReceiver.slack(`${team}-slack`, { channel: `#${team}-alerts`, webhookUrlSecretName: 'alertmanager-slack' }),
          AlertReceiver.pagerDuty(`${team}-pager`, { routingKeySecretName: 'alertmanager-pagerduty' }),
        ],
        routes: [{ receiver: `${team}-pager`, severity: AlertSeverity.CRITICAL, team }],
      },
      ...overrides,
    });

  test('refuses a second chart that writes the cluster configuration, naming both charts and what to do', () => {
    const app = Testing.app();
    new MonitoringChart(app, 'platform', platformProps());
    const before = app.node.findAll().filter((c) => ApiObject.isApiObject(c)).length;
    expect(() => new MonitoringChart(app, 'shop', productionProps({ clusterMonitoring: false }))).toThrow(
      'MonitoringChart shop: alertmanager.scope must be AlertRoutingScope.NAMESPACE here: MonitoringChart platform of the same cdk8s App ' +
        "already writes the cluster's whole Alertmanager configuration (Secret monitoring/platform-gateway-alertmanager), and a second one " +
        "would compete with it. Keep the cluster scope on one chart and set alertmanager.scope: AlertRoutingScope.NAMESPACE on the services' " +
        'charts, so each adds its routing as an AlertmanagerConfig in its own namespace, got "CLUSTER"',
    );
    // Refused before the second chart created anything.
    expect(app.node.findAll().filter((c) => ApiObject.isApiObject(c)).length).toBe(before);
  });

  test('refuses a second cluster configuration in the plain format too, wherever the charts sit in the tree', () => {
    const app = Testing.app();
    new MonitoringChart(app, 'platform', platformProps({ format: MonitoringFormat.PROMETHEUS_CONFIG }));
    // Charts may sit below other constructs.
    const group = new Construct(app, 'services');
    expect(() => new MonitoringChart(group, 'shop', productionProps({ format: MonitoringFormat.PROMETHEUS_CONFIG, clusterMonitoring: false }))).toThrow(
      /^MonitoringChart services\/shop: alertmanager\.scope must be AlertRoutingScope\.NAMESPACE here: MonitoringChart platform .*\(ConfigMap monitoring\/platform-gateway-alertmanager\)/,
    );
  });

  test('refuses a second chart with the cluster-wide part, naming both charts and what to do', () => {
    const app = Testing.app();
    new MonitoringChart(app, 'platform', platformProps());
    expect(() => new MonitoringChart(app, 'shop', serviceProps('shop-web', 'shop', { clusterMonitoring: true }))).toThrow(
      'MonitoringChart shop: clusterMonitoring must be false here: MonitoringChart platform of the same cdk8s App already runs the ' +
        'cluster-wide part (node and certificate alerts, the scrape of annotated pods), which would otherwise run and alert twice. Keep ' +
        'clusterMonitoring on in one chart and set clusterMonitoring: false on the others (the default with alertmanager.scope: ' +
        'AlertRoutingScope.NAMESPACE), got true',
    );
  });

  test('refuses the cluster-wide part twice whichever chart comes first', () => {
    const app = Testing.app();
    new MonitoringChart(app, 'shop', serviceProps('shop-web', 'shop', { clusterMonitoring: true }));
    expect(() => new MonitoringChart(app, 'platform', platformProps())).toThrow(/^MonitoringChart platform: clusterMonitoring must be false here: MonitoringChart shop of the same cdk8s App/);
  });

  test('synthesizes two services with namespace routing next to one platform chart with the cluster configuration', () => {
    const app = Testing.app();
    const platform = new MonitoringChart(app, 'platform', platformProps());
    const shop = new MonitoringChart(app, 'shop', serviceProps('shop-web', 'shop'));
    const checkout = new MonitoringChart(app, 'checkout', serviceProps('checkout-api', 'checkout'));
    const manifests = app.charts.flatMap((c) => c.toJson());
    const routing = manifests.filter((m) => m.kind === 'AlertmanagerConfig' || (m.kind === 'Secret' && m.stringData?.['alertmanager.yaml']));

    // One whole configuration, and one AlertmanagerConfig per service in its own namespace.
    expect(routing.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'Secret/monitoring/platform-gateway-alertmanager',
      'AlertmanagerConfig/shop-web/shop-web-alertmanager',
      'AlertmanagerConfig/checkout-api/checkout-api-alertmanager',
    ]);
    expect([platform, shop, checkout].map((c) => c.alertRoutingScope)).toEqual([AlertRoutingScope.CLUSTER, AlertRoutingScope.NAMESPACE, AlertRoutingScope.NAMESPACE]);
    // The cluster-wide part runs once.
    expect(manifests.filter((m) => m.kind === 'PodMonitor')).toHaveLength(1);
    expect([platform, shop, checkout].map((c) => c.alertNames.filter((a) => a === 'NodeDiskSpaceLow').length)).toEqual([1, 0, 0]);
    // Each service routes its own team's alerts, labelled with its own namespace.
    expect(alertmanagerConfigOf(shop.toJson()).spec.route.routes[1].receiver).toBe('shop-pager');
    expect(alertmanagerConfigOf(checkout.toJson()).spec.route.routes[1].receiver).toBe('checkout-pager');
    expect(new Set(alertsOf(shop).map((a) => a.labels.namespace))).toEqual(new Set(['shop-web']));
    expect(new Set(alertsOf(checkout).map((a) => a.labels.namespace))).toEqual(new Set(['checkout-api']));
    // No two objects of one kind share a namespace and name.
    const ids = manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(validateManifests(manifests, { customResources: OPERATOR_RESOURCES })).toEqual([]);
    // The whole App synthesizes.
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('lets separate Apps (one per environment or cluster) each have their own cluster chart', () => {
    const first = new MonitoringChart(Testing.app(), 'monitoring', productionProps());
    const second = new MonitoringChart(Testing.app(), 'monitoring', productionProps({ environment: EnvironmentTier.STAGING }));
    expect([first.alertRoutingScope, second.alertRoutingScope]).toEqual([AlertRoutingScope.CLUSTER, AlertRoutingScope.CLUSTER]);
    expect([first.clusterMonitoring, second.clusterMonitoring]).toEqual([true, true]);
  });
});

describe('MonitoringChart built from the workload it monitors', () => {
  const workload: IMonitoredWorkload = { appName: 'shop-web', namespaceName: 'shop', metricsPortName: 'metrics' };
  const fromWorkload = (overrides: Partial<MonitoringChartProps> = {}): MonitoringChartProps => ({
    ...productionProps(),
    appName: undefined,
    appNamespace: undefined,
    workload,
    ...overrides,
  });
  const expectError = (props: MonitoringChartProps, message: string | RegExp) => {
    const app = Testing.app();
    expect(() => new MonitoringChart(app, 'monitoring', props)).toThrow(message);
    expect(app.node.findAll().filter((c) => ApiObject.isApiObject(c))).toEqual([]);
  };

  test("takes the app's name, namespace and metrics port from the workload", () => {
    const chart = new MonitoringChart(Testing.app(), 'monitoring', fromWorkload());
    const monitor = synthOf(chart).find((m) => m.kind === 'ServiceMonitor' && m.metadata.name === 'shop-web');
    expect(monitor.spec).toMatchObject({
      namespaceSelector: { matchNames: ['shop'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    });
    expect([chart.appJob, chart.appNamespace]).toEqual(['shop-web', 'shop']);
  });

  test('is the same chart as one given the same names by hand', () => {
    const byHand = new MonitoringChart(Testing.app(), 'monitoring', productionProps({ appMetrics: { portName: 'metrics' } }));
    const fromIt = new MonitoringChart(Testing.app(), 'monitoring', fromWorkload({ appName: 'shop-web', appNamespace: 'shop', appMetrics: { portName: 'metrics' } }));
    expect(synthOf(fromIt)).toEqual(synthOf(byHand));
  });

  test("takes an AppWorkloadChart's names, and its AlertmanagerConfig lands in the workload's namespace", () => {
    const app = Testing.app();
    const web = new AppWorkloadChart(app, 'shop-web', {
      appName: 'shop-web',
      namespace: 'shop',
      environment: EnvironmentTier.PRODUCTION,
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2',
      metricsPort: 9090,
    });
    const chart = new MonitoringChart(app, 'shop-web-monitoring', { ...fromWorkload(), workload: web, alertmanager: namespacedProps().alertmanager });
    const monitor = synthOf(chart).find((m) => m.kind === 'ServiceMonitor' && m.metadata.name === 'shop-web');
    expect(monitor.spec.endpoints[0].port).toBe(web.metricsPortName);
    expect(web.toJson().find((m: any) => m.kind === 'Service').spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(chart.alertmanagerConfigNamespace).toBe(web.namespaceName);
  });

  describe("refuses a workload whose NetworkPolicies keep Prometheus's namespace from the metrics port", () => {
    const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2';
    /** A service of a cluster (the default route: the shared, internet-facing load balancer) and its chart. */
    const serviceChart = (props: Partial<AppWorkloadChartProps> = {}, route: ServiceRoute = ServiceRoute.defaultRoute()) => {
      const service = testPlatform().cluster.addService('Web', { name: 'shop-web', namespace: 'shop', route });
      const manifests = Testing.app();
      return { manifests, web: new AppWorkloadChart(manifests, 'shop-web', { service, environment: EnvironmentTier.PRODUCTION, image: IMAGE, ...props }) };
    };
    const monitoringOf = (props: Partial<AppWorkloadChartProps>, chartProps: Partial<MonitoringChartProps> = {}) => {
      const { manifests, web } = serviceChart(props);
      return () => new MonitoringChart(manifests, 'shop-web-monitoring', { ...fromWorkload(), workload: web, ...chartProps });
    };
    /** The namespaces the workload's NetworkPolicies admit to the port the ServiceMonitor scrapes. */
    const admittedToScrapedPort = (web: AppWorkloadChart, monitor: any): string[] => {
      const service = web.toJson().find((m: any) => m.kind === 'Service');
      const target = service.spec.ports.find((p: any) => p.name === monitor.spec.endpoints[0].port).targetPort;
      const containerPort = web.toJson().find((m: any) => m.kind === 'Deployment').spec.template.spec.containers[0].ports.find((p: any) => p.name === target || p.containerPort === target).containerPort;
      return web
        .toJson()
        .filter((m: any) => m.kind === 'NetworkPolicy')
        .flatMap((p: any) => (p.spec.ingress ?? []).filter((rule: any) => rule.ports.some((port: any) => port.port === containerPort)))
        .flatMap((rule: any) => rule.from.map((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']))
        .filter((ns: string | undefined) => ns !== undefined);
    };

    test("a service's metrics on the app port, behind its internet-facing load balancer, without the monitoring namespace admitted: a synth error naming the port, the namespaces and the fix", () => {
      expect(monitoringOf({})).toThrow(
        'MonitoringChart shop-web-monitoring: workload.metricsScraperNamespaces must include Prometheus\'s namespace "monitoring" (this chart\'s namespace): ' +
          'the workload\'s NetworkPolicies admit only these namespaces to its metrics port "http", so Prometheus could not scrape the app and ServiceDown would fire. ' +
          'An AppWorkloadChart admits it with metricsNamespaces (with a metricsPort) or allowedIngressNamespaces (without one), got []',
      );
      // A metrics port open to other namespaces than the chart's.
      expect(monitoringOf({ metricsPort: 9090, metricsNamespaces: ['observability'] })).toThrow(/metrics port "metrics".*got \["observability"\]/);
      expect(monitoringOf({ metricsPort: 9090 }, { namespace: 'observability' })).toThrow(/must include Prometheus's namespace "observability".*got \["monitoring"\]/);
      // A chart of its own, admitting the ingress controller's namespace only.
      const manifests = Testing.app();
      const web = new AppWorkloadChart(manifests, 'shop-web', {
        appName: 'shop-web',
        namespace: 'shop',
        environment: EnvironmentTier.PRODUCTION,
        image: IMAGE,
        ingress: { host: 'shop.example.com', clusterIssuer: 'letsencrypt' },
      });
      expect(web.metricsScraperNamespaces).toEqual(['ingress-nginx']);
      expect(() => new MonitoringChart(manifests, 'shop-web-monitoring', { ...fromWorkload(), workload: web })).toThrow(/got \["ingress-nginx"\]/);
    });

    test.each<[string, Partial<AppWorkloadChartProps>, Partial<MonitoringChartProps>]>([
      ['metrics on the app port, the monitoring namespace admitted', { allowedIngressNamespaces: ['monitoring'] }, {}],
      ['a metrics port (metricsNamespaces default to monitoring)', { metricsPort: 9090 }, {}],
      ["a metrics port open to the chart's own namespace", { metricsPort: 9090, metricsNamespaces: ['observability'] }, { namespace: 'observability' }],
    ])('accepts %s, and its policies do admit the namespace to the scraped port', (_, props, chartProps) => {
      const { manifests, web } = serviceChart(props);
      const chart = new MonitoringChart(manifests, 'shop-web-monitoring', { ...fromWorkload(), workload: web, ...chartProps });
      const monitor = synthOf(chart).find((m) => m.kind === 'ServiceMonitor' && m.metadata.name === 'shop-web');
      expect(web.metricsScraperNamespaces).toContain(chart.namespace);
      expect(admittedToScrapedPort(web, monitor)).toContain(chart.namespace);
    });

    test('does not check an app port that admits CIDR blocks pods may hold: an internal load balancer, or CIDRs given by hand', () => {
      // An internal load balancer's subnets are the private ones, where Prometheus's pods run too.
      const internal = serviceChart({}, ServiceRoute.ownLoadBalancer()).web;
      expect(internal.metricsScraperNamespaces).toBeUndefined();
      expect(() => new MonitoringChart(Testing.app(), 'monitoring', { ...fromWorkload(), workload: internal })).not.toThrow();
      expect(serviceChart({ loadBalancerSourceCidrs: ['10.0.0.0/16'] }).web.metricsScraperNamespaces).toBeUndefined();
      // A workload that does not say which namespaces it admits is not checked either.
      expect(() => new MonitoringChart(Testing.app(), 'monitoring', fromWorkload())).not.toThrow();
    });
  });

  test('refuses an appName, appNamespace or metrics port that disagrees with the workload, naming both values', () => {
    expectError(fromWorkload({ appName: 'shop' }), 'MonitoringChart monitoring: appName must equal workload.appName "shop-web", or be left out to take it from the workload, got "shop"');
    expectError(
      fromWorkload({ appNamespace: 'shop-web' }),
      'MonitoringChart monitoring: appNamespace must equal workload.namespaceName "shop", or be left out to take it from the workload, got "shop-web"',
    );
    expectError(
      fromWorkload({ appMetrics: { portName: 'http' } }),
      'MonitoringChart monitoring: appMetrics.portName must equal workload.metricsPortName "metrics", or be left out to take it from the workload, got "http"',
    );
  });

  test('refuses a chart with neither appName nor workload', () => {
    expectError(
      fromWorkload({ workload: undefined }),
      "MonitoringChart monitoring: appName must be given when there is no workload to take it from (pass workload: the app's AppWorkloadChart, or appName), got nothing",
    );
  });

  test("checks the workload's names as it checks its own", () => {
    expectError(fromWorkload({ workload: { ...workload, appName: 'Shop_Web' } }), /^MonitoringChart monitoring: workload\.appName must be a DNS-1123 label: .*, got "Shop_Web"$/);
    expectError(fromWorkload({ workload: { ...workload, namespaceName: 'shop/web' } }), /workload\.namespaceName must be a DNS-1123 label/);
    expectError(fromWorkload({ workload: { ...workload, metricsPortName: 'Metrics Port' } }), /workload\.metricsPortName must be a DNS-1123 label/);
  });
});
