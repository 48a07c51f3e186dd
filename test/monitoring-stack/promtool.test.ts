/**
 * The monitoring chart checked with the real tools: promtool (Debian package `prometheus`)
 * and amtool / Alertmanager (package `prometheus-alertmanager`), on exactly what the chart
 * emits. CI installs both in .ci/run; a missing binary fails the suite with the install
 * command, it is never skipped.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { AlertReceiver, AlertRoutingScope, AlertSeverity, MonitoringChart, MonitoringFormat } from '../../lib/monitoring-stack/monitoring-chart';
import { productionChart, productionProps, RECEIVERS, SHOP_ROUTING } from './fixtures/production-chart';

function requireTool(binary: string, debianPackage: string): void {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${binary} is not installed or does not run (${probe.error?.message ?? probe.stderr}). ` +
        `Install it with: apt-get install -y ${debianPackage}  (CI does this in .ci/run)`,
    );
  }
}

interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  /** stdout and stderr together. */
  readonly output: string;
}

function run(binary: string, args: string[], cwd: string): ToolResult {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** Runs a tool and fails the test with its output unless it succeeds. */
function expectSuccess(binary: string, args: string[], cwd: string): ToolResult {
  const result = run(binary, args, cwd);
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (exit ${result.status}):\n${result.output}`);
  }
  return result;
}

const tempDirs: string[] = [];

function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gw-monitoring-${name}-`));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Meta labels that Kubernetes service discovery sets, per role (Prometheus 2.x docs). */
const META_LABELS: { [role: string]: RegExp } = {
  endpoints: /^__meta_kubernetes_(namespace|service_name|service_label_[a-zA-Z0-9_]+|endpoint_port_name|endpoint_node_name|pod_name|pod_label_[a-zA-Z0-9_]+)$/,
  pod: /^__meta_kubernetes_(namespace|pod_name|pod_ip|pod_phase|pod_annotation_[a-zA-Z0-9_]+|pod_label_[a-zA-Z0-9_]+)$/,
  node: /^__meta_kubernetes_node_(name|label_[a-zA-Z0-9_]+)$/,
};

/**
 * The Debian promtool is built without Kubernetes service discovery (Debian removed it for
 * its dependencies), so `check config` rejects `kubernetes_sd_configs`. This replaces each
 * such block by a static target and points the in-pod service account files at stand-ins,
 * after checking the discovery blocks themselves against what upstream accepts. Everything
 * else — globals, alerting, rule files, every relabel rule — is checked as emitted.
 */
function standInForDebianPromtool(configYaml: string, dir: string): string {
  const config = YAML.parse(configYaml);
  const saDir = path.join(dir, 'serviceaccount');
  fs.mkdirSync(saDir, { recursive: true });
  fs.writeFileSync(path.join(saDir, 'token'), 'stand-in-token');
  fs.writeFileSync(path.join(saDir, 'ca.crt'), 'stand-in-ca');
  for (const job of config.scrape_configs) {
    const sds = job.kubernetes_sd_configs;
    if (!sds) continue;
    for (const sd of sds) {
      expect(Object.keys(sd).sort()).toEqual(expect.arrayContaining(['role']));
      expect(Object.keys(sd).every((k) => ['role', 'namespaces'].includes(k))).toBe(true);
      expect(Object.keys(META_LABELS)).toContain(sd.role);
      if (sd.namespaces) expect(Object.keys(sd.namespaces)).toEqual(['names']);
      for (const rule of job.relabel_configs ?? []) {
        for (const source of rule.source_labels ?? []) {
          if (source.startsWith('__meta_kubernetes_')) {
            expect({ job: job.job_name, role: sd.role, source, known: META_LABELS[sd.role].test(source) }).toMatchObject({ known: true });
          }
        }
      }
    }
    delete job.kubernetes_sd_configs;
    job.static_configs = [{ targets: ['sd-stand-in.invalid:9100'] }];
    if (job.tls_config?.ca_file) job.tls_config.ca_file = job.tls_config.ca_file.replace('/var/run/secrets/kubernetes.io/serviceaccount', saDir);
    if (job.authorization?.credentials_file) {
      job.authorization.credentials_file = job.authorization.credentials_file.replace('/var/run/secrets/kubernetes.io/serviceaccount', saDir);
    }
  }
  return YAML.stringify(config);
}

beforeAll(() => {
  requireTool('promtool', 'prometheus');
  requireTool('amtool', 'prometheus-alertmanager');
});

describe('promtool check on the emitted rules and configuration', () => {
  test('the rule file passes promtool check rules', () => {
    const chart = productionChart();
    const dir = tempDir('rules');
    fs.writeFileSync(path.join(dir, 'rules.yml'), chart.rulesYaml);
    const { output } = expectSuccess('promtool', ['check', 'rules', 'rules.yml'], dir);
    expect(output).toMatch(new RegExp(`SUCCESS: ${chart.alertNames.length + chart.recordingRuleNames.length} rules found`));
  });

  test("the operator format's PrometheusRule carries exactly the checked rule groups", () => {
    const chart = productionChart();
    const rule = Testing.synth(chart).find((o) => o.kind === 'PrometheusRule');
    expect(rule.spec).toEqual(YAML.parse(chart.rulesYaml));
    const dir = tempDir('prometheusrule');
    fs.writeFileSync(path.join(dir, 'from-manifest.yml'), YAML.stringify(rule.spec));
    expectSuccess('promtool', ['check', 'rules', 'from-manifest.yml'], dir);
  });

  test("the plain format's ConfigMap passes promtool check config, which also checks the rule file it references", () => {
    const chart = productionChart({ format: MonitoringFormat.PROMETHEUS_CONFIG });
    const configMap = Testing.synth(chart).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'shop-web-prometheus');
    const dir = tempDir('config');
    // Mounted as one directory, as Prometheus sees it.
    for (const [file, content] of Object.entries<string>(configMap.data)) {
      fs.writeFileSync(path.join(dir, file), content);
    }
    expect(configMap.data[MonitoringChart.PROMETHEUS_CONFIG_FILE_NAME]).toBe(chart.prometheusConfigYaml);
    fs.writeFileSync(path.join(dir, 'checked.yml'), standInForDebianPromtool(chart.prometheusConfigYaml, dir));
    const { output } = expectSuccess('promtool', ['check', 'config', 'checked.yml'], dir);
    expect(output).toMatch(/SUCCESS: 1 rule files found/);
    expect(output).toMatch(/Checking rules\.yml\s+SUCCESS: \d+ rules found/);
  });

  test('promtool check config rejects a broken relabel regex, so the check has teeth', () => {
    const chart = productionChart({ format: MonitoringFormat.PROMETHEUS_CONFIG });
    const dir = tempDir('config-broken');
    fs.writeFileSync(path.join(dir, 'rules.yml'), chart.rulesYaml);
    const broken = chart.prometheusConfigYaml.replace('regex: (https?)', 'regex: (https?');
    expect(broken).not.toBe(chart.prometheusConfigYaml);
    fs.writeFileSync(path.join(dir, 'checked.yml'), standInForDebianPromtool(broken, dir));
    const result = run('promtool', ['check', 'config', 'checked.yml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/missing closing \)/);
  });

  test('every dashboard query is valid PromQL', () => {
    const chart = productionChart();
    const exprs = Object.values(chart.dashboardsJson).flatMap((json) =>
      JSON.parse(json).panels.flatMap((p: any) => p.targets.map((t: any) => t.expr as string)),
    );
    expect(exprs.length).toBeGreaterThan(20);
    const dir = tempDir('dashboards');
    const rules = { groups: [{ name: 'dashboard-queries', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] };
    fs.writeFileSync(path.join(dir, 'queries.yml'), YAML.stringify(rules));
    expectSuccess('promtool', ['check', 'rules', 'queries.yml'], dir);
  });
});

describe('amtool check on the emitted Alertmanager configuration', () => {
  const chart = productionChart();
  const dir = tempDir('alertmanager');
  const secret = Testing.synth(chart).find((o) => o.kind === 'Secret');
  fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), secret.stringData['alertmanager.yaml']);

  test('the configuration in the Secret passes amtool check-config', () => {
    expect(secret.stringData['alertmanager.yaml']).toBe(chart.alertmanagerConfigYaml);
    const { output } = expectSuccess('amtool', ['check-config', 'alertmanager.yaml'], dir);
    expect(output).toMatch(/SUCCESS/);
    expect(output).toMatch(/5 receivers/);
    expect(output).toMatch(/2 inhibit rules/);
  });

  const routed = (labels: string[]) =>
    expectSuccess('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yaml', ...labels], dir).stdout.trim();

  test('routes a critical alert of the shop team to the pager', () => {
    expect(routed(['severity=critical', 'team=shop', 'alertname=HighErrorRate'])).toBe('shop-pager');
  });

  test("routes a warning of the shop team to the shop team's Slack channel (the default receiver)", () => {
    expect(routed(['severity=warning', 'team=shop', 'alertname=HighLatencyP95'])).toBe('shop-slack');
  });

  test("pages the platform team's critical alerts (an expiring certificate) and posts the others to its channel", () => {
    expect(routed(['severity=critical', 'team=platform', 'alertname=CertificateExpiring'])).toBe('platform-pager');
    expect(routed(['severity=warning', 'team=platform', 'alertname=NodeDiskSpaceLow'])).toBe('platform-slack');
  });

  test('sends an alert that matches no route to the default receiver instead of dropping it', () => {
    expect(routed(['alertname=SomethingElse', 'team=unknown'])).toBe('shop-slack');
  });

  test("gives kube-prometheus-stack's alerts (no team label) to the platform team: its pager for critical, its channel otherwise, never the shop's pager", () => {
    expect(routed(['alertname=KubeAPIDown', 'severity=critical'])).toBe('platform-pager');
    expect(routed(['alertname=KubeSchedulerDown', 'severity=critical', 'namespace=kube-system'])).toBe('platform-pager');
    expect(routed(['alertname=KubePodNotReady', 'severity=warning', 'namespace=kube-system'])).toBe('platform-slack');
    expect(routed(['alertname=NoLabelsAtAll'])).toBe('platform-slack');
  });

  test("sends kube-prometheus-stack's Watchdog and InfoInhibitor to the null receiver, whatever their labels", () => {
    expect(routed(['alertname=Watchdog', 'severity=none'])).toBe('null');
    expect(routed(['alertname=InfoInhibitor', 'severity=none', 'namespace=kube-system'])).toBe('null');
    // Even with labels that a team route or the critical catch-all would take.
    expect(routed(['alertname=Watchdog', 'severity=critical', 'team=shop'])).toBe('null');
    expect(routed(['alertname=InfoInhibitor', 'team=platform'])).toBe('null');
  });

  test('pages the default pager for a critical alert of a team that no route takes', () => {
    expect(routed(['alertname=HighErrorRate', 'severity=critical', 'team=drill', 'service=drill-web'])).toBe('shop-pager');
  });
});

