import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Testing as K8sTesting } from 'cdk8s';
import { App, TerraformStack, Testing } from 'cdktf';
import { ClusterBootstrapStack, ClusterBootstrapStackProps } from '../../lib/app-cluster/bootstrap-stack';
import { AppWorkloadChart } from '../../lib/app-cluster/workload-chart';
import { EnvironmentTier } from '../../lib/core';
import { VpcStack } from '../../lib/vpc-stack';
import { testStack, warningsOf } from '../support/util';

const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2x1c3RlckNB\n-----END CERTIFICATE-----\n').toString('base64');
const ROLE_ARN = 'arn:aws:iam::123456789012:role/shop-production-app-shop-web';
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-production-app/0123456789abcdef';
const DB_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf';
const REDIS_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-redis-auth-AbCdEf';

/** A production wiring with literal values, as the AWS stack's outputs would resolve to. */
const PROPS: ClusterBootstrapStackProps = {
  clusterName: 'shop-production',
  clusterEndpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  clusterCertificateAuthorityData: CA_DATA,
  region: 'eu-west-1',
  appName: 'shop-web',
  namespace: 'shop',
  serviceAccountRoleArn: ROLE_ARN,
  targetGroupArn: TARGET_GROUP_ARN,
  database: { host: 'shop-production.abcdefghij.eu-west-1.rds.amazonaws.com', port: 5432, databaseName: 'shop', credentialsSecretArn: DB_SECRET_ARN },
  redis: { host: 'master.shop-production.abcdef.euw1.cache.amazonaws.com', port: 6379, authSecretArn: REDIS_SECRET_ARN },
};

interface Synth {
  readonly provider: Record<string, any[]>;
  readonly resource: Record<string, Record<string, any>>;
  readonly output: Record<string, any>;
  readonly data?: Record<string, Record<string, any>>;
  readonly terraform: Record<string, any>;
}

function build(props: Partial<ClusterBootstrapStackProps> = {}) {
  const app = Testing.app();
  const stack = new ClusterBootstrapStack(app, 'shop-production-k8s', { ...PROPS, ...props });
  const synth: Synth = JSON.parse(Testing.synth(stack));
  return { app, stack, synth };
}

/** The single resource of a type, by its construct ID (a direct child of the stack). */
function resource(synth: Synth, type: string, id: string): any {
  const found = synth.resource[type]?.[id];
  if (!found) throw new Error(`no ${type}.${id}`);
  return found;
}

const NAMESPACE_REF = '${kubernetes_namespace_v1.Namespace.metadata[0].name}';

const expectError = (props: Partial<ClusterBootstrapStackProps>, message: string | RegExp) =>
  expect(() => build(props)).toThrow(message);

