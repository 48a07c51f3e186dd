import { App as ManifestApp, Testing as K8sTesting, Yaml } from 'cdk8s';
import { Testing } from 'cdktf';
import { AppCluster } from '../../lib/app-cluster/app-cluster';
import { AppService, AppServiceProps, ServiceRoute, WorkloadIdentity } from '../../lib/app-cluster/service';
import { AppWorkloadChart, AppWorkloadChartProps } from '../../lib/app-cluster/workload-chart';
import { EnvironmentTier } from '../../lib/core';
import { PostgresWithBackups, PostgresWithBackupsProps } from '../../lib/postgres-with-backups';
import { RedisHA } from '../../lib/redis-ha';
import { VpcStack } from '../../lib/vpc-stack';
import { testStack, warningsOf } from '../support/util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2';

/** The AWS side: a VPC, a cluster and data stores to grant, in one tier. */
function platform(environment: EnvironmentTier = EnvironmentTier.PRODUCTION) {
  const stack = testStack({ environment }, Testing.app());
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
  const cluster = new AppCluster(stack, 'App', {
    vpc,
    clusterName: 'shop-production',
    certificateArn: CERTIFICATE_ARN,
    adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
  });
  const database = (id: string, props: Partial<PostgresWithBackupsProps> = {}) => new PostgresWithBackups(stack, id, { vpc, ...props });
  return { stack, vpc, cluster, database };
}

const WEB: AppServiceProps = { name: 'shop-web', namespace: 'shop', route: ServiceRoute.defaultRoute() };

/** A workload chart built from a service, with the chart's own defaults for everything else. */
function chartFor(service: AppService, props: Partial<AppWorkloadChartProps> = {}, app: ManifestApp = K8sTesting.app(), id = 'web') {
  const chart = new AppWorkloadChart(app, id, { service, environment: EnvironmentTier.PRODUCTION, image: IMAGE, ...props });
  const manifests: any[] = K8sTesting.synth(chart);
  return { app, chart, manifests };
}

function find(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}
const container = (manifests: any[]) => find(manifests, 'Deployment').spec.template.spec.containers[0];
const policy = (manifests: any[], name: string) => find(manifests, 'NetworkPolicy', name).spec;
const policyNames = (manifests: any[]) => manifests.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name);

describe('AppWorkloadChart built from a service (production, Pod Identity, shared internet-facing ALB)', () => {
  const { stack, vpc, cluster, database } = platform();
  const web = cluster.addService('Web', { ...WEB, serviceAccountName: 'web-runner', port: 3000, servicePort: 8000 });
  const shopDb = database('Database');
  const cache = new RedisHA(stack, 'Cache', { vpc });
  web.connectTo(shopDb, { user: 'shop_app' });
  web.connectTo(cache);
  const { chart, manifests } = chartFor(web, { settings: { LOG_LEVEL: 'info' } });

  test("names the Deployment and Service after the service and runs the pods as its service account in its namespace", () => {
    expect(find(manifests, 'Deployment').metadata).toMatchObject({ name: 'shop-web', namespace: 'shop' });
    expect(find(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('web-runner');
    for (const m of manifests) expect(m.metadata.namespace).toBe('shop');
    expect([chart.appName, chart.namespaceName, chart.serviceAccountName]).toEqual(['shop-web', 'shop', 'web-runner']);
  });

  test("takes the container port and the Service port from the service (the target group's and the TargetGroupBinding's)", () => {
    expect(container(manifests).ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(find(manifests, 'Service', 'shop-web').spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect([chart.containerPort, chart.servicePort]).toEqual([3000, 8000]);
  });

  test('emits no Namespace and no ServiceAccount: the bootstrap stack owns them', () => {
    expect(manifests.filter((m) => m.kind === 'Namespace' || m.kind === 'ServiceAccount')).toEqual([]);
  });

  test("reads the service's infrastructure ConfigMap and connection Secret, by name only", () => {
    expect(container(manifests).envFrom).toEqual([
      { configMapRef: { name: 'shop-web-settings' } },
      { configMapRef: { name: 'shop-web-infrastructure' } },
      { secretRef: { name: 'shop-web-connection' } },
    ]);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test("admits the shared internet-facing load balancer's public subnets to the container port", () => {
    expect(policy(manifests, 'shop-web-allow-ingress').ingress).toEqual([
      { from: vpc.publicSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 3000 }] },
    ]);
    expect(vpc.publicSubnetCidrs).toHaveLength(3);
  });

  test('lets the pods reach each granted data store on its own port and subnets only, one egress rule each', () => {
    const isolated = vpc.isolatedSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    expect(policy(manifests, 'shop-web-allow-data-stores').egress).toEqual([
      { to: isolated, ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: isolated, ports: [{ protocol: 'TCP', port: 6379 }] },
    ]);
  });

  test('lets the pods reach the EKS Pod Identity agent at 169.254.170.23:80 for their credentials', () => {
    expect(policy(manifests, 'shop-web-allow-pod-identity-agent')).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }],
    });
  });

  test('writes the pool size each pod opens to each granted PostgreSQL database into the settings, <PREFIX>_POOL_MAX', () => {
    expect(find(manifests, 'ConfigMap', 'shop-web-settings').data).toEqual({ LOG_LEVEL: 'info', DATABASE_POOL_MAX: '10' });
  });

  test('records no warning: Pod Identity needs no HTTPS egress for credentials', () => {
    expect(warningsOf(chart)).toEqual([]);
  });

  test('passes the official Kubernetes schemas and carries no Terraform token', () => {
    expect(validateManifests(manifests)).toEqual([]);
    expect(Yaml.stringify(...manifests)).not.toContain('${');
  });
});