/**
 * What prometheus-operator does with a selected AlertmanagerConfig (pkg/alertmanager/amcfg.go,
 * the default OnNamespace matcher strategy, Alertmanager >= 0.22): receiver names become
 * `<namespace>/<name>/<receiver>`; the top route gets a `namespace="<namespace>"` matcher and
 * `continue: true` and goes before the configuration's own routes; each inhibition rule gets
 * the namespace matcher on both sides; Secret references become the Secret's value (stand-ins
 * here). The result is checked with amtool, as the operator's output would be.
 */
function mergeAsTheOperatorDoes(clusterConfig: any, object: any, secretValues: { [secretAndKey: string]: string }): any {
  const ns = object.metadata.namespace;
  const prefixed = (receiver: string) => `${ns}/${object.metadata.name}/${receiver}`;
  // The CRD's default matchType is "=".
  const matchers = (list: any[] = []) => list.map((m) => `${m.name}${m.matchType ?? '='}"${m.value}"`);
  const secret = (ref: { name: string; key: string }) => {
    const value = secretValues[`${ref.name}/${ref.key}`];
    if (value === undefined) throw new Error(`no stand-in for Secret ${ns}/${ref.name} key ${ref.key}`);
    return value;
  };
  const route = (r: any): any => ({
    receiver: prefixed(r.receiver),
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    ...(r.matchers ? { matchers: matchers(r.matchers) } : {}),
    continue: r.continue ?? false,
    ...(r.routes ? { routes: r.routes.map(route) } : {}),
  });
  const top = route(object.spec.route);
  top.matchers = [...(top.matchers ?? []), `namespace="${ns}"`];
  top.continue = true;
  const slackConfig = (c: any) => ({ api_url: secret(c.apiURL), channel: c.channel, send_resolved: c.sendResolved, title: c.title, text: c.text });
  const pagerdutyConfig = (c: any) => ({ routing_key: secret(c.routingKey), send_resolved: c.sendResolved, severity: c.severity, description: c.description });
  const receivers = object.spec.receivers.map((r: any) => ({
    name: prefixed(r.name),
    ...(r.slackConfigs ? { slack_configs: r.slackConfigs.map(slackConfig) } : {}),
    ...(r.pagerdutyConfigs ? { pagerduty_configs: r.pagerdutyConfigs.map(pagerdutyConfig) } : {}),
  }));
  const inhibitRules = (object.spec.inhibitRules ?? []).map((rule: any) => ({
    source_matchers: [...matchers(rule.sourceMatch), `namespace="${ns}"`],
    target_matchers: [...matchers(rule.targetMatch), `namespace="${ns}"`],
    equal: rule.equal,
  }));
  return {
    ...clusterConfig,
    route: { ...clusterConfig.route, routes: [top, ...clusterConfig.route.routes] },
    inhibit_rules: [...clusterConfig.inhibit_rules, ...inhibitRules],
    receivers: [...clusterConfig.receivers, ...receivers],
  };
}

