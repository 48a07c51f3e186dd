import * as fs from 'fs';
import * as path from 'path';
import { TerraformElement, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { AppClusterProps } from '../../lib/app-cluster/app-cluster';
import { ClusterBootstrapStack, ClusterBootstrapStackProps } from '../../lib/app-cluster/bootstrap-stack';
import { AppService, AppServiceProps, ServiceRoute, WorkloadIdentity } from '../../lib/app-cluster/service';
import { EnvironmentTier, GroundworkStack } from '../../lib/core';
import { PostgresWithBackups } from '../../lib/postgres-with-backups';
import { RedisAuth, RedisHA } from '../../lib/redis-ha';
import { VpcStack } from '../../lib/vpc-stack';
import { testPlatform, ZONES } from '../support/platform';
import {
  policyOf,
  refTo,
  resourceAt,
  resourcesByPath,
  resourcesOf,
  synthStack,
  SynthesizedStack,
  warningsOf,
} from '../support/util';


const platform = testPlatform;

const WEB: AppServiceProps = { name: 'shop-web', namespace: 'shop', route: ServiceRoute.defaultRoute() };
const ORDERS: AppServiceProps = {
  name: 'orders-api',
  route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders', '/api/orders/*'], priority: 100 }),
};

const roleRef = (synth: SynthesizedStack, service: string, attribute = 'arn') => refTo(synth, 'aws_iam_role', `App/${service}/Role`, attribute);
const targetGroupRef = (synth: SynthesizedStack, service: string) => refTo(synth, 'aws_lb_target_group', `App/${service}/TargetGroup`, 'arn');
const nodeSgRef = (synth: SynthesizedStack) => refTo(synth, 'aws_eks_cluster', 'App/Resource', 'vpc_config[0].cluster_security_group_id');
const sgRef = (synth: SynthesizedStack, pathSuffix: string) => refTo(synth, 'aws_security_group', pathSuffix, 'id');
/** The statements of every inline policy on a service's role. */
const statementsOf = (synth: SynthesizedStack, service: string) =>
  resourcesOf(synth, 'aws_iam_role_policy')
    .filter((p) => p.role === roleRef(synth, service, 'id'))
    .flatMap((p) => policyOf(p.policy).Statement);
const ingressInto = (synth: SynthesizedStack, securityGroup: string) =>
  resourcesOf(synth, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === securityGroup);
/** `${local.x}`: the local that holds the OIDC issuer without `https://`, the prefix of the IRSA condition keys. */
const issuerHost = (synth: SynthesizedStack) => {
  const locals: Record<string, string> = (synth as any).locals ?? {};
  const issuer = refTo(synth, 'aws_eks_cluster', 'App/Resource', 'identity[0].oidc[0].issuer').slice(2, -1);
  const [name] = Object.entries(locals).find(([, value]) => value === `\${replace(${issuer}, "https://", "")}`) ?? [];
  if (!name) throw new Error('no local holds the issuer host path');
  return `\${local.${name}}`;
};
const movedOf = (synth: unknown): Array<{ from: string; to: string }> => (synth as any).moved ?? [];
const addressOf = (ref: string) => ref.slice(2, -1).split('.').slice(0, 2).join('.');

describe('AppService identity: EKS Pod Identity by default', () => {
  const { stack, cluster } = platform();
  cluster.addService('Web', WEB);
  cluster.addService('Orders', { ...ORDERS, namespace: 'orders', serviceAccountName: 'orders-runner' });
  const synth = synthStack(stack);

  test("trusts only pods.eks.amazonaws.com, for this account, cluster, namespace and service account, with session tags", () => {
    const trust = policyOf(resourceAt(synth, 'aws_iam_role', 'App/Orders/Role').assume_role_policy).Statement;
    expect(trust).toEqual([
      {
        Sid: 'EksPodIdentityForOneServiceAccount',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '123456789012',
            'aws:RequestTag/eks-cluster-arn': refTo(synth, 'aws_eks_cluster', 'App/Resource', 'arn'),
            'aws:RequestTag/kubernetes-namespace': 'orders',
            'aws:RequestTag/kubernetes-service-account': 'orders-runner',
          },
        },
      },
    ]);
  });

  test('names each role <cluster>-app-<service>, so services never share one', () => {
    expect(resourceAt(synth, 'aws_iam_role', 'App/Web/Role').name).toBe('shop-production-app-shop-web');
    expect(resourceAt(synth, 'aws_iam_role', 'App/Orders/Role').name).toBe('shop-production-app-orders-api');
  });

  test('binds each role to its namespace and service account with one pod identity association per service', () => {
    expect(resourcesByPath(synth, 'aws_eks_pod_identity_association')).toEqual({
      'App/Web/PodIdentityAssociation': expect.objectContaining({
        cluster_name: refTo(synth, 'aws_eks_cluster', 'App/Resource', 'name'),
        namespace: 'shop',
        service_account: 'shop-web',
        role_arn: roleRef(synth, 'Web'),
      }),
      'App/Orders/PodIdentityAssociation': expect.objectContaining({
        namespace: 'orders',
        service_account: 'orders-runner',
        role_arn: roleRef(synth, 'Orders'),
      }),
    });
  });

  test('installs exactly one eks-pod-identity-agent add-on for two services, before their associations', () => {
    const agents = resourcesOf(synth, 'aws_eks_addon').filter((a) => a.addon_name === 'eks-pod-identity-agent');
    expect(agents).toHaveLength(1);
    const agent = addressOf(refTo(synth, 'aws_eks_addon', 'App/PodIdentityAgentAddon', 'id'));
    for (const association of resourcesOf(synth, 'aws_eks_pod_identity_association')) {
      expect(association.depends_on).toContain(agent);
    }
  });

  test('gives a role nothing beyond its trust until the service is granted something', () => {
    expect(statementsOf(synth, 'Orders')).toEqual([]);
    expect(Object.keys(resourcesByPath(synth, 'aws_iam_role_policy_attachment')).filter((p) => p.startsWith('App/Orders/'))).toEqual([]);
  });
});

describe('AppService identity: IRSA', () => {
  const { stack, cluster } = platform();
  const service = cluster.addService('Jobs', { name: 'jobs', namespace: 'batch', serviceAccountName: 'jobs-runner', identity: WorkloadIdentity.IRSA });
  const synth = synthStack(stack);

  test("trusts the cluster's OIDC provider for exactly system:serviceaccount:<namespace>:<service account>", () => {
    const trust = policyOf(resourceAt(synth, 'aws_iam_role', 'App/Jobs/Role').assume_role_policy).Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: refTo(synth, 'aws_iam_openid_connect_provider', 'App/OidcProvider', 'arn') },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuerHost(synth)}:sub`]: 'system:serviceaccount:batch:jobs-runner',
            [`${issuerHost(synth)}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ]);
    expect(service.identity).toBe(WorkloadIdentity.IRSA);
  });

  test('creates no pod identity association and no pod identity agent', () => {
    expect(resourcesOf(synth, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(resourcesOf(synth, 'aws_eks_addon').map((a) => a.addon_name)).not.toContain('eks-pod-identity-agent');
  });
});