describe('AppWorkloadChart ingress and identity follow the service', () => {
  const { vpc, cluster } = platform();
  const admin = cluster.addService('Admin', { name: 'admin', route: ServiceRoute.ownLoadBalancer() });
  const partners = cluster.addService('Partners', { name: 'partners', route: ServiceRoute.ownLoadBalancer({ internetFacing: true }) });
  const jobs = cluster.addService('Jobs', { name: 'jobs', identity: WorkloadIdentity.IRSA });
  const worker = cluster.addService('Worker', { name: 'worker' });
  const ingressFrom = (manifests: any[], name: string) => policy(manifests, `${name}-allow-ingress`).ingress[0].from;

  test('admits the private subnets, where an internal load balancer of its own sends from', () => {
    expect(ingressFrom(chartFor(admin).manifests, 'admin')).toEqual(vpc.privateSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })));
  });

  test('admits the public subnets for an internet-facing load balancer of its own', () => {
    expect(ingressFrom(chartFor(partners).manifests, 'partners')).toEqual(vpc.publicSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })));
  });

  test('admits no load balancer for a service without a route, and warns that nothing reaches it', () => {
    const { chart, manifests } = chartFor(worker);
    expect(policyNames(manifests)).not.toContain('worker-allow-ingress');
    expect(warningsOf(chart)).toContainEqual(expect.stringContaining('[GW-K8S-NO-INGRESS-SOURCE]'));
  });

  test('reads no connection Secret and opens no data store egress for a service granted nothing', () => {
    const { manifests } = chartFor(worker, { allowedIngressNamespaces: ['shop'] });
    expect(container(manifests).envFrom).toEqual([{ configMapRef: { name: 'worker-settings' } }, { configMapRef: { name: 'worker-infrastructure' } }]);
    expect(policyNames(manifests)).not.toContain('worker-allow-data-stores');
  });

  test('opens no Pod Identity agent egress for an IRSA service, and warns that AWS APIs are out of reach', () => {
    const { chart, manifests } = chartFor(jobs, { allowedIngressNamespaces: ['shop'] });
    expect(policyNames(manifests)).not.toContain('jobs-allow-pod-identity-agent');
    expect(warningsOf(chart)).toContainEqual(expect.stringContaining('[GW-K8S-NO-AWS-API-EGRESS]'));
  });
});

