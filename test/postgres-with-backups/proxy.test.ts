import { Testing as ManifestTesting } from 'cdk8s';
import { AppCluster } from '../../lib/app-cluster/app-cluster';
import { ClusterBootstrapStack } from '../../lib/app-cluster/bootstrap-stack';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { DatabaseJobsChart } from '../../lib/database-jobs';
import { MonitoringStack } from '../../lib/monitoring-stack';
import { PostgresProxyOptions, PostgresWithBackups } from '../../lib/postgres-with-backups';
import { RedisHA } from '../../lib/redis-ha';
import { CERTIFICATE_ARN, testPlatform } from '../support/platform';
import { policyOf, resourceAt, resourcesByPath, synthStack } from '../support/util';

/** A cluster with an orders service on a database with an RDS Proxy, and the database jobs. */
function platform(proxy: PostgresProxyOptions = {}, options: { jobs?: boolean; readReplicas?: number } = {}) {
  // Security groups for pods: the proxy admits the service's own pods, not the cluster's nodes.
  const p = testPlatform({ securityGroupsForPods: true });
  const database = new PostgresWithBackups(p.stack, 'Database', { vpc: p.vpc, databaseName: 'orders', proxy, readReplicas: options.readReplicas });
  const orders = p.cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.defaultRoute(), securityGroupsForPods: true });
  const jobs = options.jobs === false ? undefined : p.cluster.addDatabaseJobs('OrdersJobs', { database, securityGroupsForPods: false });
  return { ...p, database, orders, jobs };
}