describe('AppService routes on the shared load balancer', () => {
  const { stack, cluster } = platform();
  const web = cluster.addService('Web', { ...WEB, port: 3000, deregistrationDelaySeconds: 45, healthCheckPath: '/healthz' });
  const orders = cluster.addService('Orders', {
    name: 'orders-api',
    route: ServiceRoute.sharedLoadBalancer({ hosts: ['API.example.com'], paths: ['/api/orders', '/api/orders/*'], priority: 100 }),
  });
  const worker = cluster.addService('Worker', { name: 'worker' });
  const synth = synthStack(stack);
  const https = () => resourceAt(synth, 'aws_lb_listener', 'App/LoadBalancer/HttpsListener');

  test("makes the default-route service's target group the HTTPS listener's default action", () => {
    expect(https().default_action).toEqual([{ type: 'forward', target_group_arn: targetGroupRef(synth, 'Web') }]);
    expect(cluster.loadBalancer.hasDefaultTargetGroup).toBe(true);
  });

  test("gives the target group the service's port, health check path and deregistration delay", () => {
    expect(resourceAt(synth, 'aws_lb_target_group', 'App/Web/TargetGroup')).toMatchObject({
      target_type: 'ip',
      protocol: 'HTTP',
      port: 3000,
      deregistration_delay: '45',
      health_check: { path: '/healthz', port: 'traffic-port', matcher: '200-299' },
    });
    expect([web.port, web.deregistrationDelaySeconds]).toEqual([3000, 45]);
  });

  test('drains a target group 30 s by default', () => {
    expect(resourceAt(synth, 'aws_lb_target_group', 'App/Orders/TargetGroup').deregistration_delay).toBe('30');
    expect(orders.deregistrationDelaySeconds).toBe(30);
  });

  test('adds a listener rule with the host (lowercased) and path conditions, the priority, forwarding to the service', () => {
    expect(resourceAt(synth, 'aws_lb_listener_rule', 'App/Orders/ListenerRule')).toMatchObject({
      listener_arn: refTo(synth, 'aws_lb_listener', 'App/LoadBalancer/HttpsListener', 'arn'),
      priority: 100,
      condition: [{ host_header: { values: ['api.example.com'] } }, { path_pattern: { values: ['/api/orders', '/api/orders/*'] } }],
      action: [{ type: 'forward', target_group_arn: targetGroupRef(synth, 'Orders') }],
    });
  });

  test('gives a service without a route no target group, listener rule or target group output', () => {
    expect(Object.keys(resourcesByPath(synth, 'aws_lb_target_group'))).not.toContain('App/Worker/TargetGroup');
    expect(Object.keys(resourcesByPath(synth, 'aws_lb_listener_rule')).filter((p) => p.startsWith('App/Worker/'))).toEqual([]);
    expect(worker.targetGroupArn).toBeUndefined();
    expect(worker.deregistrationDelaySeconds).toBe(0);
    expect(synth.output?.app_worker_target_group_arn).toBeUndefined();
  });

  test('lets the AWS Load Balancer Controller register targets in every routed service\'s target group and no other', () => {
    const policy = policyOf(resourceAt(synth, 'aws_iam_role_policy', 'App/LoadBalancerControllerRolePolicy').policy);
    const writes = policy.Statement.find((s: any) => s.Sid === 'RegisterPodsInTheServicesTargetGroups');
    expect(writes.Resource).toEqual([targetGroupRef(synth, 'Web'), targetGroupRef(synth, 'Orders')]);
    const others = policy.Statement.filter((s: any) => s !== writes);
    for (const statement of others) for (const action of statement.Action) expect(action).toMatch(/:Describe/);
  });

  test('opens the load balancer to the nodes once per port, in both security groups, whatever the number of services', () => {
    const albSg = sgRef(synth, 'App/LoadBalancer/SecurityGroup');
    const egress = resourcesOf(synth, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === albSg);
    expect(egress.map((r) => [r.from_port, r.referenced_security_group_id]).sort()).toEqual([
      [3000, nodeSgRef(synth)],
      [8080, nodeSgRef(synth)],
    ]);
    expect(ingressInto(synth, nodeSgRef(synth)).map((r) => [r.from_port, r.referenced_security_group_id]).sort()).toEqual([
      [3000, albSg],
      [8080, albSg],
    ]);
  });

  test('outputs each service\'s role ARN, and the target group ARN of a routed one, under stable names', () => {
    expect(synth.output).toMatchObject({
      app_shop_web_role_arn: { value: roleRef(synth, 'Web'), sensitive: false },
      app_shop_web_target_group_arn: { value: targetGroupRef(synth, 'Web'), sensitive: false },
      app_orders_api_role_arn: { value: roleRef(synth, 'Orders') },
      app_orders_api_target_group_arn: { value: targetGroupRef(synth, 'Orders') },
      app_worker_role_arn: { value: roleRef(synth, 'Worker') },
    });
  });
});