describe('AppWorkloadChart values that cross the two trees', () => {
  const { cluster } = platform();
  const web = cluster.addService('Web', { ...WEB, serviceAccountName: 'web-runner', port: 3000, servicePort: 8000 });

  test.each([
    ['appName', 'shop', 'name', '"shop-web"', '"shop"'],
    ['namespace', 'default', 'namespace', '"shop"', '"default"'],
    ['serviceAccountName', 'shop-web', 'service account', '"web-runner"', '"shop-web"'],
    ['containerPort', 8080, 'port (its target group port)', '3000', '8080'],
    ['servicePort', 80, 'Kubernetes Service port (its TargetGroupBinding port)', '8000', '80'],
  ])("throws when %s disagrees with the service, naming both values", (prop, given, what, expected, got) => {
    expect(() => chartFor(web, { [prop]: given })).toThrow(
      `AppWorkloadChart web: ${prop} must equal the service's ${what} ${expected} (AppService test/App/Web), or be left out: ` +
        `the two halves of one service must agree, got ${got}`,
    );
  });

  test('accepts values that agree with the service', () => {
    expect(() =>
      chartFor(web, { appName: 'shop-web', namespace: 'shop', serviceAccountName: 'web-runner', containerPort: 3000, servicePort: 8000 }),
    ).not.toThrow();
  });

  test.each([
    ['manageNamespace', true, /^AppWorkloadChart web: manageNamespace must be left out with service: the bootstrap stack owns the service's namespace and service account, got true$/],
    ['manageServiceAccount', true, /^AppWorkloadChart web: manageServiceAccount must be left out with service: .*, got true$/],
    ['dataStoreCidrs', ['10.0.0.0/16'], /^AppWorkloadChart web: dataStoreCidrs must be left out with service: the service's data store egress follows its connectTo grants, got \["10\.0\.0\.0\/16"\]$/],
    ['dataStorePorts', [5432], /^AppWorkloadChart web: dataStorePorts must be left out with service: .*, got \[5432\]$/],
    [
      'serviceAccountRoleArn',
      'arn:aws:iam::123456789012:role/shop',
      /^AppWorkloadChart web: serviceAccountRoleArn must be left out with service: the service's role is bound in AWS and by the bootstrap stack, got "arn:aws:iam::123456789012:role\/shop"$/,
    ],
  ])('throws on %s, which the service owns', (prop, value, message) => {
    expect(() => chartFor(web, { [prop]: value })).toThrow(message);
  });
});

describe('AppWorkloadChart drain against the deregistration delay', () => {
  const { cluster } = platform();
  const slow = cluster.addService('Web', { ...WEB, deregistrationDelaySeconds: 120 });

  test("throws when preStop sleep + shutdown (the chart's 15 + 30 s) ends before the service's 120 s deregistration delay", () => {
    expect(() => chartFor(slow)).toThrow(
      'AppWorkloadChart web: preStopSleepSeconds (15) + shutdown time (30) = terminationGracePeriodSeconds 45 s must cover the ' +
        'deregistration delay of 120 s of AppService test/App/Web',
    );
  });

  test('accepts a grace period that covers the deregistration delay', () => {
    expect(chartFor(slow, { terminationGracePeriodSeconds: 120 }).chart.deploymentName).toBe('shop-web');
  });

  test('the default 30 s deregistration delay fits the default 45 s grace period', () => {
    const { cluster: other } = platform();
    expect(() => chartFor(other.addService('Web', WEB))).not.toThrow();
  });
});

describe('AppWorkloadChart connection pools against max_connections', () => {
  /** A database that accepts 100 connections, 95 of them for services. */
  const setup = () => {
    const p = platform();
    const db = p.database('OrdersDatabase', { databaseName: 'orders', parameters: { max_connections: '100' } });
    return { ...p, db };
  };

  test('throws when (maxReplicas + the rollout surge pod) × databaseConnectionsPerPod exceeds max_connections less 5', () => {
    const { cluster, db } = setup();
    const orders = cluster.addService('Orders', { name: 'orders-api' });
    orders.connectTo(db, { user: 'orders_app' });
    expect(() => chartFor(orders, { maxReplicas: 9 })).toThrow(
      /^AppWorkloadChart web: \(maxReplicas \+ 1 rollout surge pod\) × databaseConnectionsPerPod of the workloads on PostgreSQL shop-production-ordersdatabase add up to 100 connections \(AppWorkloadChart web \(\(9 \+ 1 surge\) × 10\) = 100\), above its max_connections 100 less 5 reserved for administrators \(95\)/,
    );
  });

  test('accepts pools that fit the budget exactly, counting the surge pod of a rollout at full scale', () => {
    const { cluster, db } = setup();
    const orders = cluster.addService('Orders', { name: 'orders-api' });
    orders.connectTo(db, { user: 'orders_app' });
    expect(() => chartFor(orders, { maxReplicas: 18, databaseConnectionsPerPod: 5 })).not.toThrow();
    const again = setup();
    const more = again.cluster.addService('Orders', { name: 'orders-api' });
    more.connectTo(again.db, { user: 'orders_app' });
    expect(() => chartFor(more, { maxReplicas: 19, databaseConnectionsPerPod: 5 })).toThrow(/add up to 100 connections/);
  });

  test("throws on the sum of two services' charts on one database, where each alone fits", () => {
    const twoServices = () => {
      const { cluster, db } = setup();
      const orders = cluster.addService('Orders', { name: 'orders-api' });
      const billing = cluster.addService('Billing', { name: 'billing' });
      orders.connectTo(db, { user: 'orders_app' });
      billing.connectTo(db, { user: 'billing_app' });
      return { orders, billing };
    };
    const alone = twoServices();
    expect(() => chartFor(alone.billing, { maxReplicas: 3 }, K8sTesting.app(), 'billing')).not.toThrow();
    const both = twoServices();
    const manifests = K8sTesting.app();
    expect(() => chartFor(both.orders, { maxReplicas: 5 }, manifests, 'orders-api')).not.toThrow();
    expect(() => chartFor(both.billing, { maxReplicas: 3 }, manifests, 'billing')).toThrow(/add up to 100 connections/);
  });

  test("names every workload on the database when their sum is over, each of which alone fits", () => {
    const { cluster, db } = setup();
    const orders = cluster.addService('Orders', { name: 'orders-api' });
    const billing = cluster.addService('Billing', { name: 'billing' });
    orders.connectTo(db, { user: 'orders_app' });
    billing.connectTo(db, { user: 'billing_app' });
    const manifests = K8sTesting.app();
    chartFor(orders, { maxReplicas: 5 }, manifests, 'orders-api');
    expect(() => chartFor(billing, { maxReplicas: 3 }, manifests, 'billing')).toThrow(
      /^AppWorkloadChart billing: .* add up to 100 connections \(AppWorkloadChart orders-api \(\(5 \+ 1 surge\) × 10\) = 60, AppWorkloadChart billing \(\(3 \+ 1 surge\) × 10\) = 40\), above its max_connections 100/,
    );
  });

  test('development: a chart that fits the production database is refused on the smaller development one', () => {
    const prod = platform(EnvironmentTier.PRODUCTION);
    const prodOrders = prod.cluster.addService('Orders', { name: 'orders-api' });
    prodOrders.connectTo(prod.database('Database'), { user: 'orders_app' });
    expect(() => chartFor(prodOrders, { maxReplicas: 49 })).not.toThrow();

    const dev = platform(EnvironmentTier.DEVELOPMENT);
    const devOrders = dev.cluster.addService('Orders', { name: 'orders-api' });
    devOrders.connectTo(dev.database('Database'), { user: 'orders_app' });
    expect(() => chartFor(devOrders, { maxReplicas: 49, environment: EnvironmentTier.DEVELOPMENT })).toThrow(
      /add up to 500 connections .*above its max_connections 450 less 5 reserved for administrators \(445\)/,
    );
  });

  test('writes databaseConnectionsPerPod as <PREFIX>_POOL_MAX under the grant\'s key prefix', () => {
    const { cluster, db } = setup();
    const orders = cluster.addService('Orders', { name: 'orders-api' });
    orders.connectTo(db, { user: 'orders_app', keyPrefix: 'ORDERS_DB' });
    const { manifests } = chartFor(orders, { maxReplicas: 10, databaseConnectionsPerPod: 4 });
    expect(find(manifests, 'ConfigMap', 'orders-api-settings').data).toEqual({ ORDERS_DB_POOL_MAX: '4' });
  });

  test('throws when a setting gives a pool size other than databaseConnectionsPerPod', () => {
    const { cluster, db } = setup();
    const orders = cluster.addService('Orders', { name: 'orders-api' });
    orders.connectTo(db, { user: 'orders_app' });
    expect(() => chartFor(orders, { maxReplicas: 5, settings: { DATABASE_POOL_MAX: '30' } })).toThrow(
      /^AppWorkloadChart web: settings\.DATABASE_POOL_MAX must equal the service's databaseConnectionsPerPod, as "10" \(AppService test\/App\/Orders\).*, got "30"$/,
    );
  });

  test('throws on databaseConnectionsPerPod without a service', () => {
    expect(
      () => new AppWorkloadChart(K8sTesting.app(), 'web', { appName: 'shop-web', namespace: 'shop', environment: EnvironmentTier.PRODUCTION, image: IMAGE, databaseConnectionsPerPod: 5 }),
    ).toThrow(/^AppWorkloadChart web: databaseConnectionsPerPod must be set only with service .*, got 5$/);
  });
});

describe('AppWorkloadChart and grants made after it', () => {
  test('fails at synth, naming the service, when the service is granted a data store after the chart was created', () => {
    const { cluster, database } = platform();
    const web = cluster.addService('Web', WEB);
    const app = K8sTesting.app();
    const chart = new AppWorkloadChart(app, 'web', { service: web, environment: EnvironmentTier.PRODUCTION, image: IMAGE });
    web.connectTo(database('Database'), { user: 'shop_app' });
    expect(() => K8sTesting.synth(chart)).toThrow(
      /AppWorkloadChart web: AppService test\/App\/Web was granted 1 data store\(s\) after this chart was created, so its pods could not reach them; call connectTo before creating the workload chart/,
    );
    expect(() => app.synth()).toThrow(/AppService test\/App\/Web was granted 1 data store\(s\) after this chart was created/);
  });

  test('synthesizes when every grant precedes the chart', () => {
    const { cluster, database } = platform();
    const web = cluster.addService('Web', WEB);
    web.connectTo(database('Database'), { user: 'shop_app' });
    const app = K8sTesting.app();
    new AppWorkloadChart(app, 'web', { service: web, environment: EnvironmentTier.PRODUCTION, image: IMAGE });
    expect(() => app.synth()).not.toThrow();
  });
});
