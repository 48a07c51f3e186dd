/**
 * The shop's architecture for one environment: a VPC over 3 AZs, EKS running two services
 * (the web front end and the orders API, each with its own database grants), Postgres with
 * backups, Redis, WAF on the shared ALB, and monitoring. Each service is declared once; its
 * Kubernetes side (bootstrap objects, workload chart, alert routing) is derived from it.
 */
import * as path from 'path';
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import {
  AlertReceiver,
  AlertRoutingScope,
  AlertSeverity,
  AppCluster,
  AppWorkloadChart,
  Checks,
  ClusterBootstrapStack,
  DatabaseJobsChart,
  DeployPlan,
  GroundworkStack,
  MonitoringChart,
  MonitoringStack,
  PostgresWithBackups,
  RedisHA,
  ResourceMoves,
  ServiceRoute,
  StateBackend,
  VpcStack,
  WafRules,
} from 'cdktf-groundwork';
import { DEPLOY_RUNNER_CIDRS, REGION, ShopEnvironment } from './environments';

/**
 * Adds one environment to `app`: `shop-<env>-aws` (aws provider only), `shop-<env>-k8s`
 * (kubernetes provider, fed by the first stack's outputs), the manifests in
 * `<outdir>/manifests/<env>/` and the deploy plan (`DeployPlan`, written to
 * `<outdir>/deploy/<env>/`). Returns the cdk8s app to synthesize.
 */