describe('AppService with a load balancer of its own', () => {
  const { stack, vpc, cluster } = platform();
  cluster.addService('Web', WEB);
  const admin = cluster.addService('Admin', { name: 'admin', route: ServiceRoute.ownLoadBalancer() });
  const partners = cluster.addService('Partners', { name: 'partners', route: ServiceRoute.ownLoadBalancer({ internetFacing: true }) });
  const synth = synthStack(stack);
  const lbIngressCidrs = (service: string) =>
    ingressInto(synth, sgRef(synth, `App/${service}/LoadBalancer/SecurityGroup`)).map((r) => [r.from_port, r.cidr_ipv4]).sort();

  test('puts an internal load balancer into the private subnets, open to the VPC only', () => {
    expect(resourceAt(synth, 'aws_lb', 'App/Admin/LoadBalancer/Resource')).toMatchObject({
      internal: true,
      subnets: ZONES.map((z) => refTo(synth, 'aws_subnet', `PrivateSubnet-${z}`, 'id')),
    });
    expect(lbIngressCidrs('Admin')).toEqual([
      [443, vpc.cidr],
      [80, vpc.cidr],
    ]);
    expect(admin.loadBalancer?.internal).toBe(true);
  });

  test("makes the service the own load balancer's default action, and leaves the shared listener alone", () => {
    expect(resourceAt(synth, 'aws_lb_listener', 'App/Admin/LoadBalancer/HttpsListener').default_action).toEqual([
      { type: 'forward', target_group_arn: targetGroupRef(synth, 'Admin') },
    ]);
    expect(resourceAt(synth, 'aws_lb_listener', 'App/LoadBalancer/HttpsListener').default_action).toEqual([
      { type: 'forward', target_group_arn: targetGroupRef(synth, 'Web') },
    ]);
  });

  test('puts an internet-facing one into the public subnets, open to everyone on 80 and 443', () => {
    expect(resourceAt(synth, 'aws_lb', 'App/Partners/LoadBalancer/Resource')).toMatchObject({
      internal: false,
      subnets: ZONES.map((z) => refTo(synth, 'aws_subnet', `PublicSubnet-${z}`, 'id')),
    });
    expect(lbIngressCidrs('Partners')).toEqual([
      [443, '0.0.0.0/0'],
      [80, '0.0.0.0/0'],
    ]);
    expect(partners.loadBalancer?.internal).toBe(false);
  });

  test('names it <cluster>-<service> and lets it reach the nodes on the service port', () => {
    expect(resourceAt(synth, 'aws_lb', 'App/Admin/LoadBalancer/Resource').name).toBe('shop-production-admin');
    const ownSg = sgRef(synth, 'App/Admin/LoadBalancer/SecurityGroup');
    expect(resourcesOf(synth, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === ownSg)).toEqual([
      expect.objectContaining({ from_port: 8080, to_port: 8080, referenced_security_group_id: nodeSgRef(synth) }),
    ]);
  });

  test('warns [GW-EKS-IDLE-LOAD-BALANCER] when no service routes through the shared load balancer', () => {
    const { stack: idle, cluster: idleCluster } = platform();
    idleCluster.addService('Admin', { name: 'admin', route: ServiceRoute.ownLoadBalancer() });
    // The check runs with the validations, after every service is declared.
    Testing.synth(idle, true);
    Testing.synth(stack, true);
    expect(warningsOf(idle)).toEqual([expect.stringMatching(/^\[GW-EKS-IDLE-LOAD-BALANCER\]/)]);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('warns [GW-PG-USER-NOT-CREATED] for a service that signs in to a database whose users no database jobs of its cluster create', () => {
    const p = platform();
    const db = new PostgresWithBackups(p.stack, 'Database', { vpc: p.vpc, awsBackup: false });
    const other = new PostgresWithBackups(p.stack, 'Reporting', { vpc: p.vpc, awsBackup: false });
    const web = p.cluster.addService('Web', WEB);
    web.connectTo(db, { user: 'shop_app' });
    web.connectTo(other, { user: 'shop_reader', keyPrefix: 'REPORTING', migrationUser: 'reporting_migrate' });
    // Jobs for the first database only, declared after the grants: the check waits for synth.
    p.cluster.addDatabaseJobs('DatabaseJobs', { database: db, securityGroupsForPods: false });
    Testing.synth(p.stack, true);
    const findings = warningsOf(p.stack).filter((w) => w.startsWith('[GW-PG-USER-NOT-CREATED]'));
    expect(findings).toEqual([
      // Once, on the service: its migration identity's user is named there too.
      '[GW-PG-USER-NOT-CREATED] service shop-web signs in to PostgresWithBackups test/Reporting as "shop_reader" (its migrations as "reporting_migrate"), which nothing creates: ' +
        'no cluster.addDatabaseJobs(id, { database }) on test/App covers that database, so every sign-in fails until the user exists.',
    ]);
    // A Redis user is Terraform's own (aws_elasticache_user): nothing to warn about.
    const q = platform();
    q.cluster.addService('Web', WEB).connectTo(new RedisHA(q.stack, 'Cache', { vpc: q.vpc }));
    Testing.synth(q.stack, true);
    expect(warningsOf(q.stack).filter((w) => w.startsWith('[GW-PG-USER-NOT-CREATED]'))).toEqual([]);
  });

  test("lists the own load balancers' target groups in the controller policy too", () => {
    const policy = policyOf(resourceAt(synth, 'aws_iam_role_policy', 'App/LoadBalancerControllerRolePolicy').policy);
    expect(policy.Statement[0].Resource).toEqual([targetGroupRef(synth, 'Web'), targetGroupRef(synth, 'Admin'), targetGroupRef(synth, 'Partners')]);
  });
});

describe('AppService data store grants: IAM isolation', () => {
  const { stack, cluster, database } = platform();
  const web = cluster.addService('Web', WEB);
  const orders = cluster.addService('Orders', ORDERS);
  const shopDb = database('Database');
  const ordersDb = database('OrdersDatabase', { databaseName: 'orders' });
  const cache = new RedisHA(stack, 'Cache', { vpc: cluster.vpc, auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'worker' }]) });
  const webGrant = web.connectTo(shopDb, { user: 'shop_app' });
  web.connectTo(cache, { user: 'web' });
  orders.connectTo(ordersDb, { user: 'orders_app' });
  const synth = synthStack(stack);
  const dbUserArns = (db: string, user: string) =>
    ['Resource', 'Replica-1', 'Replica-2'].map(
      (instance) => `arn:aws:rds-db:eu-west-1:123456789012:dbuser:${refTo(synth, 'aws_db_instance', `${db}/${instance}`, 'resource_id')}/${user}`,
    );

  test("lets a service sign in to its database as its user only, on the primary and every replica", () => {
    expect(statementsOf(synth, 'Orders')).toEqual([
      { Sid: 'ConnectToPostgresWithIam', Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUserArns('OrdersDatabase', 'orders_app') },
    ]);
  });

  test("gives another service's role nothing on that database", () => {
    const webResources = statementsOf(synth, 'Web').flatMap((s: any) => [s.Resource].flat());
    for (const arn of dbUserArns('OrdersDatabase', 'orders_app')) expect(webResources).not.toContain(arn);
    expect(JSON.stringify(statementsOf(synth, 'Web'))).not.toContain('OrdersDatabase');
    expect(JSON.stringify(statementsOf(synth, 'Orders'))).not.toMatch(/elasticache|aws_db_instance\.Database_/);
  });

  test('puts each grant in an inline policy of its own on the service role', () => {
    expect(resourceAt(synth, 'aws_iam_role_policy', 'App/Web/Connect-Database')).toMatchObject({
      role: roleRef(synth, 'Web', 'id'),
      name: 'connect-database',
    });
    expect(resourceAt(synth, 'aws_iam_role_policy', 'App/Web/Connect-Cache').role).toBe(roleRef(synth, 'Web', 'id'));
    expect(webGrant.keyPrefix).toBe('DATABASE');
  });

  test('lets a service connect to Redis as the IAM user it names, on that replication group only', () => {
    const redis = statementsOf(synth, 'Web').find((s: any) => s.Action === 'elasticache:Connect');
    expect(redis.Resource).toEqual([
      refTo(synth, 'aws_elasticache_replication_group', 'Cache/Resource', 'arn'),
      refTo(synth, 'aws_elasticache_user', 'Cache/User-web', 'arn'),
    ]);
  });
});

