import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import * as YAML from 'yaml';
import { buildExample, writeDeployPlans } from '../../examples/production/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests, parseManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

// prometheus-operator's resources, which the official Kubernetes schemas do not cover; the
// monitoring tests check their shape. AlertmanagerConfig is served as v1alpha1 (its storage
// version; v1beta1 needs the operator's conversion webhook).
const operatorResources = [
  ...['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].map((k) => `monitoring.coreos.com/v1 ${k}`),
  'monitoring.coreos.com/v1alpha1 AlertmanagerConfig',
];

describe('examples/production: development, staging and production from one program', () => {
  // The real cdktf version in the stacks' metadata, as `npm run synth` writes it: the stacks are
  // then byte for byte those of `npm run plan`, which takes this file's plan results from the
  // harness's result cache instead of planning the same stacks again (CI runs both).
  const app = Testing.app({ stubVersion: false });
  for (const manifests of buildExample(app)) manifests.synth();
  writeDeployPlans(app);
  app.synth();
  const stackJson = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  const resources = (stack: any, type: string): any[] => Object.values(stack.resource[type] ?? {});
  const manifestsOf = (tier: string) => {
    const dir = path.join(app.outdir, 'manifests', tier);
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.k8s.yaml'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n---\n');
  };
  const prod = stackJson('shop-production-aws');
  const dev = stackJson('shop-development-aws');

  test('synthesizes an AWS and a Kubernetes stack per environment', () => {
    const stacks = fs.readdirSync(path.join(app.outdir, 'stacks')).sort();
    expect(stacks).toEqual([
      'shop-development-aws',
      'shop-development-k8s',
      'shop-production-aws',
      'shop-production-k8s',
      'shop-staging-aws',
      'shop-staging-k8s',
    ]);
  });

  test('production: VPC over three zones with a NAT gateway each', () => {
    const zones = new Set(resources(prod, 'aws_subnet').map((s) => s.availability_zone));
    expect(zones).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    expect(resources(prod, 'aws_nat_gateway')).toHaveLength(3);
  });

  const byPath = (stack: any, type: string, pathPart: string): Array<[string, any]> =>
    Object.entries(stack.resource[type] ?? {}).filter(([, r]: [string, any]) => r['//'].metadata.path.includes(pathPart)) as Array<[string, any]>;
  const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

  test('production: Multi-AZ Postgres primary with two read replicas, Redis with three nodes', () => {
    const instances = byPath(prod, 'aws_db_instance', '-aws/Database/').map(([, r]) => r);
    expect(instances.filter((i) => i.replicate_source_db === undefined)).toEqual([
      expect.objectContaining({ multi_az: true, storage_encrypted: true, publicly_accessible: false, backup_retention_period: 30 }),
    ]);
    expect(instances.filter((i) => i.replicate_source_db !== undefined)).toHaveLength(2);
    // Valkey in development and staging first; production stays on Redis OSS until they have run it.
    expect(resources(dev, 'aws_elasticache_replication_group').map((g) => g.engine)).toEqual(['valkey']);
    expect(resources(dev, 'aws_elasticache_parameter_group').map((g) => g.family)).toEqual(['valkey8']);
    expect(resources(stackJson('shop-staging-aws'), 'aws_elasticache_replication_group').map((g) => g.engine)).toEqual(['valkey']);
    expect(resources(prod, 'aws_elasticache_replication_group').map((g) => g.engine)).toEqual(['redis']);
    expect(resources(prod, 'aws_elasticache_replication_group')).toEqual([
      expect.objectContaining({ num_cache_clusters: 3, automatic_failover_enabled: true, multi_az_enabled: true }),
    ]);
  });

  test('each service signs in with IAM through a role of its own, to its own data stores only', () => {
    const policiesOf = (service: string) => {
      const [[roleId]] = byPath(prod, 'aws_iam_role', `/App/${service}/Role`);
      return resources(prod, 'aws_iam_role_policy')
        .filter((p) => p.role === ref('aws_iam_role', roleId, 'id'))
        .flatMap((p) => JSON.parse(p.policy).Statement);
    };
    const web = policiesOf('Web');
    expect(web.map((s: any) => s.Action).sort()).toEqual(['elasticache:Connect', 'rds-db:connect']);
    const webUsers = web.find((s: any) => s.Action === 'rds-db:connect').Resource;
    // The primary and both replicas of the shop database, as the web app's user.
    expect(webUsers).toHaveLength(3);
    for (const arn of webUsers) expect(arn).toMatch(/^arn:aws:rds-db:eu-west-1:\d{12}:dbuser:\$\{aws_db_instance\.Database_.+\.resource_id\}\/shop_app$/);
    // The orders API signs in at its database's RDS Proxy (staging and production).
    const orders = policiesOf('Orders');
    expect(orders.map((s: any) => s.Action)).toEqual(['rds-db:connect']);
    expect(orders[0].Resource).toMatch(/dbuser:\$\{local\.OrdersDatabase_Proxy_ResourceId_.+\}\/orders_app$/);
    // The schema owners, only for the migrations' own identities.
    for (const arn of policiesOf('WebMigration')[0].Resource) expect(arn).toMatch(/dbuser:\$\{aws_db_instance\.Database_.+\.resource_id\}\/shop_migrate$/);
    for (const arn of policiesOf('OrdersMigration')[0].Resource) expect(arn).toMatch(/dbuser:\$\{aws_db_instance\.OrdersDatabase_.+\.resource_id\}\/orders_migrate$/);

    const k8s = stackJson('shop-production-k8s');
    const secrets = Object.fromEntries(resources(k8s, 'kubernetes_secret_v1').map((s) => [s.metadata.name, s.data]));
    expect(secrets['shop-web-connection']).toMatchObject({ DATABASE_USER: 'shop_app', DATABASE_IAM_AUTH: 'true', REDIS_USER: 'shop-production-cache-app', REDIS_IAM_AUTH: 'true' });
    expect(secrets['orders-api-connection']).toMatchObject({ DATABASE_USER: 'orders_app', DATABASE_MIGRATION_USER: 'orders_migrate', DATABASE_NAME: 'orders' });
    // Its host is the proxy's endpoint, and it gets no replica hosts (they would refuse its sign-in).
    expect(secrets['orders-api-connection'].DATABASE_HOST).toMatch(/outputs\.cross-stack-output-aws_db_proxyOrdersDatabase_Proxy_[0-9A-F]+endpoint\}$/);
    expect(secrets['orders-api-connection'].DATABASE_READER_HOSTS).toBeUndefined();
    expect(Object.keys(secrets['orders-api-connection']).filter((k) => k.startsWith('REDIS'))).toEqual([]);
  });

  test("the orders database admits only its proxy, the orders API's migrations and its backup, users and exporter jobs; the proxy only the orders API; the shop database the cluster's nodes and its jobs' pods", () => {
    const podSg = (service: string) => ref('aws_security_group', byPath(prod, 'aws_security_group', `/App/${service}/PodSecurityGroup`)[0][0], 'id');
    const [[ordersDbSgId]] = byPath(prod, 'aws_security_group', '/OrdersDatabase/SecurityGroup');
    const [[proxySgId]] = byPath(prod, 'aws_security_group', '/OrdersDatabase/Proxy/SecurityGroup');
    const ingressOf = (sgId: string) => resources(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === ref('aws_security_group', sgId, 'id'));
    const ordersIngress = ingressOf(ordersDbSgId);
    expect(ordersIngress.map((r) => r.referenced_security_group_id).sort()).toEqual(
      [ref('aws_security_group', proxySgId, 'id'), podSg('OrdersMigration'), podSg('OrdersDatabaseJobsBackup'), podSg('OrdersDatabaseJobsUsers'), podSg('OrdersDatabaseJobsExporter')].sort(),
    );
    expect(ingressOf(proxySgId).map((r) => r.referenced_security_group_id)).toEqual([podSg('Orders')]);
    // The orders API's rule on the database, of the releases before the proxy, moved to the proxy's.
    expect(prod.moved).toContainEqual({
      from: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.OrdersDatabase_IngressFrom-App-Orders_/),
      to: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.OrdersDatabase_Proxy_IngressFrom-App-Orders_/),
    });
    // The verification never reaches the database: it restores into a server of its own.
    expect(ordersIngress.map((r) => r.referenced_security_group_id)).not.toContain(podSg('OrdersDatabaseJobsVerify'));
    const [[clusterId]] = byPath(prod, 'aws_eks_cluster', '/App/Resource');
    const [[shopDbSgId]] = byPath(prod, 'aws_security_group', '-aws/Database/SecurityGroup');
    const shopIngress = resources(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === ref('aws_security_group', shopDbSgId, 'id'));
    expect(shopIngress.map((r) => r.referenced_security_group_id).sort()).toEqual(
      [ref('aws_eks_cluster', clusterId, 'vpc_config[0].cluster_security_group_id'), podSg('DatabaseJobsBackup'), podSg('DatabaseJobsUsers'), podSg('DatabaseJobsExporter')].sort(),
    );
    const policies = resources(stackJson('shop-production-k8s'), 'kubernetes_manifest').filter((m) => m.manifest.kind === 'SecurityGroupPolicy');
    // The web front end (and its migrations) have no group of their own; the orders API, its migrations and every database job have.
    expect(policies.map((p) => p.manifest.metadata.name).sort()).toEqual(
      ['database-backup', 'database-exporter', 'database-users', 'database-verify', 'orders-api', 'orders-api-migrate', 'orders-database-backup', 'orders-database-exporter', 'orders-database-users', 'orders-database-verify'],
    );
    const policy = policies.find((p) => p.manifest.metadata.name === 'orders-api');
    expect(policy.manifest.spec.serviceAccountSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'orders-api' });
  });

  test('the shared load balancer sends /api/orders to the orders API and everything else to the web front end', () => {
    const [[webTg]] = byPath(prod, 'aws_lb_target_group', '/App/Web/TargetGroup');
    const [[ordersTg]] = byPath(prod, 'aws_lb_target_group', '/App/Orders/TargetGroup');
    const [, https] = byPath(prod, 'aws_lb_listener', '/App/LoadBalancer/HttpsListener')[0];
    expect(https.default_action).toEqual([{ type: 'forward', target_group_arn: ref('aws_lb_target_group', webTg, 'arn') }]);
    const [, rule] = byPath(prod, 'aws_lb_listener_rule', '/App/Orders/ListenerRule')[0];
    expect(rule).toMatchObject({
      priority: 100,
      condition: [{ path_pattern: { values: ['/api/orders', '/api/orders/*'] } }],
      action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', ordersTg, 'arn') }],
    });
    // The controller may register pods in these two target groups, and in no other.
    const [, controllerPolicy] = byPath(prod, 'aws_iam_role_policy', '/App/LoadBalancerControllerRolePolicy')[0];
    expect(JSON.parse(controllerPolicy.policy).Statement[0].Resource).toEqual([ref('aws_lb_target_group', webTg, 'arn'), ref('aws_lb_target_group', ordersTg, 'arn')]);
  });

  test('production: the ALB sits behind a WAF web ACL with managed rules and a per-IP rate limit', () => {
    const [acl] = resources(prod, 'aws_wafv2_web_acl');
    expect(acl.rule.map((r: any) => r.name)).toEqual(
      expect.arrayContaining(['AWS-AWSManagedRulesCommonRuleSet', 'AWS-AWSManagedRulesSQLiRuleSet', 'RateLimitPerIp']),
    );
    expect(JSON.stringify(acl.rule)).toMatch(/"limit":2000/);
    expect(resources(prod, 'aws_wafv2_web_acl_association')[0].resource_arn).toMatch(/^\$\{aws_lb\./);
  });

  test('production: CloudWatch alarms for the database, cache, ALB, WAF and TLS certificate go to an encrypted SNS topic', () => {
    const [topic] = resources(prod, 'aws_sns_topic');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const alarms = resources(prod, 'aws_cloudwatch_metric_alarm');
    const namespaces = new Set(alarms.flatMap((a) => [a.namespace, ...(a.metric_query ?? []).map((q: any) => q.metric?.namespace)]).filter(Boolean));
    expect(namespaces).toEqual(new Set(['AWS/RDS', 'AWS/ElastiCache', 'AWS/ApplicationELB', 'AWS/WAFV2', 'AWS/CertificateManager']));
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\./)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  test('development differs by preset: one NAT gateway, two zones, single-AZ databases, no replicas', () => {
    expect(resources(dev, 'aws_nat_gateway')).toHaveLength(1);
    const instances = resources(dev, 'aws_db_instance');
    expect(instances).toEqual([
      expect.objectContaining({ multi_az: false, deletion_protection: false }),
      expect.objectContaining({ multi_az: false, deletion_protection: false }),
    ]);
  });

  test('every environment deployed from CI keeps its state in S3 with locking, development too', () => {
    // A CI runner's disk is gone after the job: local state would recreate everything on the next push.
    for (const tier of ['development', 'staging', 'production']) {
      for (const name of [`shop-${tier}-aws`, `shop-${tier}-k8s`]) {
        expect(Object.keys(stackJson(name).terraform.backend)).toEqual(['s3']);
        expect(stackJson(name).terraform.backend.s3).toMatchObject({ encrypt: true, use_lockfile: true, key: `${name}/terraform.tfstate` });
      }
    }
  });

  const deployPlan = (tier: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, 'deploy', tier, 'deploy.json'), 'utf8'));
  const planDir = (tier: string) => path.join(app.outdir, 'deploy', tier);

  test('the deploy plan names what synth wrote: stacks, cluster, manifests, jobs and workloads', () => {
    const plan = deployPlan('production');
    expect(plan).toMatchObject({
      formatVersion: 1,
      environment: 'production',
      region: 'eu-west-1',
      clusterName: 'shop-production',
      stacks: { aws: 'shop-production-aws', bootstrap: 'shop-production-k8s' },
      // A new account lacks the Auto Scaling service-linked role: the pipeline creates it when missing.
      autoScalingServiceLinkedRole: 'ensure',
    });
    expect(fs.existsSync(path.join(planDir('production'), plan.cdktfOut, 'stacks', plan.stacks.aws, 'cdk.tf.json'))).toBe(true);
    for (const file of plan.manifestFiles) expect(fs.existsSync(path.join(planDir('production'), file))).toBe(true);
    const docs = parseManifests(manifestsOf('production'));
    const named = (kind: string, name: string) => docs.find((d: any) => d.kind === kind && d.metadata.name === name);
    for (const database of plan.databases) {
      expect(named('Job', database.usersJob)).toBeDefined();
      expect(named('CronJob', database.backupCronJob)).toBeDefined();
      expect(database.backupBeforeDeploy).toBe(true);
    }
    for (const workload of plan.workloads) {
      expect(named('Deployment', workload.deployment).metadata.namespace).toBe(workload.namespace);
      expect(named('Service', workload.serviceName).spec.ports[0].port).toBe(workload.servicePort);
    }
    // The bootstrap stack's Secret and ConfigMap, whose change restarts the pods.
    const k8s = stackJson('shop-production-k8s');
    const secretNames = Object.values(k8s.resource.kubernetes_secret_v1).map((r: any) => `secret/${r.metadata.name}`);
    const configMapNames = Object.values(k8s.resource.kubernetes_config_map_v1).map((r: any) => `configmap/${r.metadata.name}`);
    for (const workload of plan.workloads) {
      expect(workload.configObjects).toHaveLength(2);
      for (const object of workload.configObjects) expect([...secretNames, ...configMapNames]).toContain(object);
    }
    // Development takes no backup before deploying.
    expect(deployPlan('development').databases.every((d: any) => d.backupBeforeDeploy === false)).toBe(true);
  });

  test.each(['development', 'staging', 'production'])('the deploy script accepts the %s plan synth wrote (the contract holds both ways)', (tier) => {
    // A stand-in `aws` that refuses step 0: the script validates the whole plan first (exit 64
    // on a field it does not accept), so exit 1 at step 0 proves the plan passed.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-contract-'));
    fs.writeFileSync(path.join(bin, 'aws'), '#!/bin/sh\necho "An error occurred (AccessDenied)" >&2\nexit 254\n', { mode: 0o755 });
    const run = spawnSync('node', [path.resolve(__dirname, '../../scripts/deploy.mjs'), path.join(planDir(tier), 'deploy.json'), '--run-id', '1'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    fs.rmSync(bin, { recursive: true, force: true });
    expect(run.stderr + run.stdout).not.toMatch(/usage:|invalid plan/i);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^ {2}0\. .+ failed/m);
  });

  test('every service with a database migrates once per release, as a Job the plan names', () => {
    const plan = deployPlan('production');
    expect(plan.migrations.map((m: any) => m.service).sort()).toEqual(['orders-api', 'shop-web']);
    const docs = parseManifests(manifestsOf('production'));
    for (const migration of plan.migrations) {
      const job = docs.find((d: any) => d.kind === 'Job' && d.metadata.name === migration.job);
      expect(job.metadata.namespace).toBe(migration.namespace);
      const [key, value] = migration.selector.split('=');
      expect(job.metadata.labels[key]).toBe(value);
      expect(job.spec.activeDeadlineSeconds).toBe(migration.timeoutSeconds);
    }
  });

  test('the add-ons get values generated from the constructs, at pinned versions', () => {
    const plan = deployPlan('production');
    expect(plan.addOns.map((a: any) => [a.release, a.namespace])).toEqual([
      ['aws-load-balancer-controller', 'kube-system'],
      ['kube-prometheus-stack', 'monitoring'],
    ]);
    for (const addOn of plan.addOns) expect(addOn.version).toMatch(/^\d+\.\d+\.\d+$/);
    const controller = YAML.parse(fs.readFileSync(path.join(planDir('production'), plan.addOns[0].valuesFile), 'utf8'));
    expect(controller).toMatchObject({ clusterName: 'shop-production', region: 'eu-west-1', serviceAccount: { name: 'aws-load-balancer-controller' } });
    // The VPC and the controller's role come from the AWS stack's outputs, which exist.
    for (const output of Object.values(plan.addOns[0].valuesFromOutputs)) expect(Object.keys(prod.output)).toContain(output);
    const trust = Object.values(prod.resource.aws_iam_role).find((r: any) => r.assume_role_policy.includes('aws-load-balancer-controller')) as any;
    expect(trust.assume_role_policy).toContain('system:serviceaccount:kube-system:aws-load-balancer-controller');
    // kube-prometheus-stack's release name is the label the charts' monitors and rules carry.
    const values = YAML.parse(fs.readFileSync(path.join(planDir('production'), plan.addOns[1].valuesFile), 'utf8'));
    expect(JSON.stringify(values)).toContain(plan.addOns[1].release);
    // The receivers' Secrets are checked before the release mounts them; the orders API's own
    // routing reads its Secrets in its namespace, which exists only after the bootstrap stack.
    expect(plan.requiredSecrets).toEqual([
      { namespace: 'monitoring', name: 'alertmanager-slack', keys: ['url', 'platform-url'] },
      { namespace: 'monitoring', name: 'alertmanager-pagerduty', keys: ['routing-key', 'platform-routing-key'] },
    ]);
    expect(plan.expectedSecrets).toEqual([
      { namespace: 'orders-api', name: 'alertmanager-slack', keys: ['url'] },
      { namespace: 'orders-api', name: 'alertmanager-pagerduty', keys: ['routing-key'] },
    ]);
  });

  test("the deploy job's timeout is the plan's deadline, which synth held every migration to", () => {
    const workflow = YAML.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '.github', 'workflows', 'deploy-environment.yml'), 'utf8'));
    for (const tier of ['development', 'staging', 'production']) expect(workflow.jobs.deploy['timeout-minutes']).toBe(deployPlan(tier).deadlineMinutes);
  });

  test('the pipeline reaches the private API: the runners\' network is routed to the VPC and admitted on 443', () => {
    const cluster = Object.values(prod.resource.aws_eks_cluster)[0] as any;
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    const clusterSg = cluster.vpc_config.security_group_ids[0];
    const ingress = resources(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '10.255.0.0/24');
    expect(ingress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', security_group_id: clusterSg })]);
    // Every private route table sends the runners' network to the transit gateway attached in the private subnets.
    const routes = resources(prod, 'aws_route').filter((r) => r.destination_cidr_block === '10.255.0.0/24');
    expect(routes).toHaveLength(3);
    for (const route of routes) expect(route.transit_gateway_id).toBe('tgw-0a1b2c3d4e5f60718');
    const privateTables = byPath(prod, 'aws_route_table', 'PrivateRouteTable').map(([id]) => `\${aws_route_table.${id}.id}`);
    expect(routes.map((r) => r.route_table_id).sort()).toEqual(privateTables.sort());
    const [attachment] = resources(prod, 'aws_ec2_transit_gateway_vpc_attachment');
    expect(attachment.subnet_ids).toHaveLength(3);
    expect(deployPlan('production').apiAccessHint).toContain('privateEndpointAccessCidrs (10.255.0.0/24)');
  });

  test('keeps the kubernetes provider out of the AWS stacks', () => {
    expect(Object.keys(prod.terraform.required_providers)).toEqual(['aws']);
    expect(Object.keys(stackJson('shop-production-k8s').terraform.required_providers)).toContain('kubernetes');
  });

  test.each(['development', 'staging', 'production'])('%s manifests pass the official Kubernetes schemas', (tier) => {
    const docs = parseManifests(manifestsOf(tier));
    expect(docs.map((d: any) => d.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PrometheusRule', 'ServiceMonitor']),
    );
    expect(validateManifests(docs, { customResources: operatorResources })).toEqual([]);
  });

  test('Prometheus scrapes the app on its metrics port, which the load balancer never reaches', () => {
    const docs = parseManifests(manifestsOf('production'));
    const service = docs.find((d: any) => d.kind === 'Service' && d.metadata.name === 'shop-web');
    const metricsPort = service.spec.ports.find((p: any) => p.name === 'metrics');
    expect(metricsPort).toMatchObject({ port: 9090, targetPort: 'metrics' });
    const appMonitor = docs.find((d: any) => d.kind === 'ServiceMonitor' && d.spec.selector.matchLabels?.['app.kubernetes.io/name'] === 'shop-web');
    expect(appMonitor.spec.endpoints.map((e: any) => e.port)).toEqual(['metrics']);
    // The bootstrap stack binds the target group to the Service's http port only.
    const binding = resources(stackJson('shop-production-k8s'), 'kubernetes_manifest').find(
      (m) => m.manifest.kind === 'TargetGroupBinding' && m.manifest.metadata.name === 'shop-web',
    );
    expect(binding.manifest.spec.serviceRef).toEqual({ name: 'shop-web', port: 80 });
    expect(service.spec.ports.find((p: any) => p.name === 'http')).toMatchObject({ port: 80, targetPort: 'http' });
  });

  test('writes the kube-prometheus-stack values that load the Alertmanager Secret and mount the receivers\' Secrets, per environment', () => {
    for (const tier of ['development', 'staging', 'production']) {
      const values = YAML.parse(fs.readFileSync(path.join(app.outdir, 'deploy', tier, 'kube-prometheus-stack-values.yaml'), 'utf8'));
      expect(values.alertmanager.alertmanagerSpec).toMatchObject({ useExistingSecret: true, configSecret: 'shop-web-alertmanager' });
      expect(values.alertmanager.alertmanagerSpec.secrets.sort()).toEqual(tier === 'production' ? ['alertmanager-pagerduty', 'alertmanager-slack'] : ['alertmanager-slack']);
      expect(values.prometheus.prometheusSpec.ruleSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
      expect(values.kubeScheduler).toEqual({ enabled: false });
    }
  });

  test('puts no Terraform token and no secret value into the YAML', () => {
    const all = ['development', 'staging', 'production'].map(manifestsOf).join('\n');
    // (Only manifests in that folder: the pipeline applies it whole with kubectl.)
    expect(fs.readdirSync(path.join(app.outdir, 'manifests', 'production')).filter((f) => !f.endsWith('.k8s.yaml'))).toEqual([]);
    // Terraform references and cdktf tokens nowhere, the database jobs' shell scripts included.
    expect(all).not.toMatch(/\$\{(TfToken\[|(aws|kubernetes|data|var|local|module)[._])/);
    // Nor "${" at all outside those scripts (bash writes ${var}).
    const docsWithoutScripts = YAML.parseAllDocuments(all)
      .map((d) => d.toJSON())
      .filter((d: any) => d && !(d.kind === 'ConfigMap' && d.metadata.name.endsWith('-scripts')));
    expect(JSON.stringify(docsWithoutScripts)).not.toMatch(/\$\{/);
    expect(all).not.toMatch(/password:|arn:aws:iam/i);
  });

  test('every AWS stack of every environment plans offline with no AWS account', () => {
    expect(app.outdir).toPlanSuccessfully();
  });
});
