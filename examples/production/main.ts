/**
 * The reference production architecture, as a consumer writes it.
 *
 * Run from the repository root: `npx cdktf synth` (or `npm run synth`). Terraform JSON
 * lands in cdktf.out/stacks/<stack>/cdk.tf.json, the app's Kubernetes manifests in
 * cdktf.out/manifests/<chart>.k8s.yaml.
 *
 * Two Terraform stacks: `shop-production-aws` (aws provider only: plannable offline) and
 * `shop-production-k8s` (kubernetes provider, configured from the first stack's outputs),
 * which fills the in-cluster objects that carry AWS values. The manifests refer to those
 * objects by name only.
 */
import * as path from 'path';
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import {
  AlertReceiver,
  AlertSeverity,
  AppCluster,
  AppWorkloadChart,
  ClusterBootstrapStack,
  EnvironmentTier,
  GroundworkStack,
  MonitoringChart,
  PostgresWithBackups,
  RedisHA,
  VpcStack,
  WafRules,
} from 'cdktf-groundwork';

/**
 * Builds the example architecture into `app` and returns the cdk8s app holding the
 * manifests (synthesize both); tests and the benchmark call this too.
 */
export function buildProductionExample(app: App): ManifestApp {
  const aws = new GroundworkStack(app, 'shop-production-aws', {
    project: 'shop',
    environment: EnvironmentTier.PRODUCTION,
    accountId: '123456789012',
    region: 'eu-west-1',
    tags: { CostCenter: 'web-shop', Owner: 'platform-team' },
  });

  const network = new VpcStack(aws, 'Network', {
    cidr: '10.0.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'secretsmanager'],
    eksClusterName: 'shop-production',
  });

  const cluster = new AppCluster(aws, 'App', {
    vpc: network,
    clusterName: 'shop-production',
    appName: 'shop',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    adminPrincipalArns: [
      'arn:aws:iam::123456789012:role/shop-deploy-pipeline',
      'arn:aws:iam::123456789012:role/platform-admin',
    ],
    nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], minSize: 3, maxSize: 9 }],
  });

  // 1 primary + 2 read replicas (production preset), 30-day PITR, AWS Backup copies to a second region.
  const database = new PostgresWithBackups(aws, 'Database', {
    vpc: network,
    disasterRecoveryRegion: 'eu-central-1',
  });
  database.allowConnectionsFrom(cluster);

  // A primary and 2 replicas over three zones, TLS, IAM authentication.
  const cache = new RedisHA(aws, 'Cache', { vpc: network });
  cache.allowConnectionsFrom(cluster);

  // AWS managed rules for common exploits, SQL injection and bad inputs, 2000 requests per IP
  // per 5 minutes, and a tighter limit on the login endpoint, in front of the ALB.
  const waf = new WafRules(aws, 'Waf', {
    pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
  });
  waf.protect(cluster.loadBalancerArn);

  // In-cluster objects that carry AWS values (namespace, IRSA service account,
  // TargetGroupBinding, connection Secret): a second stack, fed by cross-stack references.
  const bootstrap = new ClusterBootstrapStack(app, 'shop-production-k8s', {
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.clusterEndpoint,
    clusterCertificateAuthorityData: cluster.clusterCertificateAuthorityData,
    region: aws.region,
    appName: 'shop-web',
    namespace: cluster.appNamespace,
    serviceAccountName: cluster.appServiceAccountName,
    serviceAccountRoleArn: cluster.appServiceAccountRoleArn,
    targetGroupArn: cluster.targetGroupArn,
    database: {
      host: database.endpoint,
      port: database.port,
      databaseName: database.databaseName,
      credentialsSecretArn: database.masterSecretArn,
    },
    redis: { host: cache.primaryEndpoint, port: cache.port },
  });

  // The app's workload, as YAML that refers to the bootstrap objects by name only.
  const manifests = new ManifestApp({ outdir: path.join(app.outdir, 'manifests') });
  new AppWorkloadChart(manifests, 'shop-web', {
    appName: 'shop-web',
    namespace: cluster.appNamespace,
    environment: EnvironmentTier.PRODUCTION,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2',
    containerPort: cluster.appPort,
    manageNamespace: false,
    manageServiceAccount: false,
    serviceAccountName: cluster.appServiceAccountName,
    settings: { LOG_LEVEL: 'info' },
    envFromSecretNames: [bootstrap.connectionSecretName!],
    envFromConfigMapNames: [bootstrap.infrastructureConfigMapName],
    loadBalancerSourceCidrs: network.publicSubnetCidrs,
    dataStoreCidrs: network.isolatedSubnetCidrs,
    httpsEgressCidrs: [network.cidr],
    // Prometheus scrapes the app from the monitoring namespace.
    allowedIngressNamespaces: ['monitoring'],
  });

  // Scrape config and alert rules, Alertmanager routing and Grafana dashboards, as
  // prometheus-operator resources for kube-prometheus-stack.
  new MonitoringChart(manifests, 'monitoring', {
    appName: 'shop-web',
    appNamespace: cluster.appNamespace,
    team: 'shop',
    platformTeam: 'platform',
    environment: EnvironmentTier.PRODUCTION,
    runbookBaseUrl: 'https://runbooks.example.com/shop',
    postgresExporter: {},
    redisExporter: {},
    operatorSelectorLabels: { release: 'kube-prometheus-stack' },
    alertmanager: {
      receivers: [
        AlertReceiver.slack('shop-slack', { channel: '#shop-alerts', webhookUrlSecretName: 'alertmanager-slack' }),
        AlertReceiver.pagerDuty('shop-pager', { routingKeySecretName: 'alertmanager-pagerduty' }),
        AlertReceiver.slack('platform-slack', {
          channel: '#platform-alerts',
          webhookUrlSecretName: 'alertmanager-slack',
          webhookUrlSecretKey: 'platform-url',
        }),
      ],
      defaultReceiver: 'shop-slack',
      routes: [
        { receiver: 'shop-pager', severity: AlertSeverity.CRITICAL, team: 'shop' },
        { receiver: 'platform-slack', team: 'platform' },
      ],
    },
  });
  return manifests;
}

if (require.main === module) {
  const app = new App();
  const manifests = buildProductionExample(app);
  manifests.synth();
  app.synth();
}
