import { Lb } from '@cdktf/provider-aws/lib/lb';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformVariable, Testing } from 'cdktf';
import {
  AppCluster,
  EnvironmentTier,
  GroundworkStack,
  ManagedRuleGroup,
  MonitoringStack,
  NodeAmiType,
  NodeTaintEffect,
  PostgresWithBackups,
  RedisAuth,
  RedisHA,
  SecureBucket,
  SecurityGroupPeer,
  ServiceRoute,
  StateBackend,
  VpcStack,
  WafLoggingFilter,
  WafRules,
  WafStatement,
} from 'cdktf-groundwork';
import { Construct } from 'constructs';

/**
 * Every construct with real Terraform, offline, in one production stack: one `terraform plan`
 * with the AWS provider 5.100.0 checks what each construct's test file used to plan on its own
 * (a plan a piece, each paying for loading the provider's schema). Each section below is the
 * configuration one construct's offline test planned, with the options that make the provider
 * check more of its schema.
 */
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/redis-auth-AbCdEf';

describe('every construct, planned offline in one stack', () => {
  test('a production stack with each construct wired as in its own tests plans with the AWS provider 5.100.0', () => {
    const app = Testing.app();
    const stack = new GroundworkStack(app, 'shop-production-aws', {
      project: 'shop',
      environment: EnvironmentTier.PRODUCTION,
      accountId: '123456789012',
      region: 'eu-west-1',
    });
    // StateBackend: the harness swaps the S3 backend for a local one.
    StateBackend.s3(stack, { bucketName: 'acme-terraform-state', region: 'eu-west-1' });
    // VpcStack with the CI network behind a transit gateway (the attachment and route schemas).
    const vpc = new VpcStack(stack, 'Network', {
      cidr: '10.0.0.0/16',
      availabilityZones: ZONES,
      eksClusterName: 'shop-production',
      transitGateway: { transitGatewayId: 'tgw-0a1b2c3d4e5f60718', destinationCidrs: ['10.255.0.0/24'] },
    });

    // AppCluster: a public endpoint allow-list, extra managed policies for the app's service
    // account, two 404 rules and an explicit drain (the listener rule schema).
    const cluster = new AppCluster(stack, 'App', {
      vpc,
      clusterName: 'shop-production',
      appName: 'shop',
      certificateArn: CERTIFICATE_ARN,
      adminPrincipalArns: ['arn:aws:iam::123456789012:role/ci/deploy-pipeline', 'arn:aws:iam::123456789012:role/platform-admin'],
      // A dedicated, tainted Bottlerocket group without auto-repair beside the default one (the
      // taint and node_repair_config blocks, the two-volume launch template).
      nodeGroups: [
        { name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], minSize: 3, maxSize: 9 },
        {
          name: 'batch',
          instanceTypes: ['m7g.large'],
          amiType: NodeAmiType.BOTTLEROCKET_ARM_64,
          taints: [{ key: 'example.com/batch', value: 'true', effect: NodeTaintEffect.NO_SCHEDULE }],
          nodeAutoRepair: false,
        },
      ],
      publicEndpointCidrs: ['203.0.113.0/24'],
      appServiceAccountManagedPolicyArns: ['arn:aws:iam::123456789012:policy/shop-app'],
      blockedPaths: ['/metrics', '/metrics/*', '/internal/*', '/debug/*'],
      deregistrationDelaySeconds: 45,
    });

    // A second cluster on EKS Auto Mode (compute_config, storage_config, the load balancing
    // capability, the Auto Mode node role), with a service on its shared load balancer.
    const autoCluster = new AppCluster(stack, 'AutoApp', {
      vpc,
      clusterName: 'shop-production-auto',
      certificateArn: CERTIFICATE_ARN,
      adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'],
      privateEndpointAccessCidrs: ['10.255.0.0/24'],
      autoMode: {},
    });
    autoCluster.addService('Web', { name: 'auto-web', route: ServiceRoute.defaultRoute() });

    // PostgresWithBackups with a disaster-recovery copy and an RDS Proxy (a service connects
    // through it; the database jobs keep its user's password), open to the cluster and to a peer.
    const database = new PostgresWithBackups(stack, 'Database', { vpc, disasterRecoveryRegion: 'eu-central-1', proxy: { maxConnectionsPercent: 70 } });
    cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.none() }).connectTo(database, { user: 'orders_app', throughProxy: true });
    cluster.addDatabaseJobs('DatabaseJobs', { database, securityGroupsForPods: false });
    database.allowConnectionsFrom(cluster);
    database.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'application tier'));

    // RedisHA with IAM users, open to the cluster and to a security group of the stack; and the
    // AUTH token variant in cluster mode.
    const cache = new RedisHA(stack, 'Cache', { vpc });
    cache.allowConnectionsFrom(cluster);
    const apps = new SecurityGroup(stack, 'AppNodes', { name: 'shop-production-app-nodes', description: 'App nodes', vpcId: vpc.vpcId });
    cache.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId(apps.id, 'app nodes of shop-production'));
    const tokenVariant = new Construct(stack, 'TokenVariant');
    new RedisHA(tokenVariant, 'Cache', { vpc, auth: RedisAuth.authTokenFromSecret(SECRET_ARN), clusterMode: true, shards: 2 });
    // The pipeline passes the token as a variable (`-var`); the offline plan gets a stand-in.
    for (const variable of tokenVariant.node.findAll().filter((c): c is TerraformVariable => c instanceof TerraformVariable)) {
      variable.addOverride('default', 'offline-plan-stand-in-not-a-real-token');
    }

    // WafRules on the cluster's load balancer; and one with every option, on a load balancer of
    // its own.
    const waf = new WafRules(stack, 'Waf', { pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }] });
    waf.protect(cluster.loadBalancerArn);
    const everyOption = new Construct(stack, 'WafEveryOption');
    const alb = new Lb(everyOption, 'Alb', {
      name: 'shop-production-waf',
      loadBalancerType: 'application',
      internal: false,
      subnets: vpc.publicSubnetIds,
      dropInvalidHeaderFields: true,
    });
    new WafRules(everyOption, 'Waf', {
      pathRateLimits: [{ name: 'login', pathPrefix: '/api/login', limit: 100 }],
      allowedIpCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      deniedIpCidrs: ['198.51.100.0/24'],
      blockedCountryCodes: ['KP'],
      loggingFilter: WafLoggingFilter.BLOCKED_OR_COUNTED,
      managedRuleGroups: [
        ...ManagedRuleGroup.defaults().map((group) => ({ group })),
        {
          group: ManagedRuleGroup.BOT_CONTROL_RULE_SET,
          scopeDownStatement: WafStatement.negate(
            WafStatement.anyOf([WafStatement.uriPathStartsWith('/static/'), WafStatement.hasLabel('awswaf:managed:aws:bot-control:bot:verified')]),
          ),
        },
      ],
    }).protect(alb.arn);

    // SecureBucket with transitions and expiry.
    new SecureBucket(stack, 'Dumps', { purpose: 'database dumps', transitionToInfrequentAccessDays: 30, expirationDays: 35 });

    // MonitoringStack watching all of it.
    const monitoring = new MonitoringStack(stack, 'Monitoring', {
      alarmEmailAddresses: ['oncall@example.com'],
      alarmHttpsEndpoint: 'https://events.example.com/sns/alarms',
      runbookBaseUrl: 'https://runbooks.example.com/shop',
    });
    monitoring.watchPostgres(database);
    monitoring.watchRedis(cache);
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    monitoring.watchWaf(waf);
    monitoring.watchCertificate(CERTIFICATE_ARN);

    expect(Testing.fullSynth(stack)).toPlanSuccessfully();
  });
});