describe('ClusterBootstrapStack defaults', () => {
  const { stack, synth } = build();

  test('configures the kubernetes provider from the cluster endpoint, CA data and aws eks get-token', () => {
    expect(synth.provider.kubernetes).toEqual([
      {
        host: PROPS.clusterEndpoint,
        cluster_ca_certificate: `\${base64decode("${CA_DATA}")}`,
        exec: [
          {
            api_version: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', 'shop-production', '--region', 'eu-west-1', '--output', 'json'],
          },
        ],
      },
    ]);
  });

  test('uses only the kubernetes provider and stores no credential in the provider block', () => {
    expect(Object.keys(synth.terraform.required_providers)).toEqual(['kubernetes']);
    expect(synth.provider.kubernetes[0]).not.toHaveProperty('token');
    expect(synth.provider.kubernetes[0]).not.toHaveProperty('client_key');
  });

  test('creates the namespace with the restricted Pod Security Admission profile and pod readiness gates', () => {
    expect(resource(synth, 'kubernetes_namespace_v1', 'Namespace').metadata).toEqual({
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

  test('creates the app ServiceAccount in that namespace with the IRSA role and no token automount', () => {
    expect(resource(synth, 'kubernetes_service_account_v1', 'ServiceAccount')).toEqual({
      automount_service_account_token: false,
      metadata: {
        name: 'shop-web',
        namespace: NAMESPACE_REF,
        labels: { 'app.kubernetes.io/name': 'shop-web', 'app.kubernetes.io/managed-by': 'terraform' },
        annotations: {
          'eks.amazonaws.com/role-arn': ROLE_ARN,
          'eks.amazonaws.com/sts-regional-endpoints': 'true',
        },
      },
    });
  });

  test('binds the ALB target group to the app Service by pod IP with a TargetGroupBinding', () => {
    expect(resource(synth, 'kubernetes_manifest', 'TargetGroupBinding').manifest).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: {
        name: 'shop-web',
        namespace: NAMESPACE_REF,
        labels: { 'app.kubernetes.io/name': 'shop-web', 'app.kubernetes.io/managed-by': 'terraform' },
      },
      spec: {
        targetGroupARN: TARGET_GROUP_ARN,
        targetType: 'ip',
        serviceRef: { name: 'shop-web', port: 80 },
      },
    });
  });

  test('leaves security group rules to Terraform (no networking section in the binding)', () => {
    expect(resource(synth, 'kubernetes_manifest', 'TargetGroupBinding').manifest.spec.networking).toBeUndefined();
  });

  test('writes database and Redis endpoints, ports and names to the connection Secret, and no password', () => {
    const secret = resource(synth, 'kubernetes_secret_v1', 'ConnectionSecret');
    expect(secret.metadata).toMatchObject({ name: 'shop-web-connection', namespace: NAMESPACE_REF });
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({
      DATABASE_HOST: 'shop-production.abcdefghij.eu-west-1.rds.amazonaws.com',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'shop',
      REDIS_HOST: 'master.shop-production.abcdef.euw1.cache.amazonaws.com',
      REDIS_PORT: '6379',
      REDIS_TLS: 'true',
    });
    expect(JSON.stringify(synth)).not.toMatch(/password|auth_token|AUTH_TOKEN/i);
  });

  test('IAM sign-in: writes the database and Redis user names and the IAM flags, and no secret ARN', () => {
    const { synth: iam } = build({
      database: { host: 'db.internal', port: 5432, databaseName: 'shop', iamUserName: 'shop_app' },
      redis: { host: 'cache.internal', port: 6379, iamUserName: 'shop-production-cache-app' },
    });
    expect(resource(iam, 'kubernetes_secret_v1', 'ConnectionSecret').data).toEqual({
      DATABASE_HOST: 'db.internal',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'shop',
      DATABASE_USER: 'shop_app',
      DATABASE_IAM_AUTH: 'true',
      REDIS_HOST: 'cache.internal',
      REDIS_PORT: '6379',
      REDIS_TLS: 'true',
      REDIS_USER: 'shop-production-cache-app',
      REDIS_IAM_AUTH: 'true',
    });
    expect(resource(iam, 'kubernetes_config_map_v1', 'InfrastructureConfigMap').data).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  test('writes the region and the Secrets Manager ARNs to the infrastructure ConfigMap', () => {
    const configMap = resource(synth, 'kubernetes_config_map_v1', 'InfrastructureConfigMap');
    expect(configMap.metadata).toMatchObject({ name: 'shop-web-infrastructure', namespace: NAMESPACE_REF });
    expect(configMap.data).toEqual({
      AWS_REGION: 'eu-west-1',
      DATABASE_CREDENTIALS_SECRET_ARN: DB_SECRET_ARN,
      REDIS_AUTH_SECRET_ARN: REDIS_SECRET_ARN,
    });
  });

  test('outputs the namespace and ServiceAccount for the pipeline that applies the YAML', () => {
    expect(synth.output).toEqual({
      namespace: { description: expect.stringMatching(/Namespace of the app/), value: NAMESPACE_REF },
      service_account_name: { description: expect.stringMatching(/ServiceAccount of the app/), value: 'shop-web' },
    });
  });

  test('exposes the names the workload chart refers to', () => {
    expect({
      appName: stack.appName,
      namespaceName: stack.namespaceName,
      serviceAccountName: stack.serviceAccountName,
      connectionSecretName: stack.connectionSecretName,
      infrastructureConfigMapName: stack.infrastructureConfigMapName,
      targetGroupBindingName: stack.targetGroupBindingName,
    }).toEqual({
      appName: 'shop-web',
      namespaceName: 'shop',
      serviceAccountName: 'shop-web',
      connectionSecretName: 'shop-web-connection',
      infrastructureConfigMapName: 'shop-web-infrastructure',
      targetGroupBindingName: 'shop-web',
    });
  });

  test('records no warning', () => {
    expect(warningsOf(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(synth).toMatchSnapshot();
  });
});

describe('ClusterBootstrapStack options', () => {
  test('without a target group there is no TargetGroupBinding and no readiness gate label', () => {
    const { stack, synth } = build({ targetGroupArn: undefined });
    expect(synth.resource.kubernetes_manifest).toBeUndefined();
    expect(resource(synth, 'kubernetes_namespace_v1', 'Namespace').metadata.labels).not.toHaveProperty('elbv2.k8s.aws/pod-readiness-gate-inject');
    expect(stack.targetGroupBindingName).toBeUndefined();
  });

  test('podReadinessGate: false keeps the binding but not the readiness gate label', () => {
    const { synth } = build({ podReadinessGate: false });
    expect(synth.resource.kubernetes_manifest).toBeDefined();
    expect(resource(synth, 'kubernetes_namespace_v1', 'Namespace').metadata.labels).not.toHaveProperty('elbv2.k8s.aws/pod-readiness-gate-inject');
  });

  test('without database or Redis there is no connection Secret, and the ConfigMap holds the region', () => {
    const { stack, synth } = build({ database: undefined, redis: undefined });
    expect(synth.resource.kubernetes_secret_v1).toBeUndefined();
    expect(stack.connectionSecretName).toBeUndefined();
    expect(resource(synth, 'kubernetes_config_map_v1', 'InfrastructureConfigMap').data).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  test('a database alone writes only database keys; the database name and secret ARN are optional', () => {
    const { synth } = build({ redis: undefined, database: { host: 'db.internal', port: 5433 } });
    expect(resource(synth, 'kubernetes_secret_v1', 'ConnectionSecret').data).toEqual({ DATABASE_HOST: 'db.internal', DATABASE_PORT: '5433' });
    expect(resource(synth, 'kubernetes_config_map_v1', 'InfrastructureConfigMap').data).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  test('Redis without TLS says so', () => {
    const { synth } = build({ database: undefined, redis: { host: 'redis.internal', port: 6379, tls: false } });
    expect(resource(synth, 'kubernetes_secret_v1', 'ConnectionSecret').data).toEqual({
      REDIS_HOST: 'redis.internal',
      REDIS_PORT: '6379',
      REDIS_TLS: 'false',
    });
  });

  test('names, the Service port and extra infrastructure settings can be set', () => {
    const { stack, synth } = build({
      serviceAccountName: 'shop-web-runtime',
      servicePort: 8080,
      connectionSecretName: 'shop-db',
      infrastructureConfigMapName: 'shop-aws',
      infrastructureSettings: { ASSETS_BUCKET: 'shop-production-assets' },
    });
    expect(resource(synth, 'kubernetes_service_account_v1', 'ServiceAccount').metadata.name).toBe('shop-web-runtime');
    expect(resource(synth, 'kubernetes_manifest', 'TargetGroupBinding').manifest.spec.serviceRef).toEqual({ name: 'shop-web', port: 8080 });
    expect(resource(synth, 'kubernetes_secret_v1', 'ConnectionSecret').metadata.name).toBe('shop-db');
    const configMap = resource(synth, 'kubernetes_config_map_v1', 'InfrastructureConfigMap');
    expect(configMap.metadata.name).toBe('shop-aws');
    expect(configMap.data.ASSETS_BUCKET).toBe('shop-production-assets');
    expect(stack.serviceAccountName).toBe('shop-web-runtime');
    expect(synth.output.service_account_name.value).toBe('shop-web-runtime');
  });
});

describe('ClusterBootstrapStack wiring to the AWS stack', () => {
  /** An AWS stack with stand-ins for what AppCluster and PostgresWithBackups expose. */
  function awsAndBootstrap(app: App = Testing.app()) {
    const aws = testStack({}, app);
    const network = new VpcStack(aws, 'Network', {
      cidr: '10.0.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    });
    const targetGroup = new LbTargetGroup(aws, 'AppTargetGroup', {
      name: 'shop-production-app',
      port: 8080,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: network.vpcId,
      healthCheck: { path: '/health', matcher: '200-399' },
    });
    const appRole = new IamRole(aws, 'AppRole', {
      name: 'shop-production-app-shop-web',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const bootstrap = new ClusterBootstrapStack(app, 'shop-production-k8s', {
      ...PROPS,
      serviceAccountRoleArn: appRole.arn,
      targetGroupArn: targetGroup.arn,
      database: undefined,
      redis: undefined,
    });
    return { aws, network, bootstrap };
  }

  test('takes the AWS stack values through cross-stack references, so they resolve at apply time', () => {
    const { aws, bootstrap } = awsAndBootstrap();
    // What `app.synth()` does first: find the cross-stack references and add the outputs.
    bootstrap.prepareStack();
    const synth: Synth = JSON.parse(Testing.synth(bootstrap));
    const remote = Object.keys(synth.data?.terraform_remote_state ?? {});
    expect(remote).toHaveLength(1);
    const spec = resource(synth, 'kubernetes_manifest', 'TargetGroupBinding').manifest.spec;
    expect(spec.targetGroupARN).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.${remote[0]}\\.outputs\\.[\\w-]+\\}$`));
    const annotations = resource(synth, 'kubernetes_service_account_v1', 'ServiceAccount').metadata.annotations;
    expect(annotations['eks.amazonaws.com/role-arn']).toMatch(/^\$\{data\.terraform_remote_state\./);
    const awsOutputs = JSON.parse(Testing.synth(aws)).output;
    expect(Object.values(awsOutputs).map((o: any) => o.value).sort()).toEqual([
      '${aws_iam_role.AppRole.arn}',
      '${aws_lb_target_group.AppTargetGroup.arn}',
    ]);
    expect(bootstrap.dependencies).toContain(aws);
  });

  test('numeric attributes from the AWS stack become strings in the connection Secret', () => {
    const app = Testing.app();
    const aws = new TerraformStack(app, 'aws');
    const db = new DbInstance(aws, 'Db', { instanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: 20 });
    const bootstrap = new ClusterBootstrapStack(app, 'k8s', {
      ...PROPS,
      redis: undefined,
      database: { host: db.address, port: db.port, databaseName: 'shop' },
    });
    bootstrap.prepareStack();
    const data = resource(JSON.parse(Testing.synth(bootstrap)), 'kubernetes_secret_v1', 'ConnectionSecret').data;
    expect(data.DATABASE_HOST).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/);
    expect(data.DATABASE_PORT).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/);
  });

  test('meets the workload chart by names: namespace, ServiceAccount, Service and port, Secret and ConfigMap', () => {
    const { stack } = build();
    const chart = new AppWorkloadChart(K8sTesting.app(), 'shop-web', {
      appName: stack.appName,
      namespace: stack.namespaceName,
      environment: EnvironmentTier.PRODUCTION,
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2',
      manageNamespace: false,
      manageServiceAccount: false,
      serviceAccountName: stack.serviceAccountName,
      envFromSecretNames: [stack.connectionSecretName!],
      envFromConfigMapNames: [stack.infrastructureConfigMapName],
      httpsEgressCidrs: ['10.0.0.0/16'],
      loadBalancerSourceCidrs: ['10.0.96.0/22'],
    });
    const manifests: any[] = K8sTesting.synth(chart);
    const binding = resource(JSON.parse(Testing.synth(stack)), 'kubernetes_manifest', 'TargetGroupBinding').manifest;
    const service = manifests.find((m) => m.kind === 'Service');
    expect(binding.spec.serviceRef).toEqual({ name: service.metadata.name, port: service.spec.ports[0].port });
    expect(binding.metadata.name).toBe(stack.targetGroupBindingName);
    expect(service.metadata.namespace).toBe('shop');
    const pod = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('shop-web');
    expect(pod.containers[0].envFrom).toEqual([
      { configMapRef: { name: 'shop-web-settings' } },
      { configMapRef: { name: 'shop-web-infrastructure' } },
      { secretRef: { name: 'shop-web-connection' } },
    ]);
    expect(manifests.filter((m) => ['Namespace', 'ServiceAccount', 'Secret'].includes(m.kind))).toEqual([]);
  });

  test('the production AWS stack with the VPC and the outputs the bootstrap stack reads plans offline', () => {
    const { aws, bootstrap } = awsAndBootstrap();
    bootstrap.prepareStack();
    // Only the AWS stack: the kubernetes provider is not in the offline mirror.
    const outdir = Testing.fullSynth(aws);
    expect(outdir).toPlanSuccessfully();
  });
});

describe('ClusterBootstrapStack validation', () => {
  test('throws on a cluster name EKS would reject', () => {
    expectError(
      { clusterName: '-shop' },
      'ClusterBootstrapStack shop-production-k8s: clusterName must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit, got "-shop"',
    );
  });

  test('throws on an endpoint that is not https', () => {
    expectError({ clusterEndpoint: 'http://example.com' }, /clusterEndpoint must be the cluster API endpoint, https:\/\/<host>, got "http:\/\/example.com"/);
  });

  test('throws on CA data that is not a base64 PEM certificate, without echoing all of it', () => {
    expectError({ clusterCertificateAuthorityData: 'not base64!' }, /clusterCertificateAuthorityData must be the base64-encoded PEM certificate EKS returns .*, got "not base64!"/);
    const pemNotBase64 = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2x1c3RlckNB\n-----END CERTIFICATE-----';
    expectError({ clusterCertificateAuthorityData: pemNotBase64 }, /got "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmg\.\.\."/);
  });

  test('throws on a malformed region', () => {
    expectError({ region: 'Ireland' }, /region must be an AWS region name such as eu-west-1, got "Ireland"/);
  });

  test('throws on names Kubernetes would reject', () => {
    expectError({ appName: 'Shop' }, /^ClusterBootstrapStack shop-production-k8s: appName must be a DNS-1035 label/);
    expectError({ namespace: 'shop_prod' }, /namespace must be a DNS-1123 label/);
    expectError({ serviceAccountName: 'Runner' }, /serviceAccountName must be a DNS-1123 subdomain/);
    expectError({ connectionSecretName: 'Secret!' }, /connectionSecretName must be a DNS-1123 subdomain/);
    expectError({ infrastructureConfigMapName: '' }, /infrastructureConfigMapName must be a DNS-1123 subdomain/);
    expectError({ infrastructureSettings: { 'BAD KEY': 'x' } }, /infrastructureSettings must be a ConfigMap or Secret key: 1-253 letters, digits/);
  });

  test('throws on malformed ARNs', () => {
    expectError({ serviceAccountRoleArn: 'shop-web' }, /serviceAccountRoleArn must be an IAM role ARN \(arn:aws:iam::<account>:role\/<name>\), got "shop-web"/);
    expectError({ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1' }, /targetGroupArn must be an ELBv2 target group ARN/);
    expectError({ database: { ...PROPS.database!, credentialsSecretArn: 'rds!db-1234' } }, /database.credentialsSecretArn must be a Secrets Manager secret ARN, got "rds!db-1234"/);
    expectError({ redis: { ...PROPS.redis!, authSecretArn: 'token' } }, /redis.authSecretArn must be a Secrets Manager secret ARN/);
  });

  test('throws on IAM user names the services reject, and on IAM sign-in next to a credentials secret', () => {
    expectError({ database: { host: 'db', port: 5432, iamUserName: 'Shop-App' } }, /database.iamUserName must be a PostgreSQL role name: .*, got "Shop-App"/);
    expectError({ redis: { host: 'cache', port: 6379, iamUserName: '1app' } }, /redis.iamUserName must be an ElastiCache user ID: .*, got "1app"/);
    // The rule RedisHA creates its users by, not a looser twin: these used to pass here.
    for (const name of ['App', 'a--b', 'app-']) {
      expectError({ redis: { host: 'cache', port: 6379, iamUserName: name } }, /redis.iamUserName must be an ElastiCache user ID: lowercase letters/);
    }
    expectError(
      { database: { ...PROPS.database!, iamUserName: 'shop_app' } },
      'ClusterBootstrapStack shop-production-k8s: database.iamUserName and database.credentialsSecretArn are both set; give one: IAM authentication or the credentials secret',
    );
    expectError({ redis: { ...PROPS.redis!, iamUserName: 'app' } }, /redis.iamUserName and redis.authSecretArn are both set/);
  });

  test('throws on a host with a port or scheme (the RDS endpoint instead of its address)', () => {
    expectError(
      { database: { host: 'shop.abcdefghij.eu-west-1.rds.amazonaws.com:5432', port: 5432 } },
      'ClusterBootstrapStack shop-production-k8s: database.host must be a host name without scheme or port (for RDS the `address`, not the `endpoint`), got "shop.abcdefghij.eu-west-1.rds.amazonaws.com:5432"',
    );
    expectError({ redis: { host: 'rediss://cache', port: 6379 } }, /redis.host must be a host name without scheme or port/);
  });

  test('throws on ports out of range', () => {
    expectError({ servicePort: 0 }, 'ClusterBootstrapStack shop-production-k8s: servicePort must be an integer from 1 to 65535, got 0');
    expectError({ database: { host: 'db', port: 65536 } }, /database.port must be an integer from 1 to 65535, got 65536/);
    expectError({ redis: { host: 'cache', port: 6379.5 } }, /redis.port must be an integer from 1 to 65535/);
  });

  test('throws on options that have nothing to act on', () => {
    expectError({ targetGroupArn: undefined, podReadinessGate: true }, /podReadinessGate must be set only together with targetGroupArn/);
    expectError({ database: undefined, redis: undefined, connectionSecretName: 'x' }, /connectionSecretName must be set only with database or redis/);
  });

  test('throws when extra settings would overwrite a key the stack writes', () => {
    expectError({ infrastructureSettings: { AWS_REGION: 'us-east-1' } }, /infrastructureSettings must not use the keys this stack writes \(AWS_REGION, DATABASE_CREDENTIALS_SECRET_ARN, REDIS_AUTH_SECRET_ARN\), got "AWS_REGION"/);
  });

  test('validates before creating any resource, so a failed stack leaves nothing behind', () => {
    const app = Testing.app();
    expect(() => new ClusterBootstrapStack(app, 'bad', { ...PROPS, region: 'nowhere' })).toThrow();
    const children = app.node.tryFindChild('bad')?.node.children ?? [];
    expect(children).toHaveLength(0);
  });
});
