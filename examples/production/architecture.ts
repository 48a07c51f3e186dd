/**
 * The shop's architecture for one environment, composed from the six constructs: the
 * deployment guides' VPC over 3 AZs, EKS with the app workload, Postgres primary + 2
 * replicas with backups, Redis with 3 nodes, WAF on the ALB, and monitoring.
 */
import * as path from 'path';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import {
  AlertReceiver,
  AlertSeverity,
  AppCluster,
  AppWorkloadChart,
  ClusterBootstrapStack,
  GroundworkStack,
  MonitoringChart,
  MonitoringStack,
  PostgresWithBackups,
  RedisHA,
  StateBackend,
  VpcStack,
  WafRules,
} from 'cdktf-groundwork';
import { REGION, ShopEnvironment } from './environments';

/**
 * Adds one environment to `app`: `shop-<env>-aws` (aws provider only), `shop-<env>-k8s`
 * (kubernetes provider, fed by the first stack's outputs) and the manifests in
 * `<outdir>/manifests/<env>/`. Returns the cdk8s app to synthesize.
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
  });

  const cluster = new AppCluster(aws, 'App', {
    vpc: network,
    clusterName: name,
    appName: 'shop',
    certificateArn: env.certificateArn,
    adminPrincipalArns: [
      `arn:aws:iam::${env.accountId}:role/shop-deploy-pipeline`,
      `arn:aws:iam::${env.accountId}:role/platform-admin`,
    ],
    nodeGroups: [{ name: 'general', instanceTypes: env.nodeInstanceTypes, minSize: env.nodesMin, maxSize: env.nodesMax }],
  });

  // Primary + replicas by preset (production: 2), PITR, AWS Backup, optional copy to a second region.
  const database = new PostgresWithBackups(aws, 'Database', {
    vpc: network,
    disasterRecoveryRegion: env.disasterRecoveryRegion,
  });
  database.allowConnectionsFrom(cluster);

  // Primary + replicas over the zones, TLS, IAM authentication.
  const cache = new RedisHA(aws, 'Cache', { vpc: network });
  cache.allowConnectionsFrom(cluster);

  // The app signs in to both with IAM tokens from its service account role: no password in
  // the app's environment, and never the database's master user. The database user is
  // created by the app's migrations (CREATE USER shop_app; GRANT rds_iam TO shop_app).
  const databaseUser = 'shop_app';
  new IamRolePolicy(aws, 'AppDatabaseAccess', {
    role: cluster.appServiceAccountRoleName,
    name: 'database-iam-auth',
    policy: database.connectPolicyJson(databaseUser),
  });
  new IamRolePolicy(aws, 'AppCacheAccess', {
    role: cluster.appServiceAccountRoleName,
    name: 'cache-iam-auth',
    policy: cache.connectPolicyJson('app'),
  });

  // Managed rules, 2000 requests per IP per 5 minutes, a tighter limit on the login endpoint.
  const waf = new WafRules(aws, 'Waf', {
    pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
  });
  waf.protect(cluster.loadBalancerArn);

  // CloudWatch alarms for the managed services, to a KMS-encrypted SNS topic.
  const alarms = new MonitoringStack(aws, 'Monitoring', {
    alarmEmailAddresses: [`oncall+${env.tier}@example.com`],
    runbookBaseUrl: 'https://runbooks.example.com/shop',
  });
  alarms.watchPostgres(database);
  alarms.watchRedis(cache);
  alarms.watchLoadBalancer(cluster.loadBalancer);
  alarms.watchWaf(waf);
  alarms.watchCertificate(env.certificateArn);

  // In-cluster objects that carry AWS values, in a second stack.
  const bootstrap = new ClusterBootstrapStack(app, `${name}-k8s`, {
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.clusterEndpoint,
    clusterCertificateAuthorityData: cluster.clusterCertificateAuthorityData,
    region: REGION,
    appName: 'shop-web',
    namespace: cluster.appNamespace,
    serviceAccountName: cluster.appServiceAccountName,
    serviceAccountRoleArn: cluster.appServiceAccountRoleArn,
    targetGroupArn: cluster.targetGroupArn,
    database: {
      host: database.endpoint,
      port: database.port,
      databaseName: database.databaseName,
      iamUserName: databaseUser,
    },
    redis: { host: cache.primaryEndpoint, port: cache.port, iamUserName: cache.iamUserIds!.app },
  });

  if (env.stateBucket) {
    for (const stack of [aws, bootstrap]) {
      StateBackend.s3(stack, { bucketName: env.stateBucket, region: REGION, key: `${stack.node.id}/terraform.tfstate` });
    }
  }

  // The app and its monitoring as YAML that refers to the bootstrap objects by name only.
  const manifests = new ManifestApp({ outdir: path.join(app.outdir, 'manifests', env.tier) });
  const web = new AppWorkloadChart(manifests, 'shop-web', {
    appName: 'shop-web',
    namespace: cluster.appNamespace,
    environment: env.tier,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2',
    containerPort: cluster.appPort,
    // Metrics on a port of their own: the ALB never forwards to it, only Prometheus reaches it.
    metricsPort: 9090,
    manageNamespace: false,
    manageServiceAccount: false,
    serviceAccountName: cluster.appServiceAccountName,
    settings: { LOG_LEVEL: 'info' },
    envFromSecretNames: [bootstrap.connectionSecretName!],
    envFromConfigMapNames: [bootstrap.infrastructureConfigMapName],
    loadBalancerSourceCidrs: network.publicSubnetCidrs,
    dataStoreCidrs: network.isolatedSubnetCidrs,
    httpsEgressCidrs: [network.cidr],
  });

  const receivers = [
    AlertReceiver.slack('shop-slack', { channel: `#shop-alerts-${env.tier}`, webhookUrlSecretName: 'alertmanager-slack' }),
    AlertReceiver.slack('platform-slack', {
      channel: '#platform-alerts',
      webhookUrlSecretName: 'alertmanager-slack',
      webhookUrlSecretKey: 'platform-url',
    }),
  ];
  if (env.paging) {
    receivers.push(AlertReceiver.pagerDuty('shop-pager', { routingKeySecretName: 'alertmanager-pagerduty' }));
  }
  new MonitoringChart(manifests, 'monitoring', {
    appName: 'shop-web',
    appNamespace: cluster.appNamespace,
    team: 'shop',
    platformTeam: 'platform',
    environment: env.tier,
    runbookBaseUrl: 'https://runbooks.example.com/shop',
    appMetrics: { portName: web.metricsPortName },
    postgresExporter: {},
    redisExporter: {},
    operatorSelectorLabels: { release: 'kube-prometheus-stack' },
    alertmanager: {
      receivers,
      defaultReceiver: 'shop-slack',
      routes: [
        ...(env.paging ? [{ receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, team: 'shop' }] : []),
        { receiver: 'platform-slack', team: 'platform' },
      ],
    },
  });
  return manifests;
}