describe('AppService data store grants: network without security groups for pods', () => {
  const { stack, cluster, database } = platform();
  const web = cluster.addService('Web', WEB);
  const orders = cluster.addService('Orders', ORDERS);
  const shopDb = database('Database');
  web.connectTo(shopDb, { user: 'shop_app' });
  orders.connectTo(shopDb, { user: 'orders_app' });
  const synth = synthStack(stack);

  test("admits the nodes' security group once for two services granted one database (EC2 refuses duplicate rules)", () => {
    expect(ingressInto(synth, sgRef(synth, 'Database/SecurityGroup'))).toEqual([
      expect.objectContaining({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432, referenced_security_group_id: nodeSgRef(synth) }),
    ]);
  });

  test('leaves the VPC CNI without pod ENIs and the cluster role without the VPC resource controller policy', () => {
    expect(JSON.parse(resourceAt(synth, 'aws_eks_addon', 'App/VpcCniAddon').configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(Object.keys(resourcesByPath(synth, 'aws_iam_role_policy_attachment'))).not.toContain('App/ClusterRolePolicy-AmazonEKSVPCResourceController');
    expect(resourcesOf(synth, 'aws_security_group').map((g) => g.name)).not.toContainEqual(expect.stringMatching(/-pods$/));
  });
});

describe('AppService data store grants: network with security groups for pods', () => {
  const { stack, cluster, database } = platform({ securityGroupsForPods: true });
  cluster.addService('Web', WEB);
  const orders = cluster.addService('Orders', { ...ORDERS, securityGroupsForPods: true });
  const billing = cluster.addService('Billing', { name: 'billing', securityGroupsForPods: true });
  const ordersDb = database('OrdersDatabase', { databaseName: 'orders' });
  orders.connectTo(ordersDb, { user: 'orders_app' });
  billing.connectTo(ordersDb, { user: 'billing_app' });
  const synth = synthStack(stack);
  const podSg = (service: string) => sgRef(synth, `App/${service}/PodSecurityGroup`);

  test("admits only the granted services' pod security groups into the database, not the nodes", () => {
    const sources = ingressInto(synth, sgRef(synth, 'OrdersDatabase/SecurityGroup')).map((r) => [r.from_port, r.referenced_security_group_id]);
    expect(sources.sort()).toEqual([
      [5432, podSg('Billing')],
      [5432, podSg('Orders')],
    ]);
  });

  test('gives each such service a security group of its own with an egress rule to the database on its port', () => {
    expect(resourceAt(synth, 'aws_security_group', 'App/Orders/PodSecurityGroup')).toMatchObject({
      name: 'shop-production-orders-api-pods',
      vpc_id: refTo(synth, 'aws_vpc', 'Network/Resource', 'id'),
    });
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'App/Orders/PodEgress-OrdersDatabase')).toMatchObject({
      security_group_id: podSg('Orders'),
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: sgRef(synth, 'OrdersDatabase/SecurityGroup'),
    });
  });

  test('lets the load balancer reach the pod security group on the service port, and the cluster exchange in-cluster traffic with it', () => {
    expect(ingressInto(synth, podSg('Orders'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from_port: 8080, to_port: 8080, referenced_security_group_id: sgRef(synth, 'App/LoadBalancer/SecurityGroup') }),
        expect.objectContaining({ ip_protocol: '-1', referenced_security_group_id: nodeSgRef(synth) }),
      ]),
    );
    expect(ingressInto(synth, podSg('Orders'))).toHaveLength(2);
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'App/Orders/PodEgressToCluster')).toMatchObject({
      security_group_id: podSg('Orders'),
      ip_protocol: '-1',
      referenced_security_group_id: nodeSgRef(synth),
    });
    expect(resourceAt(synth, 'aws_vpc_security_group_ingress_rule', 'App/Orders/ClusterIngressFromPods')).toMatchObject({
      security_group_id: nodeSgRef(synth),
      ip_protocol: '-1',
      referenced_security_group_id: podSg('Orders'),
    });
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'App/Orders/PodEgressHttps')).toMatchObject({
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '10.0.0.0/16',
    });
  });

  test("gives the pod security group no path to data stores it was not granted: none admits it, and it has no open egress", () => {
    const { stack: s2, cluster: c2, database: db2 } = platform({ securityGroupsForPods: true });
    const shop = c2.addService('Web', WEB);
    const ordersService = c2.addService('Orders', { ...ORDERS, securityGroupsForPods: true });
    const shopDb = db2('Database');
    shop.connectTo(shopDb, { user: 'shop_app' });
    ordersService.connectTo(db2('OrdersDatabase', { databaseName: 'orders' }), { user: 'orders_app' });
    const out = synthStack(s2);
    const pod = sgRef(out, 'App/Orders/PodSecurityGroup');
    expect(ingressInto(out, sgRef(out, 'Database/SecurityGroup')).map((r) => r.referenced_security_group_id)).not.toContain(pod);
    const podEgress = resourcesOf(out, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === pod);
    expect(podEgress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0')).toEqual([]);
  });

  test('turns on pod ENIs in the VPC CNI, in standard mode, keeping NetworkPolicy enforcement', () => {
    expect(JSON.parse(resourceAt(synth, 'aws_eks_addon', 'App/VpcCniAddon').configuration_values)).toEqual({
      enableNetworkPolicy: 'true',
      env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
    });
  });

  test('attaches AmazonEKSVPCResourceController to the cluster role, once for two services', () => {
    const attachments = resourcesOf(synth, 'aws_iam_role_policy_attachment').filter((a) => a.policy_arn.endsWith('/AmazonEKSVPCResourceController'));
    expect(attachments).toEqual([
      { role: refTo(synth, 'aws_iam_role', 'App/ClusterRole', 'name'), policy_arn: 'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController' },
    ]);
  });

  test('records no warning on Nitro node types that support trunking', () => {
    expect(warningsOf(stack).filter((w) => w.includes('GW-EKS-POD-SG'))).toEqual([]);
  });

  test('warns [GW-EKS-POD-SG-INSTANCE-TYPE] when nodes are of the t family', () => {
    const { stack: tStack, cluster: tCluster } = platform(
      { nodeGroups: [{ name: 'small', instanceTypes: ['t3.large'] }], securityGroupsForPods: true },
      { environment: EnvironmentTier.DEVELOPMENT },
    );
    tCluster.addService('Orders', { ...ORDERS, securityGroupsForPods: true });
    expect(warningsOf(tStack)).toContainEqual(expect.stringMatching(/^\[GW-EKS-POD-SG-INSTANCE-TYPE\] .*t3\.large/));
  });
});

describe('AppCluster appName (release 0.1) as a service', () => {
  const POLICY = 'arn:aws:iam::123456789012:policy/shop-read-secrets';
  const { stack, cluster } = platform({ appName: 'shop', appServiceAccountManagedPolicyArns: [POLICY] });
  const synth = synthStack(stack);
  const movedTo = (from: string) => movedOf(synth).find((m) => m.from === from)?.to;

  test('keeps the role through a moved block from App/AppServiceAccountRole, with its name unchanged', () => {
    expect(movedTo('aws_iam_role.App_AppServiceAccountRole_E96E30EC')).toBe(addressOf(roleRef(synth, 'shop')));
    expect(resourceAt(synth, 'aws_iam_role', 'App/shop/Role').name).toBe('shop-production-app-shop');
  });

  test('keeps the target group through a moved block from App/LoadBalancer/TargetGroup', () => {
    expect(movedTo('aws_lb_target_group.App_LoadBalancer_TargetGroup_DF253180')).toBe(addressOf(targetGroupRef(synth, 'shop')));
  });

  test('keeps the rules between the load balancer and the nodes through moved blocks from EgressToTargets and TargetIngress', () => {
    expect(movedTo('aws_vpc_security_group_egress_rule.App_LoadBalancer_EgressToTargets_6AF79EB2')).toBe(
      addressOf(refTo(synth, 'aws_vpc_security_group_egress_rule', 'App/LoadBalancer/EgressTo-eks-nodes-of-shop-production-8080', 'id')),
    );
    expect(movedTo('aws_vpc_security_group_ingress_rule.App_LoadBalancer_TargetIngress_6A53B026')).toBe(
      addressOf(refTo(synth, 'aws_vpc_security_group_ingress_rule', 'App/LoadBalancer/IngressFrom-eks-nodes-of-shop-production-8080', 'id')),
    );
  });

  test('keeps the managed policy attachments through moved blocks from AppServiceAccountPolicy-<policy>', () => {
    const to = addressOf(refTo(synth, 'aws_iam_role_policy_attachment', 'App/shop/ManagedPolicy-policy-shop-read-secrets', 'id'));
    expect(movedOf(synth).filter((m) => m.to === to).map((m) => m.from)).toEqual([
      expect.stringMatching(/^aws_iam_role_policy_attachment\.App_AppServiceAccountPolicy-policy-shop-read-secrets_[0-9A-F]{8}$/),
    ]);
  });

  test("is the IRSA service with the default route, and keeps release 0.1's attributes and outputs", () => {
    expect(cluster.legacyApp).toBeInstanceOf(AppService);
    expect(cluster.legacyApp).toMatchObject({ name: 'shop', namespace: 'shop', serviceAccountName: 'shop', identity: WorkloadIdentity.IRSA, port: 8080 });
    expect(resourceAt(synth, 'aws_lb_listener', 'App/LoadBalancer/HttpsListener').default_action[0].target_group_arn).toBe(targetGroupRef(synth, 'shop'));
    expect(synth.output).toMatchObject({
      app_target_group_arn: { value: targetGroupRef(synth, 'shop') },
      app_app_service_account_role_arn: { value: roleRef(synth, 'shop') },
    });
    expect(resourcesOf(synth, 'aws_eks_pod_identity_association')).toEqual([]);
  });
});