describe("amtool check on a service's AlertmanagerConfig merged into the platform's configuration", () => {
  // One App: the platform chart writes the whole configuration, the shop's chart its namespace's routing.
  const app = Testing.app();
  const platformProps = productionProps();
  const platform = new MonitoringChart(app, 'platform', {
    ...platformProps,
    appName: 'platform-gateway',
    appNamespace: 'gateway',
    team: 'platform',
    postgresExporter: undefined,
    redisExporter: undefined,
    alertmanager: {
      receivers: [RECEIVERS.platformSlack, AlertReceiver.pagerDuty('platform-pager', { routingKeySecretName: 'alertmanager-pagerduty', routingKeySecretKey: 'platform' })],
      routes: [{ receiver: 'platform-pager', severity: AlertSeverity.CRITICAL, team: 'platform' }],
    },
  });
  const shop = new MonitoringChart(app, 'shop', {
    ...productionProps(),
    alertmanager: { ...SHOP_ROUTING, scope: AlertRoutingScope.NAMESPACE },
  });
  const object = Testing.synth(shop).find((o) => o.kind === 'AlertmanagerConfig');
  const merged = mergeAsTheOperatorDoes(YAML.parse(platform.alertmanagerConfigYaml), object, {
    'alertmanager-slack/url': 'https://hooks.example.com/shop',
    'alertmanager-slack/platform-url': 'https://hooks.example.com/platform',
    'alertmanager-pagerduty/routing-key': 'stand-in-routing-key',
  });
  const dir = tempDir('alertmanager-merged');
  fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), YAML.stringify(merged));
  const routed = (labels: string[]) =>
    expectSuccess('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yaml', ...labels], dir).stdout.trim().split(',');
  const mine = (receiver: string) => `shop/shop-web-alertmanager/${receiver}`;

  test('the merged configuration passes amtool check-config: matchers, durations and receivers are valid', () => {
    const { output } = expectSuccess('amtool', ['check-config', 'alertmanager.yaml'], dir);
    expect(output).toMatch(/SUCCESS/);
    // The platform's Slack, pager and null, and the shop's four receivers.
    expect(output).toMatch(/7 receivers/);
    expect(output).toMatch(/3 inhibit rules/);
  });

  test("sends a warning of the namespace to the shop's default receiver, and the cluster's routes notify nobody for it", () => {
    expect(routed(['alertname=HighLatencyP95', 'severity=warning', 'team=shop', 'service=shop-web', 'namespace=shop'])).toEqual([mine('shop-slack'), 'null']);
  });

  test("pages the shop's pager once for a critical alert of its namespace: the platform's critical catch-all does not page again", () => {
    // The operator forces continue: true on the namespace's route, so the alert reaches the
    // cluster's routes too; the platform's configuration sends the namespace's alerts to null.
    expect(routed(['alertname=HighErrorRate', 'severity=critical', 'team=shop', 'service=shop-web', 'namespace=shop'])).toEqual([mine('shop-pager'), 'null']);
  });

  test('routes the platform team and the cluster as before', () => {
    expect(routed(['alertname=CertificateExpiring', 'severity=critical', 'team=platform'])).toEqual(['platform-pager']);
    expect(routed(['alertname=KubePodNotReady', 'severity=warning', 'namespace=kube-system'])).toEqual(['platform-slack']);
  });

  test("never routes another namespace's alert to the shop's receivers, whatever its team", () => {
    for (const labels of [
      ['alertname=HighErrorRate', 'severity=critical', 'team=shop', 'namespace=checkout'],
      ['alertname=NodeDiskSpaceLow', 'severity=warning', 'team=platform'],
    ]) {
      expect(routed(labels).filter((r) => r.startsWith('shop/'))).toEqual([]);
    }
  });

  test("keeps InfoInhibitor of the namespace (it carries the info alert's namespace) away from the shop's people", () => {
    expect(routed(['alertname=InfoInhibitor', 'severity=none', 'namespace=shop'])).toEqual([mine('null'), 'null']);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, process: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (process.exitCode !== null) throw new Error(`alertmanager exited (${process.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager did not become ready:\n${log()}`);
}

/** The `service` label prometheus-operator gives kube-state-metrics' series in kube-prometheus-stack. */
const KSM_SERVICE = 'kube-prometheus-stack-kube-state-metrics';

describe('a real Alertmanager running the emitted configuration', () => {
  let alertmanager: ChildProcess | undefined;
  let slack: http.Server | undefined;
  let amUrl = '';
  let amLog = '';
  const slackMessages: Array<{ path: string; body: any }> = [];
  const pagerMessages: Array<{ body: any }> = [];

  async function postAlerts(alerts: Array<{ [label: string]: string }>): Promise<void> {
    const response = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(
        alerts.map((labels) => ({
          labels: { environment: 'production', ...labels },
          annotations: {
            summary: `${labels.alertname} summary`,
            description: `${labels.alertname} description`,
            runbook_url: `https://runbooks.example.com/shop/${labels.alertname}`,
          },
        })),
      ),
    });
    expect(response.status).toBe(200);
  }

  async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; alertmanager log:\n${amLog}`);
  }

  beforeAll(async () => {
    requireTool('prometheus-alertmanager', 'prometheus-alertmanager');
    const dir = tempDir('alertmanager-run');
    // A local stand-in for Slack's webhooks, behind the mounted-Secret files the config names,
    // and for PagerDuty's Events API v2 (path /pagerduty), so no test calls the internet.
    slack = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.url === '/pagerduty') {
          pagerMessages.push({ body: JSON.parse(body) });
          res.statusCode = 202;
          res.end('{"status":"success","message":"Event processed"}');
          return;
        }
        slackMessages.push({ path: req.url ?? '', body: JSON.parse(body) });
        res.end('ok');
      });
    });
    const slackPort = await freePort();
    await new Promise<void>((resolve) => slack!.listen(slackPort, '127.0.0.1', resolve));
    const secrets = path.join(dir, 'secrets');
    fs.mkdirSync(path.join(secrets, 'alertmanager-slack'), { recursive: true });
    fs.writeFileSync(path.join(secrets, 'alertmanager-slack', 'url'), `http://127.0.0.1:${slackPort}/shop`);
    fs.writeFileSync(path.join(secrets, 'alertmanager-slack', 'platform-url'), `http://127.0.0.1:${slackPort}/platform`);
    fs.mkdirSync(path.join(secrets, 'alertmanager-pagerduty'), { recursive: true });
    fs.writeFileSync(path.join(secrets, 'alertmanager-pagerduty', 'routing-key'), 'stand-in-routing-key');
    fs.writeFileSync(path.join(secrets, 'alertmanager-pagerduty', 'platform-routing-key'), 'stand-in-platform-key');

    // The production routing, with the Secrets "mounted" in the temp dir and a 1 s group wait.
    const props = productionProps();
    const chart = new MonitoringChart(Testing.app(), 'monitoring', {
      ...props,
      alertmanager: { ...props.alertmanager, secretsMountPath: secrets, groupWaitSeconds: 1 },
    });
    // The one change to the emitted configuration: PagerDuty's endpoint is the local stand-in.
    const config = YAML.parse(chart.alertmanagerConfigYaml);
    const pagerDutyConfigs = config.receivers.flatMap((r: any) => r.pagerduty_configs ?? []);
    expect(pagerDutyConfigs).toHaveLength(2);
    for (const pagerDuty of pagerDutyConfigs) pagerDuty.url = `http://127.0.0.1:${slackPort}/pagerduty`;
    fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), YAML.stringify(config));

    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    alertmanager = spawn(
      'prometheus-alertmanager',
      [
        '--config.file=alertmanager.yaml',
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    alertmanager.stdout!.on('data', (d) => (amLog += d));
    alertmanager.stderr!.on('data', (d) => (amLog += d));
    await waitUntilReady(amUrl, alertmanager, () => amLog);

    // ServiceDown is the shop's own critical alert (its pager), team "drill" has no route (the
    // critical catch-all to the shop's pager), KubeAPIDown and KubePersistentVolumeErrors stand
    // for kube-prometheus-stack's criticals: no team, and the latter with the `service` label
    // prometheus-operator gives every kube-state-metrics series (they go to the platform's
    // pager). The critical alerts go first, and the warnings only once Alertmanager lists them
    // as active: the inhibitor learns of alerts asynchronously, and in production the critical
    // alert is usually the older one too. Without this the test raced under load.
    await postAlerts([
      { alertname: 'ServiceDown', severity: 'critical', team: 'shop', service: 'shop-web' },
      { alertname: 'HighErrorRate', severity: 'critical', team: 'drill', service: 'drill-web' },
      { alertname: 'KubeAPIDown', severity: 'critical' },
      { alertname: 'KubePersistentVolumeErrors', severity: 'critical', service: KSM_SERVICE, namespace: 'kube-system' },
      { alertname: 'Watchdog', severity: 'none' },
      { alertname: 'InfoInhibitor', severity: 'none', namespace: 'kube-system' },
    ]);
    await eventually('the critical alerts to be active', async () => {
      const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as any[];
      const active = (name: string) => list.some((a) => a.labels.alertname === name && a.status.state === 'active');
      return ['ServiceDown', 'HighErrorRate', 'KubeAPIDown', 'KubePersistentVolumeErrors', 'InfoInhibitor'].every(active) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    await postAlerts([
      { alertname: 'HighLatencyP95', severity: 'warning', team: 'shop', service: 'shop-web' },
      { alertname: 'RedisEvictions', severity: 'warning', team: 'shop', service: 'shop-web-redis' },
      { alertname: 'NodeDiskSpaceLow', severity: 'warning', team: 'platform', service: 'kubernetes-nodes' },
      // No service label, like KubeAPIDown: the missing labels must not count as equal.
      { alertname: 'KubePodNotReady', severity: 'warning', namespace: 'kube-system' },
      // Another team's namespace, the same kube-state-metrics `service` as the critical above.
      { alertname: 'KubePodCrashLooping', severity: 'warning', service: KSM_SERVICE, namespace: 'orders-api' },
      { alertname: 'CPUThrottlingHigh', severity: 'info', namespace: 'kube-system' },
    ]);
  });

  afterAll(async () => {
    if (alertmanager && alertmanager.exitCode === null) {
      const exited = new Promise((r) => alertmanager!.once('exit', r));
      alertmanager.kill('SIGTERM');
      await exited;
    }
    if (slack) await new Promise((r) => slack!.close(r));
  });

  test('inhibits a warning while a critical alert fires for the same team and service', async () => {
    const alerts = await eventually('the inhibition to apply', async () => {
      const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as any[];
      const latency = list.find((a) => a.labels.alertname === 'HighLatencyP95');
      return latency?.status.state === 'suppressed' ? list : undefined;
    });
    const byName = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a.status]));
    expect(byName.HighLatencyP95.inhibitedBy).toHaveLength(1);
    expect(byName.ServiceDown.state).toBe('active');
    // A warning of another service is not silenced by the web app's critical alert.
    expect(byName.RedisEvictions.state).toBe('active');
  });

  test("does not let kube-prometheus-stack's alerts inhibit each other: one kube-state-metrics critical leaves another namespace's warning alone", async () => {
    const alerts = await eventually('the inhibition to apply', async () => {
      const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as any[];
      const latency = list.find((a) => a.labels.alertname === 'HighLatencyP95');
      return latency?.status.state === 'suppressed' ? list : undefined;
    });
    const byName = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a.status]));
    expect(byName.KubePersistentVolumeErrors.state).toBe('active');
    expect(byName.KubePodCrashLooping).toMatchObject({ state: 'active', inhibitedBy: [] });
    expect(byName.KubeAPIDown.state).toBe('active');
    expect(byName.KubePodNotReady).toMatchObject({ state: 'active', inhibitedBy: [] });
    // And both are notified, to the platform team's channel: they carry no team.
    for (const name of ['KubePodCrashLooping', 'KubePodNotReady']) {
      const message = await eventually(`a Slack message about ${name}`, () => slackMessages.find((m) => JSON.stringify(m.body).includes(name)));
      expect(message.path).toBe('/platform');
    }
  });

  test("posts warnings to the team's Slack webhook read from the mounted Secret file, with runbook and context", async () => {
    const message = await eventually('a Slack message about RedisEvictions', () =>
      slackMessages.find((m) => m.path === '/shop' && JSON.stringify(m.body).includes('RedisEvictions')),
    );
    const attachment = message.body.attachments[0];
    expect(message.body.channel).toBe('#shop-alerts');
    expect(attachment.title).toBe('[FIRING:1] RedisEvictions (shop-web-redis, production)');
    expect(attachment.text).toContain('*WARNING* RedisEvictions summary');
    expect(attachment.text).toContain('Runbook: https://runbooks.example.com/shop/RedisEvictions');
  });

  test("posts the platform team's alerts to the platform webhook", async () => {
    const message = await eventually('a Slack message about NodeDiskSpaceLow', () =>
      slackMessages.find((m) => JSON.stringify(m.body).includes('NodeDiskSpaceLow')),
    );
    expect(message.path).toBe('/platform');
    expect(message.body.channel).toBe('#platform-alerts');
  });

  test('silences an info alert while InfoInhibitor fires in its namespace', async () => {
    const throttling = await eventually('CPUThrottlingHigh to be inhibited', async () => {
      const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as any[];
      const alert = list.find((a) => a.labels.alertname === 'CPUThrottlingHigh');
      return alert?.status.state === 'suppressed' ? alert : undefined;
    });
    expect(throttling.status.inhibitedBy).toHaveLength(1);
  });

  test("pages the platform's pager for kube-prometheus-stack's criticals, the shop's for its own and for a team without a route", async () => {
    const paged = (name: string) => eventually(`a PagerDuty event about ${name}`, () => pagerMessages.find((m) => m.body.payload?.summary?.startsWith(`${name}:`)));
    const drill = await paged('HighErrorRate');
    expect(drill.body).toMatchObject({
      routing_key: 'stand-in-routing-key',
      event_action: 'trigger',
      payload: { summary: 'HighErrorRate: HighErrorRate summary', severity: 'critical' },
    });
    expect((await paged('ServiceDown')).body.routing_key).toBe('stand-in-routing-key');
    expect((await paged('KubeAPIDown')).body).toMatchObject({ routing_key: 'stand-in-platform-key', payload: { severity: 'critical' } });
    expect((await paged('KubePersistentVolumeErrors')).body.routing_key).toBe('stand-in-platform-key');
    // Paged, not posted to a channel.
    expect(slackMessages.filter((m) => JSON.stringify(m.body).includes('HighErrorRate'))).toEqual([]);
  });

  test('never posts the inhibited warning or info alert, nor Watchdog or InfoInhibitor, anywhere', async () => {
    await eventually('the other notifications', () => (slackMessages.length >= 4 && pagerMessages.length >= 4 ? true : undefined));
    expect(slackMessages.filter((m) => JSON.stringify(m.body).includes('HighLatencyP95'))).toEqual([]);
    const everything = JSON.stringify([...slackMessages, ...pagerMessages]);
    expect(everything).not.toContain('Watchdog');
    expect(everything).not.toContain('InfoInhibitor');
    expect(everything).not.toContain('CPUThrottlingHigh');
  });
});