describe('PostgresWithBackups proxy (RDS Proxy)', () => {
  test('a proxy in the database subnets, TLS required, IAM sign-in required for every user, in front of the primary', () => {
    const p = platform();
    p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    const synth = synthStack(p.stack);
    const proxy = resourceAt(synth, 'aws_db_proxy', 'Database/Proxy/Resource');
    expect(proxy).toMatchObject({ name: 'shop-production-database', engine_family: 'POSTGRESQL', require_tls: true, debug_logging: false, idle_client_timeout: 1800 });
    expect(proxy.vpc_subnet_ids).toEqual(resourceAt(synth, 'aws_db_subnet_group', 'Network/DbSubnetGroup').subnet_ids);
    expect(proxy.auth).toEqual([
      expect.objectContaining({ auth_scheme: 'SECRETS', iam_auth: 'REQUIRED', description: 'orders_app: service orders-api' }),
    ]);
    expect(proxy.auth[0].secret_arn).toMatch(/^\$\{aws_secretsmanager_secret\.Database_Proxy_UserSecret-orders_app_[A-F0-9]+\.arn\}$/);
    expect(resourceAt(synth, 'aws_db_proxy_default_target_group', 'Database/Proxy/TargetGroup').connection_pool_config).toEqual({
      max_connections_percent: 80,
      max_idle_connections_percent: 50,
      connection_borrow_timeout: 120,
    });
    const target = resourceAt(synth, 'aws_db_proxy_target', 'Database/Proxy/Target');
    // A reference (the target waits for the instance), and re-registered when the instance is replaced.
    expect(target.db_instance_identifier).toMatch(/^\$\{aws_db_instance\.Database_[0-9A-F]+\.identifier\}$/);
    expect(target.target_group_name).toBe('default');
    expect(target.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^aws_db_instance\.Database_[0-9A-F]+\.resource_id$/)]);
    // Its log group exists first, encrypted with the database's log key and kept as long as the
    // database's logs, not the unbounded group RDS Proxy would create.
    const logGroup = resourceAt(synth, 'aws_cloudwatch_log_group', 'Database/Proxy/LogGroup/Resource');
    expect(logGroup).toMatchObject({ name: '/aws/rds/proxy/shop-production-database', retention_in_days: resourceAt(synth, 'aws_cloudwatch_log_group', 'Database/LogGroup-postgresql/Resource').retention_in_days });
    expect(logGroup.kms_key_id).toMatch(/aws_kms_key\.Database_LogKey_/);
    expect(proxy.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./), expect.stringMatching(/^aws_iam_role_policy\.Database_Proxy_RolePolicy_/)]);
  });

  test("the user's secret is created empty, encrypted with the database key, and only the proxy's role reads it", () => {
    const p = platform();
    p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    const synth = synthStack(p.stack);
    const secret = resourceAt(synth, 'aws_secretsmanager_secret', 'Database/Proxy/UserSecret-orders_app');
    expect(secret.name).toBe('shop-production-database/proxy-users/orders_app');
    expect(secret.kms_key_id).toMatch(/aws_kms_key\.Database_Key_/);
    expect(synth.resource.aws_secretsmanager_secret_version).toBeUndefined();
    const role = resourceAt(synth, 'aws_iam_role', 'Database/Proxy/Role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    // Deleted at once when the user leaves: the users Job generates a new password if it comes back.
    expect(secret.recovery_window_in_days).toBe(0);
    const policy = JSON.parse(resourceAt(synth, 'aws_iam_role_policy', 'Database/Proxy/RolePolicy').policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-production-database/proxy-users/*' }),
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } }),
    ]);
  });

  test('a service connects to the proxy: its endpoint, IAM sign-in on the proxy, ingress on the proxy, and no replica hosts', () => {
    const p = platform({}, { readReplicas: 1 });
    const grant = p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    expect(grant.values).toMatchObject({ DATABASE_HOST: p.database.proxy!.endpoint, DATABASE_USER: 'orders_app', DATABASE_IAM_AUTH: 'true' });
    expect(grant.values.DATABASE_READER_HOSTS).toBeUndefined();
    const synth = synthStack(p.stack);
    const statements = policyOf(resourceAt(synth, 'aws_iam_role_policy', 'App/Orders/Connect-Database').policy).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'rds-db:connect', Resource: expect.stringMatching(/^arn:aws:rds-db:eu-west-1:123456789012:dbuser:\$\{local\.Database_Proxy_ResourceId_[A-F0-9]+\}\/orders_app$/) }),
    ]);
    const proxyIngress = Object.entries(resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule')).filter(([path]) => path.startsWith('Database/Proxy/IngressFrom-'));
    expect(proxyIngress.map(([path]) => path)).toEqual(['Database/Proxy/IngressFrom-App-Orders']);
    // The database admits the proxy and the jobs, not the service itself.
    const databaseIngress = Object.keys(resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule')).filter((path) => path.startsWith('Database/IngressFrom-'));
    expect(databaseIngress).toContain('Database/IngressFrom-Proxy');
    expect(databaseIngress).not.toContain('Database/IngressFrom-App-Orders');
    // The pods' egress goes to the proxy's group.
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'App/Orders/PodEgress-Database').referenced_security_group_id).toMatch(/aws_security_group\.Database_Proxy_SecurityGroup/);
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'Database/Proxy/EgressToDatabase')).toMatchObject({ from_port: 5432, to_port: 5432 });
    expect(Object.keys(synth.output ?? {})).toContain('database_proxy_endpoint');
    // The local the policy names is the resource ID (prx-...) taken from the proxy's ARN.
    const [local] = Object.entries((synth as any).locals).filter(([name]) => name.startsWith('Database_Proxy_ResourceId_')).map(([, v]) => v);
    expect(local).toMatch(/^\$\{element\(split\(":", aws_db_proxy\.Database_Proxy_[A-F0-9]+\.arn\), 6\)\}$/);
  });

  test("a service's former rule on the database moves to the proxy, unless the database still admits the same peer", () => {
    const p = platform();
    p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    expect((synthStack(p.stack) as any).moved).toContainEqual({
      from: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Database_IngressFrom-App-Orders_[0-9A-F]+$/),
      to: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Database_Proxy_IngressFrom-App-Orders_[0-9A-F]+$/),
    });
    // Without pod security groups the service's peer is the cluster's nodes, which the database
    // admits for its jobs anyway: that rule stays where it is, and no block moves it.
    const shared = testPlatform();
    const database = new PostgresWithBackups(shared.stack, 'Database', { vpc: shared.vpc, proxy: {} });
    shared.cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.none() }).connectTo(database, { user: 'orders_app', throughProxy: true });
    shared.cluster.addDatabaseJobs('Jobs', { database, securityGroupsForPods: false });
    const synth = synthStack(shared.stack);
    expect(Object.keys(resourcesByPath(synth, 'aws_vpc_security_group_ingress_rule'))).toEqual(expect.arrayContaining(['Database/IngressFrom-App', 'Database/Proxy/IngressFrom-App']));
    expect(((synth as any).moved ?? []).filter((m: any) => m.from.includes('Database_IngressFrom-App_'))).toEqual([]);
  });

  test('without throughProxy a service connects directly, with IAM on the instances; the migrations and the backup always do', () => {
    const p = platform({}, { readReplicas: 1 });
    const reports = p.cluster.addService('Reports', { name: 'reports', route: ServiceRoute.none() });
    // Directly unless asked: a proxy added to a database changes none of its services.
    const direct = reports.connectTo(p.database, { user: 'reports_app' });
    expect(direct.values.DATABASE_HOST).toBe(p.database.endpoint);
    expect(direct.values.DATABASE_READER_HOSTS).toBeDefined();
    p.orders.connectTo(p.database, { user: 'orders_app', migrationUser: 'orders_migrate', throughProxy: true });
    const migration = p.orders.migrationService!.connections[0];
    expect(migration.values.DATABASE_HOST).toBe(p.database.endpoint);
    expect(p.database.proxy!.users).toEqual(['orders_app']);
    expect(p.jobs!.backupService!.connections.find((c) => c.store === p.database)!.values.DATABASE_HOST).toBe(p.database.endpoint);
    expect(p.jobs!.proxyUsers).toEqual(['orders_app']);
  });

  test("the users Job keeps the proxy users' passwords: generated into their secrets, set in PostgreSQL, never in a manifest", () => {
    const p = platform();
    p.orders.connectTo(p.database, { user: 'orders_app', migrationUser: 'orders_migrate', throughProxy: true });
    new ClusterBootstrapStack(p.app, 'k8s', { cluster: p.cluster });
    const chart = new DatabaseJobsChart(ManifestTesting.app(), 'orders-database-jobs', { jobs: p.jobs! });
    const job = chart.toJson().find((o: any) => o.kind === 'Job');
    const [credentials] = job.spec.template.spec.initContainers;
    const [users] = job.spec.template.spec.containers;
    const env = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env(credentials)).toMatchObject({
      PROXY_USERS: 'orders_app',
      PROXY_PASSWORDS_DIR: '/credentials/proxy-users',
      PROXY_SECRET_PREFIX: { secretKeyRef: { name: p.jobs!.usersService.connectionSecretName, key: 'PROXY_SECRET_PREFIX' } },
    });
    expect(env(users)).toMatchObject({ PROXY_USERS: 'orders_app', SERVICE_USERS: 'orders_app,orders_migrate' });
    // The users service may keep exactly those secrets.
    const synth = synthStack(p.stack);
    const statements = policyOf(resourceAt(synth, 'aws_iam_role_policy', 'App/OrdersJobsUsers/Connect-Database-proxy-users').policy).Statement;
    expect(statements[0]).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-production-database/proxy-users/*',
    });
  });

  test('options: pool sizes, timeouts, debug logging', () => {
    const p = platform({ maxConnectionsPercent: 60, maxIdleConnectionsPercent: 20, connectionBorrowTimeoutSeconds: 30, idleClientTimeoutSeconds: 600, debugLogging: true });
    p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    const synth = synthStack(p.stack);
    expect(resourceAt(synth, 'aws_db_proxy', 'Database/Proxy/Resource')).toMatchObject({ idle_client_timeout: 600, debug_logging: true });
    expect(resourceAt(synth, 'aws_db_proxy_default_target_group', 'Database/Proxy/TargetGroup').connection_pool_config).toEqual({
      max_connections_percent: 60,
      max_idle_connections_percent: 20,
      connection_borrow_timeout: 30,
    });
  });

  test('watchPostgres adds the proxy alarms: target unavailable, pool exhausted, client sign-ins failing', () => {
    const p = platform({ maxConnectionsPercent: 70 });
    p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
    const monitoring = new MonitoringStack(p.stack, 'Monitoring', { alarmEmailAddresses: ['oncall@example.com'] });
    monitoring.watchPostgres(p.database, { proxyBorrowLatencyMilliseconds: 250 });
    const alarms = Object.values(synthStack(p.stack).resource.aws_cloudwatch_metric_alarm).filter((a: any) => a.alarm_name.includes('-proxy-'));
    const byName = Object.fromEntries(alarms.map((a: any) => [a.alarm_name, a]));
    expect(Object.keys(byName).sort()).toEqual([
      'shop-production-database-proxy-borrow-latency-high',
      'shop-production-database-proxy-client-auth-failures',
      'shop-production-database-proxy-database-sign-in-failures',
      'shop-production-database-proxy-target-unavailable',
    ]);
    expect(byName['shop-production-database-proxy-target-unavailable']).toMatchObject({
      namespace: 'AWS/RDS',
      metric_name: 'AvailabilityPercentage',
      dimensions: { ProxyName: 'shop-production-database', TargetGroup: 'default', TargetRole: 'READ_WRITE' },
      comparison_operator: 'LessThanThreshold',
      threshold: 95,
    });
    // Microseconds, as the metric reports them; the summary names the pool's share.
    expect(byName['shop-production-database-proxy-borrow-latency-high']).toMatchObject({ metric_name: 'DatabaseConnectionsBorrowLatency', threshold: 250000 });
    expect(byName['shop-production-database-proxy-borrow-latency-high'].alarm_description).toContain('70% of max_connections');
    expect(byName['shop-production-database-proxy-client-auth-failures']).toMatchObject({ metric_name: 'ClientConnectionsSetupFailedAuth', statistic: 'Sum', threshold: 10 });
    expect(() => monitoring.watchPostgres(platform().database, { proxyBorrowLatencyMilliseconds: 0 })).toThrow(/proxyBorrowLatencyMilliseconds must be/);
  });

  describe('combinations AWS or PostgreSQL refuse are synth errors', () => {
    test('pool and timeout values out of range', () => {
      const expectError = (proxy: PostgresProxyOptions, message: RegExp) => expect(() => platform(proxy)).toThrow(message);
      expectError({ maxConnectionsPercent: 0 }, /PostgresWithBackups test\/Database: proxy\.maxConnectionsPercent must be an integer from 1 to 100, got 0/);
      expectError({ maxConnectionsPercent: 40, maxIdleConnectionsPercent: 50 }, /proxy\.maxIdleConnectionsPercent must be an integer from 0 to 40, got 50/);
      expectError({ idleClientTimeoutSeconds: 28801 }, /proxy\.idleClientTimeoutSeconds must be an integer from 1 to 28800/);
      expectError({ connectionBorrowTimeoutSeconds: 0 }, /proxy\.connectionBorrowTimeoutSeconds must be an integer from 1 to 3600/);
    });

    test('a proxy without a user, or whose users no database jobs keep passwords for', () => {
      const alone = platform();
      expect(() => alone.app.synth()).toThrow(/PostgresWithBackups test\/Database: proxy must have a user: .*, got no user/);
      const noJobs = platform({}, { jobs: false });
      noJobs.orders.connectTo(noJobs.database, { user: 'orders_app', throughProxy: true });
      expect(() => noJobs.app.synth()).toThrow(/proxy must have its users' passwords set by the database jobs of the clusters they run on: add cluster\.addDatabaseJobs.*got \["orders_app"\]/);
      // Jobs on another cluster keep no password for this cluster's service.
      const elsewhere = platform({}, { jobs: false });
      elsewhere.orders.connectTo(elsewhere.database, { user: 'orders_app', throughProxy: true });
      const other = new AppCluster(elsewhere.stack, 'Other', { vpc: elsewhere.vpc, clusterName: 'shop-other', certificateArn: CERTIFICATE_ARN, privateEndpointAccessCidrs: ['10.100.0.0/24'] });
      other.addDatabaseJobs('Jobs', { database: elsewhere.database, securityGroupsForPods: false });
      expect(() => elsewhere.app.synth()).toThrow(/got \["orders_app"\]/);
    });

    test('one user both through the proxy and directly (a password role cannot be an rds_iam role)', () => {
      const p = platform();
      p.orders.connectTo(p.database, { user: 'orders_app', throughProxy: true });
      const reports = p.cluster.addService('Reports', { name: 'reports', route: ServiceRoute.none() });
      expect(() => reports.connectTo(p.database, { user: 'orders_app' })).toThrow(
        /PostgresWithBackups test\/Database: connectTo\(options\.user\) must connect one way only: "orders_app" already connects through the proxy/,
      );
      const q = platform();
      q.orders.connectTo(q.database, { user: 'orders_app', migrationUser: 'orders_migrate', throughProxy: true });
      const other = q.cluster.addService('Reports', { name: 'reports', route: ServiceRoute.none() });
      expect(() => other.connectTo(q.database, { user: 'orders_migrate', throughProxy: true })).toThrow(/"orders_migrate" already connects directly/);
    });

    test('throughProxy on a database without a proxy, or on Redis', () => {
      const p = testPlatform();
      const database = p.database('Plain');
      const web = p.cluster.addService('Web', { name: 'web', route: ServiceRoute.none() });
      expect(() => web.connectTo(database, { user: 'web_app', throughProxy: true })).toThrow(
        /connectTo\(options\.throughProxy\) must be left out or false: this database has no proxy/,
      );
      const cache = new RedisHA(p.stack, 'Cache', { vpc: p.vpc });
      expect(() => web.connectTo(cache, { throughProxy: true })).toThrow(/connectTo\(options\.throughProxy\) must be left out: RDS Proxy fronts databases, not ElastiCache/);
    });
  });
});