describe('AppService validation', () => {
  const build = (configure: (p: ReturnType<typeof platform>) => void, props: Partial<AppClusterProps> = {}) => () => {
    const p = platform(props);
    configure(p);
  };

  test('throws when two services have the same name', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', WEB);
        cluster.addService('Web2', { name: 'shop-web' });
      }),
    ).toThrow('AppService test/App/Web2: name must be unique in the cluster, but AppService test/App/Web already has it, got "shop-web"');
  });

  test('throws when two services would share a namespace and service account (one identity, one pod identity association)', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', { ...WEB, serviceAccountName: 'shop' });
        cluster.addService('Admin', { name: 'admin', namespace: 'shop', serviceAccountName: 'shop' });
      }),
    ).toThrow(/^AppService test\/App\/Admin: serviceAccountName must be unique in its namespace .*AppService test\/App\/Web .*, got "shop\/shop"/);
  });

  test("throws when a service's role name is another's (a name equal to the legacyAppName of the 0.1 app)", () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', { ...WEB, legacyAppName: 'shop' });
        cluster.addService('Shop', { name: 'shop' });
      }),
    ).toThrow(/^AppService test\/App\/Shop: name must not give the IAM role name "shop-production-app-shop" of AppService test\/App\/Web, which has it already, got "shop"$/);
  });

  test('throws when legacyAppName would give a service the role of an existing service of that name', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Shop', { name: 'shop' });
        cluster.addService('Web', { ...WEB, legacyAppName: 'shop' });
      }),
    ).toThrow(/^AppService test\/App\/Web: legacyAppName must not give the IAM role name "shop-production-app-shop" of AppService test\/App\/Shop, which has it already, got "shop"$/);
  });

  test('accepts two services in one namespace with service accounts of their own', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', WEB);
        cluster.addService('Admin', { name: 'admin', namespace: 'shop' });
      }),
    ).not.toThrow();
  });

  test('throws when two routes claim the same host and path', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Orders', ORDERS);
        cluster.addService('Orders2', { name: 'orders-v2', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders/*'], priority: 200 }) });
      }),
    ).toThrow(
      'AppService test/App/Orders2: route claims ["<any host> /api/orders/*"] on load balancer shop-production, which ' +
        'AppService test/App/Orders ("orders-api") already claims; two services cannot serve the same host and path',
    );
  });

  test('throws when two hosts differ only in case (ALB matches hosts case-insensitively)', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('A', { name: 'a', route: ServiceRoute.sharedLoadBalancer({ hosts: ['api.example.com'], priority: 100 }) });
        cluster.addService('B', { name: 'b', route: ServiceRoute.sharedLoadBalancer({ hosts: ['API.Example.com'], priority: 200 }) });
      }),
    ).toThrow(/AppService test\/App\/B: route claims \["api\.example\.com <any path>"\] .*AppService test\/App\/A \("a"\) already claims/);
  });

  test('throws when two routes take the same priority', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Orders', ORDERS);
        cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/users/*'], priority: 100 }) });
      }),
    ).toThrow(
      'AppService test/App/Users: route.priority must differ from the priorities of the other routes on load balancer shop-production, ' +
        'but AppService test/App/Orders ("orders-api") has it, got 100',
    );
  });

  test('throws when a shared rule has no priority', () => {
    expect(
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: ['/users'] } as any) })),
    ).toThrow(/^AppService test\/App\/Users: route\.priority must be given \(11-50000\).*, got nothing$/);
  });

  test("throws when a shared rule's priority is 10 or less, where the blocked paths' 404 rules are", () => {
    expect(
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: ['/users'], priority: 10 }) })),
    ).toThrow('AppService test/App/Users: route.priority must be an integer from 11 to 50000, got 10');
  });

  test('throws on malformed host patterns', () => {
    const withHost = (host: string) =>
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ hosts: [host], priority: 100 }) }));
    expect(withHost('api.example.com:443')).toThrow(/^AppService test\/App\/Users: route\.hosts\[0\] must be a host name pattern such as .*, got "api\.example\.com:443"$/);
    expect(withHost('localhost')).toThrow(/route\.hosts\[0\] must be a host name pattern .*at least one "\.".*, got "localhost"/);
    expect(withHost('https://api.example.com')).toThrow(/route\.hosts\[0\] must be a host name pattern .*, got "https:\/\/api\.example\.com"/);
  });

  test('throws on malformed path patterns', () => {
    const withPath = (p: string) =>
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: [p], priority: 100 }) }));
    expect(withPath('api/users')).toThrow(/^AppService test\/App\/Users: route\.paths\[0\] must contain ALB path patterns: a "\/" first.*, got "api\/users"$/);
    expect(withPath('/users?id=1&x=2')).toThrow(/route\.paths\[0\] must contain ALB path patterns.*, got "\/users\?id=1&x=2"/);
  });

  test('throws when a condition lists more than 3 patterns', () => {
    const paths = ['/a', '/b', '/c', '/d'];
    expect(
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths, priority: 100 }) })),
    ).toThrow(`AppService test/App/Users: route.paths must list at most 3 patterns (an ALB rule condition takes no more), got ${JSON.stringify(paths)}`);
  });

  test('throws when hosts and paths together exceed 5 patterns', () => {
    const hosts = ['a.example.com', 'b.example.com', 'c.example.com'];
    const paths = ['/a', '/b', '/c'];
    expect(
      build(({ cluster }) => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ hosts, paths, priority: 100 }) })),
    ).toThrow(
      'AppService test/App/Users: route must have at most 5 host and path patterns together (an ALB rule takes no more match evaluations), ' +
        `got ${JSON.stringify({ hosts, paths })}`,
    );
  });

  test('throws when two services ask for the default route', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', WEB);
        cluster.addService('Web2', { name: 'shop-web-v2', route: ServiceRoute.defaultRoute() });
      }),
    ).toThrow(
      /^AppService test\/App\/Web2: route asks for the default action of load balancer shop-production, but AppService test\/App\/Web \("shop-web"\) already has it/,
    );
  });

  test('throws when a second service takes over the 0.1 app', () => {
    expect(
      build(({ cluster }) => {
        cluster.addService('Web', { ...WEB, legacyAppName: 'shop' });
        cluster.addService('Web2', { name: 'shop-web-v2', legacyAppName: 'shop' });
      }),
    ).toThrow('AppService test/App/Web2: legacyAppName must be set on one service only; AppService test/App/Web already took over the 0.1 app, got "shop"');
  });

  test('throws when a service with legacyAppName joins a cluster whose appName already took the 0.1 app over', () => {
    expect(build(({ cluster }) => cluster.addService('Web', { ...WEB, legacyAppName: 'shop' }), { appName: 'shop' })).toThrow(
      /^AppService test\/App\/Web: legacyAppName must be set on one service only; AppService test\/App\/shop already took over the 0.1 app, got "shop"/,
    );
  });

  test('throws on healthCheckPath for a service without a route', () => {
    expect(build(({ cluster }) => cluster.addService('Worker', { name: 'worker', healthCheckPath: '/healthz' }))).toThrow(
      /^AppService test\/App\/Worker: healthCheckPath must be left out: .*this service has no route.*, got "\/healthz"$/,
    );
  });

  test('throws on deregistrationDelaySeconds for a service without a route', () => {
    expect(build(({ cluster }) => cluster.addService('Worker', { name: 'worker', deregistrationDelaySeconds: 60 }))).toThrow(
      /^AppService test\/App\/Worker: deregistrationDelaySeconds must be left out: .*this service has no route.*, got 60$/,
    );
  });

  test('throws when the same data store is granted twice', () => {
    expect(
      build(({ cluster, database }) => {
        const db = database('Database');
        const web = cluster.addService('Web', WEB);
        web.connectTo(db, { user: 'shop_app' });
        web.connectTo(db, { user: 'shop_reporting' });
      }),
    ).toThrow(
      'AppService test/App/Web: connectTo: PostgresWithBackups test/Database is already granted to this service; grant each data store once',
    );
  });

  test('throws when two databases would write the same connection keys, naming the prefix', () => {
    expect(
      build(({ cluster, database }) => {
        const web = cluster.addService('Web', WEB);
        web.connectTo(database('Database'), { user: 'shop_app' });
        web.connectTo(database('OrdersDatabase', { databaseName: 'orders' }), { user: 'shop_app' });
      }),
    ).toThrow(/^AppService test\/App\/Web: connectTo\(options\.keyPrefix\) must differ from the prefix of PostgreSQL shop-production-database, .*give one of them its own keyPrefix, got "DATABASE"$/);
  });

  test('accepts two databases with distinct key prefixes', () => {
    expect(
      build(({ cluster, database }) => {
        const web = cluster.addService('Web', WEB);
        web.connectTo(database('Database'), { user: 'shop_app' });
        web.connectTo(database('OrdersDatabase', { databaseName: 'orders' }), { user: 'shop_app', keyPrefix: 'ORDERS_DATABASE' });
      }),
    ).not.toThrow();
  });

  test('throws on a key prefix that is not an environment variable prefix', () => {
    expect(
      build(({ cluster, database }) => cluster.addService('Web', WEB).connectTo(database('Database'), { user: 'shop_app', keyPrefix: 'orders-db' })),
    ).toThrow(/^AppService test\/App\/Web: connectTo\(options\.keyPrefix\) must be 1-40 uppercase letters, digits or "_", starting with a letter, got "orders-db"$/);
  });

  test('throws when a database grant names no user', () => {
    expect(build(({ cluster, database }) => cluster.addService('Web', WEB).connectTo(database('Database')))).toThrow(
      /^PostgresWithBackups test\/Database: connectTo\(options\.user\) must be given: the PostgreSQL role the service signs in as with IAM .*, got nothing$/,
    );
  });

  test('throws when a database grant names the master user', () => {
    expect(build(({ cluster, database }) => cluster.addService('Web', WEB).connectTo(database('Database'), { user: 'dbadmin' }))).toThrow(
      /^PostgresWithBackups test\/Database: connectTo\(options\.user\) must not be the master user "dbadmin" or a role RDS reserves.*, got "dbadmin"$/,
    );
  });

  test('throws when a database grant names a user PostgreSQL would not accept', () => {
    expect(build(({ cluster, database }) => cluster.addService('Web', WEB).connectTo(database('Database'), { user: 'Shop-App' }))).toThrow(
      /^PostgresWithBackups test\/Database: connectTo\(options\.user\) must be a PostgreSQL role name: .*, got "Shop-App"$/,
    );
  });

  test('throws when a Redis with two IAM users is granted without a user', () => {
    expect(
      build(({ cluster, stack, vpc }) => {
        const cache = new RedisHA(stack, 'Cache', { vpc, auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'worker' }]) });
        cluster.addService('Web', WEB).connectTo(cache);
      }),
    ).toThrow('RedisHA test/Cache: connectTo(options.user) must name one of the IAM users web, worker (there is more than one), got nothing');
  });

  test('throws when a Redis grant names an IAM user the replication group does not have', () => {
    expect(
      build(({ cluster, stack, vpc }) => {
        const cache = new RedisHA(stack, 'Cache', { vpc, auth: RedisAuth.iamUserGroup([{ name: 'web' }]) });
        cluster.addService('Web', WEB).connectTo(cache, { user: 'admin' });
      }),
    ).toThrow(/^RedisHA test\/Cache: connectTo\(options\.user\) must be one of the IAM users web, got "admin"$/);
  });

  test('throws when a data store is in another VPC, naming both VPCs', () => {
    expect(
      build(({ cluster, stack }) => {
        const other = new VpcStack(stack, 'OtherNetwork', { cidr: '10.1.0.0/16', availabilityZones: ZONES });
        const db = new PostgresWithBackups(stack, 'OtherDatabase', { vpc: other });
        cluster.addService('Web', WEB).connectTo(db, { user: 'shop_app' });
      }),
    ).toThrow(
      /^PostgresWithBackups test\/OtherDatabase: service "shop-web" runs in VPC test\/Network \(10\.0\.0\.0\/16\) but this database is in VPC test\/OtherNetwork \(10\.1\.0\.0\/16\); a service can only be granted data stores in its own VPC$/,
    );
  });

  test('throws when a Redis is in another VPC', () => {
    expect(
      build(({ cluster, stack }) => {
        const other = new VpcStack(stack, 'OtherNetwork', { cidr: '10.1.0.0/16', availabilityZones: ZONES });
        const cache = new RedisHA(stack, 'OtherCache', { vpc: other });
        cluster.addService('Web', WEB).connectTo(cache);
      }),
    ).toThrow(/^RedisHA test\/OtherCache: service "shop-web" runs in VPC test\/Network \(10\.0\.0\.0\/16\) but this replication group is in VPC test\/OtherNetwork/);
  });

  test('throws on app-only props on a cluster without appName, naming them', () => {
    expect(build(() => undefined, { appPort: 3000, healthCheckPath: '/healthz' })).toThrow(
      'AppCluster test/App: appPort, healthCheckPath must be left out without appName (they describe the single app of release 0.1): ' +
        'give these settings to addService instead, got {"appPort":3000,"healthCheckPath":"/healthz"}',
    );
  });

  test('throws on securityGroupsForPods on a service when the cluster does not have it', () => {
    expect(build(({ cluster }) => cluster.addService('Orders', { ...ORDERS, securityGroupsForPods: true }))).toThrow(
      /^AppService test\/App\/Orders: securityGroupsForPods must be set only on a cluster with securityGroupsForPods: true .*, got true$/,
    );
  });

  test('finds a route conflict before the second service creates anything', () => {
    const { cluster } = platform();
    cluster.addService('Orders', ORDERS);
    expect(() => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/users/*'], priority: 100 }) })).toThrow(
      /route\.priority must differ/,
    );
    expect(() => cluster.addService('Again', { ...ORDERS, name: 'orders-again', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders'], priority: 200 }) })).toThrow(
      /already claims/,
    );
    expect(cluster.node.tryFindChild('Users')?.node.children ?? []).toEqual([]);
    expect(cluster.node.tryFindChild('Again')?.node.children ?? []).toEqual([]);
  });

  test('throws on a service name that would not fit the names derived from it', () => {
    expect(build(({ cluster }) => cluster.addService('Long', { name: `a${'b'.repeat(40)}` }))).toThrow(
      /^AppService test\/App\/Long: name must be a literal of at most 40 characters .*, got "ab{40}"$/,
    );
  });

  test('validates before creating any resource of the service', () => {
    const { cluster } = platform();
    expect(() => cluster.addService('Users', { name: 'users', route: ServiceRoute.sharedLoadBalancer({ paths: ['users'], priority: 100 }) })).toThrow();
    expect(cluster.node.tryFindChild('Users')?.node.children ?? []).toEqual([]);
    expect(cluster.services).toEqual([]);
  });
});

describe('ClusterBootstrapStack with a cluster', () => {
  interface K8sSynth {
    readonly resource: Record<string, Record<string, any>>;
    readonly moved?: Array<{ from: string; to: string }>;
  }
  const k8sSynth = (stack: ClusterBootstrapStack): K8sSynth => JSON.parse(Testing.synth(stack));
  /** The logical ID of the element at `id` below the stack (`Web/ServiceAccount`), if there is one. */
  const logicalIdAt = (stack: ClusterBootstrapStack, id: string): string | undefined => {
    let node: IConstruct | undefined = stack;
    for (const part of id.split('/')) node = node?.node.tryFindChild(part);
    return node === undefined ? undefined : stack.getLogicalId(node as TerraformElement);
  };
  /** The resource of a type whose construct path below the stack is `id` (`Web/ServiceAccount`). */
  const k8sResource = (stack: ClusterBootstrapStack, synth: K8sSynth, type: string, id: string) => {
    const logicalId = logicalIdAt(stack, id);
    if (logicalId === undefined || synth.resource[type]?.[logicalId] === undefined) throw new Error(`no ${type} at ${id}`);
    return synth.resource[type][logicalId];
  };

  describe('production: two services, Pod Identity and IRSA, granted before and after the stack', () => {
    const { app, stack: aws, cluster, database } = platform({ securityGroupsForPods: true });
    const web = cluster.addService('Web', WEB);
    const shopDb = database('Database');
    web.connectTo(shopDb, { user: 'shop_app' });
    const k8s = new ClusterBootstrapStack(app, 'k8s', { cluster });
    // Declared after the bootstrap stack: still bootstrapped.
    const admin = cluster.addService('Admin', { name: 'admin', namespace: 'shop', identity: WorkloadIdentity.IRSA, servicePort: 8000 });
    const orders = cluster.addService('Orders', { ...ORDERS, securityGroupsForPods: true });
    const cache = new RedisHA(aws, 'Cache', { vpc: cluster.vpc });
    web.connectTo(cache);
    orders.connectTo(database('OrdersDatabase', { databaseName: 'orders' }), { user: 'orders_app' });
    const awsSynth = synthStack(aws);
    const synth = k8sSynth(k8s);
    const at = (type: string, id: string) => k8sResource(k8s, synth, type, id);

    test('writes a ServiceAccount per service, without a role annotation for EKS Pod Identity', () => {
      expect(at('kubernetes_service_account_v1', 'Web/ServiceAccount')).toEqual({
        metadata: {
          name: 'shop-web',
          namespace: '${kubernetes_namespace_v1.Namespace-shop.metadata[0].name}',
          labels: { 'app.kubernetes.io/name': 'shop-web', 'app.kubernetes.io/managed-by': 'terraform' },
        },
        automount_service_account_token: false,
      });
    });

    test("annotates an IRSA service's ServiceAccount with its role ARN", () => {
      expect(at('kubernetes_service_account_v1', 'Admin/ServiceAccount').metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn': roleRef(awsSynth, 'Admin'),
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
      });
    });

    test('binds each routed service to its target group by the Service name and port', () => {
      expect(at('kubernetes_manifest', 'Web/TargetGroupBinding').manifest).toEqual({
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: {
          name: 'shop-web',
          namespace: '${kubernetes_namespace_v1.Namespace-shop.metadata[0].name}',
          labels: { 'app.kubernetes.io/name': 'shop-web', 'app.kubernetes.io/managed-by': 'terraform' },
        },
        spec: { targetGroupARN: targetGroupRef(awsSynth, 'Web'), targetType: 'ip', serviceRef: { name: 'shop-web', port: 80 } },
      });
      expect(at('kubernetes_manifest', 'Orders/TargetGroupBinding').manifest.spec.targetGroupARN).toBe(targetGroupRef(awsSynth, 'Orders'));
    });

    test('writes no TargetGroupBinding for a service without a route', () => {
      expect(() => at('kubernetes_manifest', 'Admin/TargetGroupBinding')).toThrow(/no kubernetes_manifest/);
      expect(admin.servicePort).toBe(8000);
    });

    test('writes the connection Secret with the prefixed values of every grant, made before or after the stack, and no password', () => {
      const secret = at('kubernetes_secret_v1', 'Web/ConnectionSecret');
      expect(secret.metadata.name).toBe('shop-web-connection');
      expect(secret.data).toEqual({
        DATABASE_HOST: refTo(awsSynth, 'aws_db_instance', 'Database/Resource', 'address'),
        DATABASE_PORT: '5432',
        DATABASE_NAME: 'shop',
        DATABASE_USER: 'shop_app',
        DATABASE_IAM_AUTH: 'true',
        DATABASE_READER_HOSTS: expect.stringContaining(addressOf(refTo(awsSynth, 'aws_db_instance', 'Database/Replica-1', 'id'))),
        REDIS_HOST: refTo(awsSynth, 'aws_elasticache_replication_group', 'Cache/Resource', 'primary_endpoint_address'),
        REDIS_PORT: '6379',
        REDIS_TLS: 'true',
        REDIS_USER: 'shop-production-cache-app',
        REDIS_IAM_AUTH: 'true',
      });
      expect(JSON.stringify(secret)).not.toMatch(/PASSWORD|master_user_secret|secret_arn/i);
    });

    test('writes no connection Secret for a service that was granted nothing', () => {
      expect(() => at('kubernetes_secret_v1', 'Admin/ConnectionSecret')).toThrow(/no kubernetes_secret_v1/);
    });

    test('writes each service an infrastructure ConfigMap with AWS_REGION', () => {
      expect(at('kubernetes_config_map_v1', 'Orders/InfrastructureConfigMap')).toMatchObject({
        metadata: { name: 'orders-api-infrastructure', namespace: '${kubernetes_namespace_v1.Namespace-orders-api.metadata[0].name}' },
        data: { AWS_REGION: 'eu-west-1' },
      });
    });

    test('creates one Namespace for two services that share it, with the restricted labels and the readiness gate label', () => {
      expect(Object.keys(synth.resource.kubernetes_namespace_v1).sort()).toEqual(['Namespace-orders-api', 'Namespace-shop']);
      expect(synth.resource.kubernetes_namespace_v1['Namespace-shop'].metadata).toEqual({
        name: 'shop',
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
        },
      });
    });

    test('writes a SecurityGroupPolicy for a service with securityGroupsForPods: its pod security group only, selected by service account', () => {
      expect(at('kubernetes_manifest', 'Orders/SecurityGroupPolicy').manifest).toEqual({
        apiVersion: 'vpcresources.k8s.aws/v1beta1',
        kind: 'SecurityGroupPolicy',
        metadata: {
          name: 'orders-api',
          namespace: '${kubernetes_namespace_v1.Namespace-orders-api.metadata[0].name}',
          labels: { 'app.kubernetes.io/name': 'orders-api', 'app.kubernetes.io/managed-by': 'terraform' },
        },
        spec: {
          serviceAccountSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
          // Not the cluster security group: the pods would be admitted wherever the nodes are.
          securityGroups: { groupIds: [sgRef(awsSynth, 'App/Orders/PodSecurityGroup')] },
        },
      });
      expect(() => at('kubernetes_manifest', 'Web/SecurityGroupPolicy')).toThrow(/no kubernetes_manifest/);
    });

    test('uses the kubernetes provider only, configured from the cluster', () => {
      const full: any = JSON.parse(Testing.synth(k8s));
      expect(Object.keys(full.terraform.required_providers)).toEqual(['kubernetes']);
      expect(full.provider.kubernetes[0].exec[0].args).toEqual(['eks', 'get-token', '--cluster-name', 'shop-production', '--region', 'eu-west-1', '--output', 'json']);
    });
  });

  test('a namespace whose services have no target group gets no readiness gate label', () => {
    const { app, cluster } = platform();
    cluster.addService('Worker', { name: 'worker', namespace: 'jobs' });
    cluster.addService('Cron', { name: 'cron', namespace: 'jobs' });
    const synth = k8sSynth(new ClusterBootstrapStack(app, 'k8s', { cluster }));
    expect(Object.keys(synth.resource.kubernetes_namespace_v1)).toEqual(['Namespace-jobs']);
    expect(Object.keys(synth.resource.kubernetes_namespace_v1['Namespace-jobs'].metadata.labels)).not.toContain('elbv2.k8s.aws/pod-readiness-gate-inject');
  });

  test('development: the Secret of a database without replicas has no reader hosts', () => {
    const { app, cluster, database } = platform({}, { environment: EnvironmentTier.DEVELOPMENT });
    cluster.addService('Web', WEB).connectTo(database('Database'), { user: 'shop_app' });
    const k8s = new ClusterBootstrapStack(app, 'k8s', { cluster });
    const data = k8sResource(k8s, k8sSynth(k8s), 'kubernetes_secret_v1', 'Web/ConnectionSecret').data;
    expect(Object.keys(data).sort()).toEqual(['DATABASE_HOST', 'DATABASE_IAM_AUTH', 'DATABASE_NAME', 'DATABASE_PORT', 'DATABASE_USER']);
  });

  test('reads the AWS values through cross-stack outputs when the whole app is synthesized', () => {
    const { app, cluster, database } = platform();
    cluster.addService('Web', WEB).connectTo(database('Database'), { user: 'shop_app' });
    new ClusterBootstrapStack(app, 'k8s', { cluster });
    app.synth();
    const k8s = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'k8s', 'cdk.tf.json'), 'utf8'));
    const [binding] = Object.values(k8s.resource.kubernetes_manifest) as any[];
    expect(binding.manifest.spec.targetGroupARN).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
    expect(JSON.stringify(k8s.resource)).not.toMatch(/\$\{aws_/);
  });

  test('a service with legacyAppName takes over the single-app objects through moved blocks', () => {
    const { app, cluster } = platform();
    const k8s = new ClusterBootstrapStack(app, 'k8s', { cluster });
    const web = cluster.addService('Web', { ...WEB, legacyAppName: 'shop' });
    web.connectTo(new PostgresWithBackups(GroundworkStack.ofConstruct(cluster), 'Database', { vpc: cluster.vpc }), { user: 'shop_app' });
    const moved = Object.fromEntries((k8sSynth(k8s).moved ?? []).map((m) => [m.from, m.to]));
    expect(moved).toEqual({
      'kubernetes_namespace_v1.Namespace': 'kubernetes_namespace_v1.Namespace-shop',
      'kubernetes_service_account_v1.ServiceAccount': `kubernetes_service_account_v1.${logicalIdAt(k8s, 'Web/ServiceAccount')}`,
      'kubernetes_manifest.TargetGroupBinding': `kubernetes_manifest.${logicalIdAt(k8s, 'Web/TargetGroupBinding')}`,
      'kubernetes_secret_v1.ConnectionSecret': `kubernetes_secret_v1.${logicalIdAt(k8s, 'Web/ConnectionSecret')}`,
      'kubernetes_config_map_v1.InfrastructureConfigMap': `kubernetes_config_map_v1.${logicalIdAt(k8s, 'Web/InfrastructureConfigMap')}`,
    });
  });

  test('a service without legacyAppName gets no moved blocks', () => {
    const { app, cluster } = platform();
    cluster.addService('Web', WEB);
    expect(k8sSynth(new ClusterBootstrapStack(app, 'k8s', { cluster })).moved).toBeUndefined();
  });

  test('refuses the single-app props together with cluster, naming them and their values', () => {
    const { app, cluster } = platform();
    const props = { cluster, appName: 'shop-web', namespace: 'shop' } as ClusterBootstrapStackProps;
    expect(() => new ClusterBootstrapStack(app, 'k8s', props)).toThrow(
      /^ClusterBootstrapStack k8s: appName, namespace describe a single app, but cluster is given: .*leave these out, got \{"appName":"shop-web","namespace":"shop"\}$/,
    );
  });

  test('throws when a single-app attribute is read from a cluster stack', () => {
    const { app, cluster } = platform();
    const k8s = new ClusterBootstrapStack(app, 'k8s', { cluster });
    expect(() => k8s.appName).toThrow(/^ClusterBootstrapStack k8s: appName belongs to the single app of release 0\.1/);
  });
});