/**
 * The annotated-pods PodMonitor on a real Prometheus: the relabelings the operator generates
 * for a PodMonitor (its `container` label from the discovered container) followed by ours, fed
 * the targets the pod role discovers for one pod with an app container and a sidecar (file
 * service discovery carries the same `__meta_kubernetes_*` labels). Prometheus must scrape the
 * pod once: two targets would double every sum over its series.
 */
describe('a real Prometheus running the annotated-pods relabelings', () => {
  let prometheus: ChildProcess | undefined;
  let metrics: http.Server | undefined;
  let log = '';
  let url = '';

  const toConfig = (r: any) => ({
    ...(r.sourceLabels ? { source_labels: r.sourceLabels } : {}),
    ...(r.action ? { action: r.action } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
    ...(r.targetLabel ? { target_label: r.targetLabel } : {}),
  });

  /** Starts Prometheus with one scrape pool per relabeling list; returns the healthy targets by pool. */
  async function activeTargets(pools: { [pool: string]: any[] }): Promise<{ [pool: string]: any[] }> {
    const dir = tempDir('prometheus-pods');
    const metricsPort = (metrics!.address() as net.AddressInfo).port;
    const pod = (container: string) => ({
      targets: ['127.0.0.1'],
      labels: {
        __meta_kubernetes_namespace: 'shop',
        __meta_kubernetes_pod_name: 'shop-web-1',
        __meta_kubernetes_pod_ip: '127.0.0.1',
        __meta_kubernetes_pod_phase: 'Running',
        __meta_kubernetes_pod_container_name: container,
        __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
        __meta_kubernetes_pod_annotation_prometheus_io_port: String(metricsPort),
      },
    });
    fs.writeFileSync(path.join(dir, 'pods.json'), JSON.stringify([pod('app'), pod('istio-proxy')]));
    // What the operator puts before a PodMonitor's own relabelings: the container label.
    const operatorDefaults = [{ source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' }];
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      YAML.stringify({
        global: { scrape_interval: '1s' },
        scrape_configs: Object.entries(pools).map(([pool, relabelings]) => ({
          job_name: pool,
          file_sd_configs: [{ files: ['pods.json'] }],
          relabel_configs: [...operatorDefaults, ...relabelings.map(toConfig)],
        })),
      }),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn('prometheus', ['--config.file=prometheus.yml', `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stdout!.on('data', (d) => (log += d));
    prometheus.stderr!.on('data', (d) => (log += d));
    await waitUntilReady(url, prometheus, () => log);
    for (let attempt = 0; attempt < 100; attempt++) {
      const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as any;
      const targets = body.data.activeTargets as any[];
      const byPool = Object.fromEntries(Object.keys(pools).map((pool) => [pool, targets.filter((t) => t.scrapePool === pool)]));
      if (Object.values(byPool).every((list) => list.length > 0 && list.every((t) => t.health === 'up'))) return byPool;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no healthy target:\n${log}`);
  }

  let byPool: { [pool: string]: any[] } = {};

  beforeAll(async () => {
    requireTool('prometheus', 'prometheus');
    metrics = http.createServer((_req, res) => res.end('app_requests_total 1\n'));
    await new Promise<void>((resolve) => metrics!.listen(0, '127.0.0.1', resolve));
    const chart = productionChart();
    const monitor = Testing.synth(chart).find((o: any) => o.kind === 'PodMonitor');
    const relabelings = monitor.spec.podMetricsEndpoints[0].relabelings as any[];
    byPool = await activeTargets({ emitted: relabelings, 'without-labeldrop': relabelings.filter((r) => r.action !== 'labeldrop') });
  });
  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    if (metrics) await new Promise((r) => metrics!.close(r));
  });

  test('scrapes a pod with a sidecar once, on its annotated port, as job kubernetes-pods', () => {
    expect(byPool.emitted).toHaveLength(1);
    expect(byPool.emitted[0].labels).toMatchObject({ job: 'kubernetes-pods', namespace: 'shop', pod: 'shop-web-1' });
    expect(byPool.emitted[0].labels.container).toBeUndefined();
  });

  test('without dropping the container label it would scrape the pod twice: the check has teeth', () => {
    expect(byPool['without-labeldrop']).toHaveLength(2);
  });
});

/** A `promtool test rules` case: input series, and the alerts expected at one evaluation time. */
interface RuleCase {
  readonly series: Array<[series: string, values: string]>;
  readonly evalTime: string;
  readonly alert: string;
  readonly expected: Array<{ labels: { [k: string]: string }; annotations: { [k: string]: string } }>;
  readonly interval?: string;
  /** Rule evaluation interval of the test. */
  readonly evaluationInterval?: string;
  /**
   * Evaluate only these rules (records and alerts, unchanged), to keep a week-long series
   * fast; by default the whole rule file.
   */
  readonly onlyRules?: string[];
  readonly exprChecks?: Array<{ expr: string; evalTime: string; samples: Array<{ labels: string; value: number }> }>;
}

/** Runs `promtool test rules` on the chart's rule file with one test case. */
function promtoolTestRules(chart: MonitoringChart, testCase: RuleCase): void {
  const dir = tempDir('unit');
  let rules = chart.rulesYaml;
  if (testCase.onlyRules) {
    const only = testCase.onlyRules;
    const groups = YAML.parse(rules).groups
      .map((g: any) => ({ ...g, rules: g.rules.filter((r: any) => only.includes(r.record ?? r.alert)) }))
      .filter((g: any) => g.rules.length > 0);
    rules = YAML.stringify({ groups });
  }
  fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
  const tests = {
    rule_files: ['rules.yml'],
    evaluation_interval: testCase.evaluationInterval ?? '1m',
    tests: [
      {
        interval: testCase.interval ?? '1m',
        input_series: testCase.series.map(([series, values]) => ({ series, values })),
        alert_rule_test: [
          {
            eval_time: testCase.evalTime,
            alertname: testCase.alert,
            exp_alerts: testCase.expected.map((a) => ({ exp_labels: a.labels, exp_annotations: a.annotations })),
          },
        ],
        ...(testCase.exprChecks
          ? {
              promql_expr_test: testCase.exprChecks.map((c) => ({
                expr: c.expr,
                eval_time: c.evalTime,
                exp_samples: c.samples,
              })),
            }
          : {}),
      },
    ],
  };
  fs.writeFileSync(path.join(dir, 'tests.yml'), YAML.stringify(tests));
  const { output } = expectSuccess('promtool', ['test', 'rules', 'tests.yml'], dir);
  expect(output).toMatch(/SUCCESS/);
}

describe('promtool test rules: each important alert fires on a failure and stays silent when healthy', () => {
  const chart = productionChart();
  const runbook = (slug: string) => `https://runbooks.example.com/shop/${slug}`;
  const shop = { team: 'shop', environment: 'production' };
  const web = { ...shop, service: 'shop-web' };
  const platform = { team: 'platform', environment: 'production' };
  const silent = (alert: string, series: RuleCase['series'], evalTime: string) =>
    promtoolTestRules(chart, { alert, series, evalTime, expected: [] });

  // ---- ServiceDown ----
  const up = 'up{job="shop-web",instance="10.0.1.10:8080",namespace="shop",pod="shop-web-1"}';
  const serviceDown = {
    labels: { severity: 'critical', ...web },
    annotations: {
      summary: 'shop-web is down',
      description: 'No shop-web target in namespace shop has answered a scrape of its metrics endpoint for 2 minutes (or none is discovered).',
      runbook_url: runbook('service-down'),
    },
  };

  test('ServiceDown fires when no target of the app answers for 2 minutes', () => {
    promtoolTestRules(chart, { alert: 'ServiceDown', series: [[up, '0x10']], evalTime: '5m', expected: [serviceDown] });
  });

  test('ServiceDown fires when the app has no target at all', () => {
    promtoolTestRules(chart, {
      alert: 'ServiceDown',
      series: [['up{job="another-app",instance="10.0.9.9:8080"}', '1x10']],
      evalTime: '5m',
      expected: [{ ...serviceDown, labels: { ...serviceDown.labels, job: 'shop-web' } }],
    });
  });

  test('ServiceDown stays silent while one target of two answers', () => {
    silent('ServiceDown', [[up, '0x10'], [up.replace('10.0.1.10', '10.0.1.11').replace('shop-web-1', 'shop-web-2'), '1x10']], '5m');
  });

  // ---- HighErrorRate ----
  const requests = (status: string) => `http_requests_total{job="shop-web",instance="10.0.1.10:8080",status="${status}",method="GET"}`;

  test('HighErrorRate fires when 10% of requests fail with 5xx for 5 minutes', () => {
    promtoolTestRules(chart, {
      alert: 'HighErrorRate',
      series: [
        [requests('200'), '0+54x20'],
        [requests('503'), '0+6x20'],
      ],
      evalTime: '12m',
      expected: [
        {
          labels: { severity: 'critical', ...web, job: 'shop-web' },
          annotations: {
            summary: 'shop-web: more than 5% of requests fail with 5xx',
            description: '10% of the requests to shop-web returned a 5xx status over the last 5 minutes (threshold 5%, at more than 0.1 requests/s).',
            runbook_url: runbook('high-error-rate'),
          },
        },
      ],
    });
  });

  test('HighErrorRate stays silent at 1% errors', () => {
    silent('HighErrorRate', [[requests('200'), '0+594x20'], [requests('500'), '0+6x20']], '12m');
  });

  test('HighErrorRate stays silent below the traffic floor, even when every request fails', () => {
    // 3 requests a minute (0.05/s), all 5xx: a trickle, not an outage worth a page.
    silent('HighErrorRate', [[requests('500'), '0+3x20']], '12m');
  });

  test('HighErrorRate fires on a trickle of failures when the traffic floor is 0', () => {
    const anyTraffic = productionChart({ thresholds: { errorRateMinimumRequestsPerSecond: 0 } });
    promtoolTestRules(anyTraffic, {
      alert: 'HighErrorRate',
      series: [[requests('500'), '0+3x20']],
      evalTime: '12m',
      expected: [
        {
          labels: { severity: 'critical', ...web, job: 'shop-web' },
          annotations: {
            summary: 'shop-web: more than 5% of requests fail with 5xx',
            description: '100% of the requests to shop-web returned a 5xx status over the last 5 minutes (threshold 5%, at more than 0 requests/s).',
            runbook_url: runbook('high-error-rate'),
          },
        },
      ],
    });
  });

  test('the recorded error ratio is 0, not missing, when the app has never answered 5xx', () => {
    promtoolTestRules(chart, {
      alert: 'HighErrorRate',
      series: [[requests('200'), '0+60x20']],
      evalTime: '12m',
      expected: [],
      exprChecks: [
        { expr: 'job:http_requests_5xx:ratio_rate5m', evalTime: '12m', samples: [{ labels: 'job:http_requests_5xx:ratio_rate5m{job="shop-web"}', value: 0 }] },
        { expr: 'job:http_requests:rate5m', evalTime: '12m', samples: [{ labels: 'job:http_requests:rate5m{job="shop-web"}', value: 1 }] },
      ],
    });
  });

  // ---- HighLatencyP95 ----
  const bucket = (le: string) => `http_request_duration_seconds_bucket{job="shop-web",instance="10.0.1.10:8080",le="${le}"}`;

  test('HighLatencyP95 fires when the 95th percentile stays above 2s for 10 minutes', () => {
    // 100 requests a minute, all between 2.5s and 5s: p95 interpolates to 4.875s.
    promtoolTestRules(chart, {
      alert: 'HighLatencyP95',
      series: [
        [bucket('0.5'), '0x30'],
        [bucket('1'), '0x30'],
        [bucket('2.5'), '0x30'],
        [bucket('5'), '0+100x30'],
        [bucket('+Inf'), '0+100x30'],
      ],
      evalTime: '20m',
      expected: [
        {
          labels: { severity: 'warning', ...web, job: 'shop-web' },
          annotations: {
            summary: 'shop-web: p95 latency above 2s',
            description: "The 95th percentile of shop-web's request duration is 4.875s (threshold 2s).",
            runbook_url: runbook('high-latency-p95'),
          },
        },
      ],
      exprChecks: [
        { expr: 'job:http_request_duration_seconds:p95_rate5m', evalTime: '20m', samples: [{ labels: 'job:http_request_duration_seconds:p95_rate5m{job="shop-web"}', value: 4.875 }] },
      ],
    });
  });

  test('HighLatencyP95 stays silent when requests finish within half a second', () => {
    silent('HighLatencyP95', [
      [bucket('0.5'), '0+100x30'],
      [bucket('1'), '0+100x30'],
      [bucket('2.5'), '0+100x30'],
      [bucket('5'), '0+100x30'],
      [bucket('+Inf'), '0+100x30'],
    ], '20m');
  });

  // ---- ThroughputDrop ----
  const rps = requests('200');

  // A week of samples: evaluate every 5 minutes, and only the rules ThroughputDrop reads.
  const weekLong = { evaluationInterval: '5m', onlyRules: ['job:http_requests:rate5m', 'ThroughputDrop'] };

  test('ThroughputDrop fires when traffic falls below half of the same time last week', () => {
    // 4 req/s for a week, then 1.5 req/s.
    promtoolTestRules(chart, {
      ...weekLong,
      alert: 'ThroughputDrop',
      series: [[rps, '0+240x10080 2419200+90x60']],
      evalTime: '10130m',
      expected: [
        {
          labels: { severity: 'warning', ...web, job: 'shop-web' },
          annotations: {
            summary: 'shop-web: traffic dropped by more than 50% from a week ago',
            description: 'shop-web serves 1.5 requests/s, less than 50% of the rate at the same time last week. Check the load balancer, DNS and clients.',
            runbook_url: runbook('throughput-drop'),
          },
        },
      ],
    });
  });

  test('ThroughputDrop stays silent on steady traffic', () => {
    promtoolTestRules(chart, { ...weekLong, alert: 'ThroughputDrop', series: [[rps, '0+240x10140']], evalTime: '10130m', expected: [] });
  });

  // ---- Containers ----
  const ksm = 'job="kube-state-metrics",instance="10.0.1.5:8080"';
  const pod = 'namespace="shop",pod="shop-web-1",container="web"';

  test('PodRestartLoop fires when a container restarts more than 3 times in 15 minutes', () => {
    promtoolTestRules(chart, {
      alert: 'PodRestartLoop',
      series: [[`kube_pod_container_status_restarts_total{${pod},${ksm}}`, '0+1x30']],
      evalTime: '25m',
      expected: [
        {
          labels: { severity: 'warning', ...web, namespace: 'shop', pod: 'shop-web-1', container: 'web', job: 'kube-state-metrics', instance: '10.0.1.5:8080' },
          annotations: {
            summary: 'shop-web: container shop-web-1/web is restarting in a loop',
            description: 'Container web of pod shop-web-1 restarted 15 times in 15 minutes (threshold 3).',
            runbook_url: runbook('pod-restart-loop'),
          },
        },
      ],
    });
  });

  test('PodRestartLoop stays silent for a container that restarted long ago', () => {
    silent('PodRestartLoop', [[`kube_pod_container_status_restarts_total{${pod},${ksm}}`, '3x30']], '25m');
  });

  test('PodRestartLoop ignores other namespaces', () => {
    silent('PodRestartLoop', [[`kube_pod_container_status_restarts_total{namespace="other",pod="x-1",container="x",${ksm}}`, '0+1x30']], '25m');
  });

  const memory = (workingSetMi: number) => [
    [`container_memory_working_set_bytes{${pod},id="/kubepods/1",instance="ip-10-0-1-5",job="kubelet-cadvisor"}`, `${workingSetMi * 1048576}x30`],
    [`container_memory_working_set_bytes{namespace="shop",pod="shop-web-1",container="",id="/kubepods",instance="ip-10-0-1-5",job="kubelet-cadvisor"}`, `${workingSetMi * 1048576}x30`],
    [`kube_pod_container_resource_limits{${pod},resource="memory",unit="byte",${ksm}}`, `${1000 * 1048576}x30`],
  ] as RuleCase['series'];

  test('ContainerMemoryNearLimit fires at 95% of the memory limit', () => {
    promtoolTestRules(chart, {
      alert: 'ContainerMemoryNearLimit',
      series: memory(950),
      evalTime: '25m',
      expected: [
        {
          labels: { severity: 'warning', ...web, namespace: 'shop', pod: 'shop-web-1', container: 'web' },
          annotations: {
            summary: 'shop-web: container shop-web-1/web uses over 90% of its memory limit',
            description: 'Container web of pod shop-web-1 uses 95% of its memory limit; at 100% it is OOM-killed.',
            runbook_url: runbook('container-memory-near-limit'),
          },
        },
      ],
    });
  });

  test('ContainerMemoryNearLimit stays silent at half the limit', () => {
    silent('ContainerMemoryNearLimit', memory(500), '25m');
  });

  const hpa = (current: number, min: number, max: number) =>
    [
      [`kube_horizontalpodautoscaler_status_current_replicas{namespace="shop",horizontalpodautoscaler="shop-web",${ksm}}`, `${current}x30`],
      [`kube_horizontalpodautoscaler_spec_min_replicas{namespace="shop",horizontalpodautoscaler="shop-web",${ksm}}`, `${min}x30`],
      [`kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop",horizontalpodautoscaler="shop-web",${ksm}}`, `${max}x30`],
    ] as RuleCase['series'];

  test('HpaAtMaxReplicas fires when the autoscaler runs at its maximum for 15 minutes', () => {
    promtoolTestRules(chart, {
      alert: 'HpaAtMaxReplicas',
      series: hpa(20, 3, 20),
      evalTime: '25m',
      expected: [
        {
          labels: { severity: 'warning', ...web, namespace: 'shop', horizontalpodautoscaler: 'shop-web', job: 'kube-state-metrics', instance: '10.0.1.5:8080' },
          annotations: {
            summary: 'shop-web: autoscaler shop-web is at its maximum replicas',
            description: 'The HorizontalPodAutoscaler shop-web has run at its maximum of 20 replicas for 15 minutes; it cannot absorb more load.',
            runbook_url: runbook('hpa-at-max-replicas'),
          },
        },
      ],
    });
  });

  test('HpaAtMaxReplicas stays silent below the maximum, and for a fixed-size autoscaler', () => {
    silent('HpaAtMaxReplicas', hpa(5, 3, 20), '25m');
    silent('HpaAtMaxReplicas', hpa(3, 3, 3), '25m');
  });

  // ---- PostgreSQL ----
  const pg = 'job="shop-web-postgres-exporter",instance="10.0.2.5:9187"';
  const pgLabels = { job: 'shop-web-postgres-exporter', instance: '10.0.2.5:9187' };
  const replicationLag = {
    labels: { severity: 'warning', ...shop, service: 'shop-web-postgresql', ...pgLabels },
    annotations: {
      summary: 'shop-web: PostgreSQL replica lags by more than 30s',
      description: 'The replica behind 10.0.2.5:9187 is 2m 0s behind its primary; reads from it are stale.',
      runbook_url: runbook('postgres-replication-lag'),
    },
  };

  test('PostgresReplicationLag fires when a replica is 2 minutes behind for 5 minutes', () => {
    promtoolTestRules(chart, { alert: 'PostgresReplicationLag', series: [[`pg_replication_lag_seconds{${pg}}`, '120x20']], evalTime: '10m', expected: [replicationLag] });
  });

  test('PostgresReplicationLag also reads the pg_replication_lag metric of older exporters', () => {
    promtoolTestRules(chart, { alert: 'PostgresReplicationLag', series: [[`pg_replication_lag{${pg}}`, '120x20']], evalTime: '10m', expected: [replicationLag] });
  });

  test('PostgresReplicationLag stays silent at sub-second lag', () => {
    silent('PostgresReplicationLag', [[`pg_replication_lag_seconds{${pg}}`, '0.5x20']], '10m');
  });

  test('PostgresConnectionsHigh fires at 90% of max_connections', () => {
    promtoolTestRules(chart, {
      alert: 'PostgresConnectionsHigh',
      series: [
        [`pg_stat_activity_count{${pg},datname="shop",state="active"}`, '50x20'],
        [`pg_stat_activity_count{${pg},datname="shop",state="idle"}`, '40x20'],
        [`pg_settings_max_connections{${pg}}`, '100x20'],
      ],
      evalTime: '15m',
      expected: [
        {
          labels: { severity: 'warning', ...shop, service: 'shop-web-postgresql', ...pgLabels },
          annotations: {
            summary: 'shop-web: PostgreSQL uses over 80% of max_connections',
            description: 'The database behind 10.0.2.5:9187 uses 90% of max_connections; new connections will soon be refused.',
            runbook_url: runbook('postgres-connections-high'),
          },
        },
      ],
    });
  });

  test('PostgresConnectionsHigh stays silent at 30%', () => {
    silent('PostgresConnectionsHigh', [[`pg_stat_activity_count{${pg},datname="shop",state="active"}`, '30x20'], [`pg_settings_max_connections{${pg}}`, '100x20']], '15m');
  });

  // ---- Redis ----
  const redis = 'job="shop-web-redis-exporter",instance="10.0.2.6:9121"';
  const redisLabels = { job: 'shop-web-redis-exporter', instance: '10.0.2.6:9121' };

  test('RedisMemoryHigh fires at 95% of maxmemory for 10 minutes', () => {
    promtoolTestRules(chart, {
      alert: 'RedisMemoryHigh',
      series: [
        [`redis_memory_used_bytes{${redis}}`, '950000000x20'],
        [`redis_memory_max_bytes{${redis}}`, '1000000000x20'],
      ],
      evalTime: '15m',
      expected: [
        {
          labels: { severity: 'warning', ...shop, service: 'shop-web-redis', ...redisLabels },
          annotations: {
            summary: 'shop-web: Redis uses over 90% of maxmemory',
            description: 'Redis behind 10.0.2.6:9121 uses 95% of maxmemory; at 100% it evicts keys or refuses writes.',
            runbook_url: runbook('redis-memory-high'),
          },
        },
      ],
    });
  });

  test('RedisMemoryHigh stays silent at half of maxmemory, and when maxmemory is unset', () => {
    silent('RedisMemoryHigh', [[`redis_memory_used_bytes{${redis}}`, '500000000x20'], [`redis_memory_max_bytes{${redis}}`, '1000000000x20']], '15m');
    silent('RedisMemoryHigh', [[`redis_memory_used_bytes{${redis}}`, '500000000x20'], [`redis_memory_max_bytes{${redis}}`, '0x20']], '15m');
  });

  test('RedisEvictions fires on sustained evictions', () => {
    promtoolTestRules(chart, {
      alert: 'RedisEvictions',
      series: [[`redis_evicted_keys_total{${redis}}`, '0+60x30']],
      evalTime: '20m',
      expected: [
        {
          labels: { severity: 'warning', ...shop, service: 'shop-web-redis', ...redisLabels },
          annotations: {
            summary: 'shop-web: Redis is evicting keys',
            description: 'Redis behind 10.0.2.6:9121 evicts 1 keys/s because it is out of memory.',
            runbook_url: runbook('redis-evictions'),
          },
        },
      ],
    });
  });

  test('RedisEvictions stays silent when nothing is evicted', () => {
    silent('RedisEvictions', [[`redis_evicted_keys_total{${redis}}`, '42x30']], '20m');
  });

  // ---- Nodes ----
  const fsLabels = { device: '/dev/nvme0n1p1', fstype: 'xfs', mountpoint: '/', instance: '10.0.3.4:9100', job: 'node-exporter', node: 'ip-10-0-3-4' };
  const fsSelector = Object.entries(fsLabels).map(([k, v]) => `${k}="${v}"`).join(',');

  test('NodeDiskSpaceLow fires when a node filesystem has 5% left', () => {
    promtoolTestRules(chart, {
      alert: 'NodeDiskSpaceLow',
      series: [
        [`node_filesystem_avail_bytes{${fsSelector}}`, '5000000000x20'],
        [`node_filesystem_size_bytes{${fsSelector}}`, '100000000000x20'],
      ],
      evalTime: '15m',
      expected: [
        {
          labels: { severity: 'warning', ...platform, service: 'kubernetes-nodes', ...fsLabels },
          annotations: {
            summary: 'Node 10.0.3.4:9100: less than 10% disk space left on /',
            description: 'Filesystem / on 10.0.3.4:9100 has 5% free; the kubelet evicts pods when it fills.',
            runbook_url: runbook('node-disk-space-low'),
          },
        },
      ],
    });
  });

  test('NodeDiskSpaceLow stays silent at 50% free, and ignores full tmpfs mounts', () => {
    silent('NodeDiskSpaceLow', [[`node_filesystem_avail_bytes{${fsSelector}}`, '50000000000x20'], [`node_filesystem_size_bytes{${fsSelector}}`, '100000000000x20']], '15m');
    const tmpfs = fsSelector.replace('fstype="xfs"', 'fstype="tmpfs"');
    silent('NodeDiskSpaceLow', [[`node_filesystem_avail_bytes{${tmpfs}}`, '0x20'], [`node_filesystem_size_bytes{${tmpfs}}`, '100000000x20']], '15m');
  });

  // ---- the rest of the alerts: each fires and stays silent too ----
  test('ContainerCpuNearLimit fires at 95% of the CPU limit for 15 minutes, and stays silent at half', () => {
    const usage = (perMinute: number) => [`container_cpu_usage_seconds_total{namespace="shop",pod="shop-web-1",container="app"}`, `0+${perMinute}x40`] as [string, string];
    const limit: [string, string] = ['kube_pod_container_resource_limits{namespace="shop",pod="shop-web-1",container="app",resource="cpu",unit="core"}', '1x40'];
    promtoolTestRules(chart, {
      alert: 'ContainerCpuNearLimit',
      series: [usage(57), limit],
      evalTime: '25m',
      expected: [
        {
          labels: { severity: 'warning', ...web, namespace: 'shop', pod: 'shop-web-1', container: 'app' },
          annotations: {
            summary: 'shop-web: container shop-web-1/app uses over 90% of its CPU limit',
            description: 'Container app of pod shop-web-1 uses 95% of its CPU limit and is being throttled.',
            runbook_url: runbook('container-cpu-near-limit'),
          },
        },
      ],
    });
    silent('ContainerCpuNearLimit', [usage(30), limit], '25m');
  });

  test('PostgresSlowQueries fires on a transaction active for 2 minutes, and stays silent at 10 seconds', () => {
    const tx = (seconds: number): [string, string] => ['pg_stat_activity_max_tx_duration{job="shop-web-postgres-exporter",instance="10.0.2.5:9187",datname="shop",state="active"}', `${seconds}x10`];
    promtoolTestRules(chart, {
      alert: 'PostgresSlowQueries',
      series: [tx(120)],
      evalTime: '5m',
      expected: [
        {
          labels: { severity: 'warning', ...shop, service: 'shop-web-postgresql', job: 'shop-web-postgres-exporter', instance: '10.0.2.5:9187', datname: 'shop' },
          annotations: {
            summary: 'shop-web: a PostgreSQL query has been running for over 60s',
            description: 'The longest active transaction in database shop has been running for 2m 0s; check pg_stat_activity for blocked or runaway queries.',
            runbook_url: runbook('postgres-slow-queries'),
          },
        },
      ],
    });
    silent('PostgresSlowQueries', [tx(10)], '5m');
  });

  test('RedisTooManyConnections fires at 6000 clients for 5 minutes, and stays silent at 100', () => {
    const clients = (n: number): [string, string] => ['redis_connected_clients{job="shop-web-redis-exporter",instance="10.0.2.6:9121"}', `${n}x10`];
    promtoolTestRules(chart, {
      alert: 'RedisTooManyConnections',
      series: [clients(6000)],
      evalTime: '8m',
      expected: [
        {
          labels: { severity: 'warning', ...shop, service: 'shop-web-redis', job: 'shop-web-redis-exporter', instance: '10.0.2.6:9121' },
          annotations: {
            summary: 'shop-web: Redis has more than 5000 connected clients',
            description: 'Redis behind 10.0.2.6:9121 has 6000 connected clients; look for a connection leak or a missing pool limit.',
            runbook_url: runbook('redis-too-many-connections'),
          },
        },
      ],
    });
    silent('RedisTooManyConnections', [clients(100)], '8m');
  });

  test('NodeMemoryLow fires at 5% available for 10 minutes, and stays silent at half', () => {
    const memory = (available: number): Array<[string, string]> => [
      ['node_memory_MemAvailable_bytes{instance="10.0.3.4:9100",job="node-exporter"}', `${available}x20`],
      ['node_memory_MemTotal_bytes{instance="10.0.3.4:9100",job="node-exporter"}', '10000000000x20'],
    ];
    promtoolTestRules(chart, {
      alert: 'NodeMemoryLow',
      series: memory(500000000),
      evalTime: '15m',
      expected: [
        {
          labels: { severity: 'warning', ...platform, service: 'kubernetes-nodes', instance: '10.0.3.4:9100', job: 'node-exporter' },
          annotations: {
            summary: 'Node 10.0.3.4:9100: less than 10% memory available',
            description: 'Node 10.0.3.4:9100 has 5% of its memory available; pods will be evicted or OOM-killed.',
            runbook_url: runbook('node-memory-low'),
          },
        },
      ],
    });
    silent('NodeMemoryLow', memory(5000000000), '15m');
  });

  // ---- Certificates ----
  const certificate = 'certmanager_certificate_expiration_timestamp_seconds{name="shop-tls",namespace="shop",issuer_name="letsencrypt",issuer_kind="ClusterIssuer",issuer_group="cert-manager.io",job="cert-manager",instance="10.0.1.7:9402"}';
  const certLabels = { name: 'shop-tls', namespace: 'shop', issuer_name: 'letsencrypt', issuer_kind: 'ClusterIssuer', issuer_group: 'cert-manager.io', job: 'cert-manager', instance: '10.0.1.7:9402' };
  // promtool starts the clock at the Unix epoch: at 30m, time() is 1800.
  const expiresInDays = (days: number) => `${days * 86400 + 1800}x40`;

  test('CertificateExpiring warns 10 days before expiry', () => {
    promtoolTestRules(chart, {
      alert: 'CertificateExpiring',
      series: [[certificate, expiresInDays(10)]],
      evalTime: '30m',
      expected: [
        {
          labels: { severity: 'warning', ...platform, service: 'tls-certificates', ...certLabels },
          annotations: {
            summary: 'Certificate shop-tls expires in less than 21 days',
            description: 'cert-manager has not renewed certificate shop-tls; it expires in 10 days. Check the Certificate and its issuer.',
            runbook_url: runbook('certificate-expiring'),
          },
        },
      ],
    });
  });

  test('CertificateExpiring turns critical, and only critical, 3 days before expiry', () => {
    promtoolTestRules(chart, {
      alert: 'CertificateExpiring',
      series: [[certificate, expiresInDays(3)]],
      evalTime: '30m',
      expected: [
        {
          labels: { severity: 'critical', ...platform, service: 'tls-certificates', ...certLabels },
          annotations: {
            summary: 'Certificate shop-tls expires in less than 7 days',
            description: 'cert-manager has not renewed certificate shop-tls; it expires in 3 days. Clients will refuse the connection once it has expired.',
            runbook_url: runbook('certificate-expiring'),
          },
        },
      ],
    });
  });

  test('CertificateExpiring stays silent 60 days before expiry', () => {
    silent('CertificateExpiring', [[certificate, expiresInDays(60)]], '30m');
  });

  // ---- exporters that are not there ----
  const postgresJob = 'shop-web-postgres-exporter';
  const redisJob = 'shop-web-redis-exporter';

  test('PostgresDown and RedisDown fire when no exporter is scraped at all (otherwise every exporter rule would stay silent)', () => {
    const unrelated: RuleCase['series'] = [['up{job="shop-web",instance="10.0.1.10:8080"}', '1x10']];
    promtoolTestRules(chart, {
      alert: 'PostgresDown',
      series: unrelated,
      evalTime: '5m',
      expected: [
        {
          labels: { severity: 'critical', ...shop, service: 'shop-web-postgresql', job: postgresJob },
          annotations: {
            summary: 'shop-web: PostgreSQL is unreachable',
            description: `No postgres_exporter of job ${postgresJob} is scraped: nothing watches the database.`,
            runbook_url: runbook('postgres-down'),
          },
        },
      ],
    });
    promtoolTestRules(chart, {
      alert: 'RedisDown',
      series: unrelated,
      evalTime: '5m',
      expected: [
        {
          labels: { severity: 'critical', ...shop, service: 'shop-web-redis', job: redisJob },
          annotations: {
            summary: 'shop-web: Redis is unreachable',
            description: `No redis_exporter of job ${redisJob} is scraped: nothing watches Redis.`,
            runbook_url: runbook('redis-down'),
          },
        },
      ],
    });
  });

  test('PostgresDown and RedisDown stay silent while the exporters answer up', () => {
    silent('PostgresDown', [[`pg_up{job="${postgresJob}",instance="10.0.2.5:9187"}`, '1x10']], '5m');
    silent('RedisDown', [[`redis_up{job="${redisJob}",instance="10.0.2.6:9121"}`, '1x10']], '5m');
  });
});

describe('promtool test rules in the namespace scope: the firing alerts carry the app namespace its AlertmanagerConfig matches', () => {
  const chart = productionChart({ alertmanager: { ...productionProps().alertmanager, scope: AlertRoutingScope.NAMESPACE } });
  const web = { team: 'shop', environment: 'production', service: 'shop-web', namespace: 'shop' };

  test('ServiceDown, whose expression has no namespace of its own, fires with namespace="shop"', () => {
    promtoolTestRules(chart, {
      alert: 'ServiceDown',
      series: [['up{job="shop-web",instance="10.0.1.10:8080",namespace="shop",pod="shop-web-1"}', '0x10']],
      evalTime: '5m',
      expected: [
        {
          labels: { severity: 'critical', ...web },
          annotations: {
            summary: 'shop-web is down',
            description: 'No shop-web target in namespace shop has answered a scrape of its metrics endpoint for 2 minutes (or none is discovered).',
            runbook_url: 'https://runbooks.example.com/shop/service-down',
          },
        },
      ],
    });
  });

  test("PostgresDown fires with the app's namespace, not the exporter's", () => {
    promtoolTestRules(chart, {
      alert: 'PostgresDown',
      series: [['pg_up{job="shop-web-postgres-exporter",instance="10.0.2.5:9187",namespace="monitoring"}', '0x10']],
      evalTime: '5m',
      expected: [
        {
          labels: {
            severity: 'critical',
            ...web,
            service: 'shop-web-postgresql',
            job: 'shop-web-postgres-exporter',
            instance: '10.0.2.5:9187',
          },
          annotations: {
            summary: 'shop-web: PostgreSQL is unreachable',
            description: 'postgres_exporter 10.0.2.5:9187 cannot connect to its database.',
            runbook_url: 'https://runbooks.example.com/shop/postgres-down',
          },
        },
      ],
    });
  });

  test('the rule file passes promtool check rules', () => {
    const dir = tempDir('namespaced-rules');
    fs.writeFileSync(path.join(dir, 'rules.yml'), chart.rulesYaml);
    expectSuccess('promtool', ['check', 'rules', 'rules.yml'], dir);
  });
});