export function buildShopEnvironment(app: App, env: ShopEnvironment): ManifestApp {
  const name = `shop-${env.tier}`;
  const aws = new GroundworkStack(app, `${name}-aws`, {
    project: 'shop',
    environment: env.tier,
    accountId: env.accountId,
    region: REGION,
    tags: { CostCenter: 'web-shop', Owner: 'platform-team' },
  });
  const network = new VpcStack(aws, 'Network', {
    cidr: env.vpcCidr,
    availabilityZones: env.zones,
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'secretsmanager'],
    eksClusterName: name,
    // The deploy runners' network, so the replies to them find their way back.
    transitGateway: { transitGatewayId: env.transitGatewayId, destinationCidrs: DEPLOY_RUNNER_CIDRS },
  });
  const cluster = new AppCluster(aws, 'App', {
    vpc: network,
    clusterName: name,
    certificateArn: env.certificateArn,
    adminPrincipalArns: [`arn:aws:iam::${env.accountId}:role/shop-deploy-pipeline`, `arn:aws:iam::${env.accountId}:role/platform-admin`],
    nodeGroups: [{ name: 'general', instanceTypes: env.nodeInstanceTypes, minSize: env.nodesMin, maxSize: env.nodesMax }],
    securityGroupsForPods: true,
    // The API endpoint stays private: the deploy runners reach it through the transit gateway.
    privateEndpointAccessCidrs: DEPLOY_RUNNER_CIDRS,
  });
  // Primary + replicas by preset (production: 2), PITR, AWS Backup, optional copy to a second region.
  const database = new PostgresWithBackups(aws, 'Database', { vpc: network, disasterRecoveryRegion: env.disasterRecoveryRegion });
  const ordersDatabase = new PostgresWithBackups(aws, 'OrdersDatabase', {
    vpc: network,
    databaseName: 'orders',
    disasterRecoveryRegion: env.disasterRecoveryRegion,
    // The orders API connects through it (throughProxy below: IAM sign-in, TLS); its migrations
    // and the database jobs connect directly.
    proxy: env.ordersDatabaseProxy ? {} : undefined,
  });
  const cache = new RedisHA(aws, 'Cache', { vpc: network, engine: env.cacheEngine });

  // The services, each signing in to its data stores with IAM through a role of its own.
  // The web front end takes over release 0.1's single app "shop": its role, target group,
  // namespace and service account, through moved blocks (see the README's upgrade section).
  const web = cluster.addService('Web', { name: 'shop-web', route: ServiceRoute.defaultRoute(), legacyAppName: 'shop' });
  const orders = cluster.addService('Orders', {
    name: 'orders-api',
    route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders', '/api/orders/*'], priority: 100 }),
    // Its database admits only its pods, not every node of the cluster.
    securityGroupsForPods: true,
  });
  // Release 0.1 of this example attached the web app's sign-in policies by hand: keep them.
  // Each service's migrations sign in as a user of their own, which owns the schema; the
  // service's user only reads and writes rows.
  const webDatabase = web.connectTo(database, { user: 'shop_app', migrationUser: 'shop_migrate', policyName: 'database-iam-auth' });
  const webCache = web.connectTo(cache, { user: 'app', policyName: 'cache-iam-auth' });
  ResourceMoves.moveFrom(webDatabase.policy, 'aws_iam_role_policy.AppDatabaseAccess');
  ResourceMoves.moveFrom(webCache.policy, 'aws_iam_role_policy.AppCacheAccess');
  orders.connectTo(ordersDatabase, { user: 'orders_app', migrationUser: 'orders_migrate', throughProxy: env.ordersDatabaseProxy });
  // Per database: the users Job (creates shop_app / orders_app, their migration users and the backup user), a daily
  // logical backup to its bucket, and a weekly restore verification (staging and production).
  const databaseJobs = [
    cluster.addDatabaseJobs('DatabaseJobs', { database }),
    cluster.addDatabaseJobs('OrdersDatabaseJobs', { database: ordersDatabase }),
  ];

  const waf = new WafRules(aws, 'Waf', { pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }] });
  waf.protect(cluster.loadBalancerArn);

  const alarms = new MonitoringStack(aws, 'Monitoring', {
    alarmEmailAddresses: [`oncall+${env.tier}@example.com`],
    runbookBaseUrl: 'https://runbooks.example.com/shop',
  });
  alarms.watchPostgres(database);
  alarms.watchPostgres(ordersDatabase); // with the proxy's alarms where it has one
  alarms.watchRedis(cache);
  alarms.watchLoadBalancer(cluster.loadBalancer); // and the web front end's target group, its default
  alarms.watchService(orders);
  alarms.watchWaf(waf);
  alarms.watchCertificate(env.certificateArn);

  // Every service's namespace, service account, TargetGroupBinding and connection Secret.
  const bootstrap = new ClusterBootstrapStack(app, `${name}-k8s`, { cluster });
  for (const stack of [aws, bootstrap]) {
    StateBackend.s3(stack, { bucketName: env.stateBucket, region: REGION, key: `${stack.node.id}/terraform.tfstate` });
  }

  // The workloads and their monitoring, as YAML that names the bootstrap objects only.
  const manifests = new ManifestApp({ outdir: path.join(app.outdir, 'manifests', env.tier) });
  const image = (repository: string, tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${repository}:${tag}`;
  const webChart = new AppWorkloadChart(manifests, web.name, {
    service: web,
    environment: env.tier,
    image: image(web.name, '1.4.2'),
    // Metrics on a port of their own: the ALB never forwards to it, only Prometheus reaches it.
    metricsPort: 9090,
    settings: { LOG_LEVEL: 'info' },
    // Once per release, before its pods roll out, as the database's migration user.
    migration: { command: ['node', 'dist/migrate.js'] },
  });
  const ordersChart = new AppWorkloadChart(manifests, orders.name, {
    service: orders,
    environment: env.tier,
    image: image(orders.name, '2.0.1'),
    metricsPort: 9090,
    maxReplicas: 10,
    migration: { command: ['/app/orders-api', 'migrate', 'up'], timeoutSeconds: 900 },
  });

  const common = { team: 'shop', environment: env.tier, runbookBaseUrl: 'https://runbooks.example.com/shop', operatorSelectorLabels: { release: 'kube-prometheus-stack' } };
  // Each database's users, backups, restore verification and metrics exporters.
  const jobsCharts = new Map<PostgresWithBackups, DatabaseJobsChart>();
  for (const jobs of databaseJobs) {
    const chart = new DatabaseJobsChart(manifests, `${jobs.name}-jobs`, {
      jobs,
      team: 'platform',
      runbookBaseUrl: common.runbookBaseUrl,
      operatorSelectorLabels: common.operatorSelectorLabels,
    });
    // A deployment commits the region's RDS certificate bundle and passes it as
    // rdsCertificateBundle (verify-full); this example is built without network access.
    Checks.acknowledge(chart, 'GW-DB-JOBS-TLS-UNVERIFIED', 'the example has no copy of the RDS bundle; deployments pass rdsCertificateBundle');
    jobsCharts.set(jobs.database, chart);
  }

  // The cluster's Alertmanager configuration and cluster-wide alerts come with the web front
  // end's monitoring (one chart per cluster owns them); every other service routes its own
  // alerts in its namespace (an AlertmanagerConfig, with the Slack Secret in that namespace).
  const slack = (receiverName: string, channel: string, key?: string) =>
    AlertReceiver.slack(receiverName, { channel, webhookUrlSecretName: 'alertmanager-slack', webhookUrlSecretKey: key });
  const pager = env.paging ? [AlertReceiver.pagerDuty('shop-pager', { routingKeySecretName: 'alertmanager-pagerduty' })] : [];
  const paging = env.paging ? [{ receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, team: 'shop' }] : [];
  // The platform team is paged for its own criticals (an expiring certificate) and for
  // kube-prometheus-stack's, which carry no team and follow the platform's routes.
  const platformPager = env.paging
    ? [AlertReceiver.pagerDuty('platform-pager', { routingKeySecretName: 'alertmanager-pagerduty', routingKeySecretKey: 'platform-routing-key' })]
    : [];
  const platformPaging = env.paging ? [{ receiver: 'platform-pager', severity: AlertSeverity.CRITICAL, team: 'platform' }] : [];
  new MonitoringChart(manifests, 'monitoring', {
    ...common,
    workload: webChart,
    platformTeam: 'platform',
    // The shop database's exporters, run by its database jobs (a monitoring user with pg_monitor).
    // No redisExporter: the ElastiCache users are IAM-only, which redis_exporter cannot use; the
    // CloudWatch alarms of MonitoringStack.watchRedis watch the cache.
    postgresExporter: jobsCharts.get(database)!.exporterScrapeTarget,
    alertmanager: {
      receivers: [slack('shop-slack', `#shop-alerts-${env.tier}`), slack('platform-slack', '#platform-alerts', 'platform-url'), ...pager, ...platformPager],
      defaultReceiver: 'shop-slack',
      routes: [...paging, ...platformPaging, { receiver: 'platform-slack', team: 'platform' }],
    },
  });
  new MonitoringChart(manifests, 'orders-monitoring', {
    ...common,
    workload: ordersChart,
    postgresExporter: jobsCharts.get(ordersDatabase)!.exporterScrapeTarget,
    alertmanager: {
      scope: AlertRoutingScope.NAMESPACE,
      receivers: [slack('orders-slack', `#orders-alerts-${env.tier}`), ...pager],
      defaultReceiver: 'orders-slack',
      routes: paging,
    },
  });

  // What the pipeline deploys, in which order, with which names: cdktf.out/deploy/<env>/.
  new DeployPlan(aws, 'DeployPlan', { cluster, bootstrap, manifests });
  return manifests;
}