describe("a service taking over release 0.1's app (legacyAppName)", () => {
  const { stack, cluster, database } = platform();
  const web = cluster.addService('Web', { name: 'shop-web', route: ServiceRoute.defaultRoute(), legacyAppName: 'shop' });
  const orders = cluster.addService('Orders', ORDERS);
  const grant = web.connectTo(database('Database'), { user: 'shop_app', policyName: 'database-iam-auth' });
  const synth = synthStack(stack);

  test("keeps release 0.1's namespace and service account, which the running pods use", () => {
    expect([web.namespace, web.serviceAccountName]).toEqual(['shop', 'shop']);
  });

  test('trusts Pod Identity and, while the old pods run, their IRSA service account', () => {
    const trust = policyOf(resourceAt(synth, 'aws_iam_role', 'App/Web/Role').assume_role_policy).Statement;
    expect(trust.map((s: any) => s.Action)).toEqual([['sts:AssumeRole', 'sts:TagSession'], 'sts:AssumeRoleWithWebIdentity']);
    expect(trust[1].Condition.StringEquals[`${issuerHost(synth)}:sub`]).toBe('system:serviceaccount:shop:shop');
    // A new service trusts Pod Identity only.
    expect(policyOf(resourceAt(synth, 'aws_iam_role', 'App/Orders/Role').assume_role_policy).Statement).toHaveLength(1);
    expect(orders.identity).toBe(WorkloadIdentity.POD_IDENTITY);
  });

  test('names a grant policy as asked, so a taken-over inline policy is updated in place, not replaced', () => {
    expect(grant.keyPrefix).toBe('DATABASE');
    expect(resourceAt(synth, 'aws_iam_role_policy', 'App/Web/Connect-Database').name).toBe('database-iam-auth');
  });

  test('throws on a policyName IAM would refuse', () => {
    const p = platform();
    const service = p.cluster.addService('Orders', ORDERS);
    expect(() => service.connectTo(p.database('Database'), { user: 'orders_app', policyName: 'connect to db' })).toThrow(
      /^AppService test\/App\/Orders: connectTo\(options\.policyName\) must be 1-128 letters, digits or \+=,\.@_- \(an IAM policy name\), got "connect to db"$/,
    );
  });
});
