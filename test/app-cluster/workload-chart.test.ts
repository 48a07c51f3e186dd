import { ApiObject, JsonPatch, Testing, Yaml } from 'cdk8s';
import { TerraformStack, TerraformVariable, Testing as TfTesting } from 'cdktf';
import { AppWorkloadChart, AppWorkloadChartProps } from '../../lib/app-cluster/workload-chart';
import { EnvironmentTier } from '../../lib/core';
import { warningsOf } from '../support/util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests, parseManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/shop-production-shop-web';

/** The production configuration the example uses: ALB in front, data stores and AWS APIs behind. */
const PRODUCTION: AppWorkloadChartProps = {
  appName: 'shop-web',
  namespace: 'shop',
  environment: EnvironmentTier.PRODUCTION,
  image: IMAGE,
  settings: { LOG_LEVEL: 'info', FEATURE_CHECKOUT_V2: 'true' },
  envFromSecretNames: ['shop-web-connection'],
  envFromConfigMapNames: ['shop-web-infrastructure'],
  serviceAccountRoleArn: ROLE_ARN,
  loadBalancerSourceCidrs: ['10.0.96.0/22', '10.0.100.0/22', '10.0.104.0/22'],
  dataStoreCidrs: ['10.0.120.0/22', '10.0.124.0/22', '10.0.128.0/22'],
  httpsEgressCidrs: ['10.0.0.0/16'],
};

/** The least a consumer must give. */
const MINIMAL: AppWorkloadChartProps = {
  appName: 'shop-web',
  namespace: 'shop',
  environment: EnvironmentTier.PRODUCTION,
  image: IMAGE,
};

function build(props: Partial<AppWorkloadChartProps> = {}, base: AppWorkloadChartProps = PRODUCTION) {
  const app = Testing.app();
  const chart = new AppWorkloadChart(app, 'web', { ...base, ...props });
  const manifests: any[] = Testing.synth(chart);
  return { app, chart, manifests };
}

function find(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

function podSpec(manifests: any[]): any {
  return find(manifests, 'Deployment').spec.template.spec;
}

function manifestNames(manifests: any[]): string[] {
  return manifests.map((m) => m.metadata.name);
}

function container(manifests: any[]): any {
  return podSpec(manifests).containers[0];
}

const expectError = (props: Partial<AppWorkloadChartProps>, message: string | RegExp) =>
  expect(() => build(props)).toThrow(message);

describe('AppWorkloadChart defaults', () => {
  const { chart, manifests } = build();

  test('emits only GA objects that pass the official Kubernetes schemas', () => {
    expect(validateManifests(manifests)).toEqual([]);
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.name}`)).toEqual([
      'v1 Namespace shop',
      'v1 ConfigMap shop-web-settings',
      'v1 ServiceAccount shop-web',
      'apps/v1 Deployment shop-web',
      'v1 Service shop-web',
      'autoscaling/v2 HorizontalPodAutoscaler shop-web',
      'policy/v1 PodDisruptionBudget shop-web',
      'networking.k8s.io/v1 NetworkPolicy default-deny-all',
      'networking.k8s.io/v1 NetworkPolicy shop-web-allow-ingress',
      'networking.k8s.io/v1 NetworkPolicy shop-web-allow-dns',
      'networking.k8s.io/v1 NetworkPolicy shop-web-allow-data-stores',
      'networking.k8s.io/v1 NetworkPolicy shop-web-allow-https-egress',
    ]);
  });

  test('the YAML round-trips through the schema check as written to disk', () => {
    expect(validateManifests(parseManifests(Yaml.stringify(...manifests)))).toEqual([]);
  });

  test('no Terraform token or interpolation appears anywhere in the YAML', () => {
    expect(Yaml.stringify(...manifests)).not.toContain('${');
  });

  test('puts every namespaced object in the app namespace, and the Namespace itself has none', () => {
    for (const m of manifests.filter((o) => o.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('shop');
    }
    expect(find(manifests, 'Namespace').metadata.namespace).toBeUndefined();
  });

  test('enforces the restricted Pod Security Admission profile on the namespace', () => {
    expect(find(manifests, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('writes the settings to a ConfigMap and exposes it, then extra ConfigMaps and Secrets, by name only', () => {
    expect(find(manifests, 'ConfigMap').data).toEqual({ LOG_LEVEL: 'info', FEATURE_CHECKOUT_V2: 'true' });
    expect(container(manifests).envFrom).toEqual([
      { configMapRef: { name: 'shop-web-settings' } },
      { configMapRef: { name: 'shop-web-infrastructure' } },
      { secretRef: { name: 'shop-web-connection' } },
    ]);
    expect(container(manifests).env).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('rolls out one extra pod at a time and never goes below the current count', () => {
    const deployment = find(manifests, 'Deployment');
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('leaves the replica count to the autoscaler', () => {
    expect(find(manifests, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('selects pods by the app name label, the same in Deployment, Service, PDB and policies', () => {
    const selector = { 'app.kubernetes.io/name': 'shop-web' };
    expect(find(manifests, 'Deployment').spec.selector.matchLabels).toEqual(selector);
    expect(find(manifests, 'Deployment').spec.template.metadata.labels).toMatchObject(selector);
    expect(find(manifests, 'Service').spec.selector).toEqual(selector);
    expect(find(manifests, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(selector);
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec.podSelector.matchLabels).toEqual(selector);
    expect(chart.selectorLabels).toEqual(selector);
  });

  test('probes liveness on /health and readiness on /ready with different timings', () => {
    const c = container(manifests);
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/health', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 5,
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('holds the liveness probe back for up to 120 s of start-up with a startup probe on its path', () => {
    expect(container(manifests).startupProbe).toEqual({
      httpGet: { path: '/health', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 24,
    });
  });

  test('sets CPU, memory and ephemeral storage requests and limits, memory limit equal to the request', () => {
    expect(container(manifests).resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '512Mi', 'ephemeral-storage': '512Mi' },
      limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('reserves ephemeral storage for at least the /tmp size limit, and caps it above that size', () => {
    const { requests, limits } = container(manifests).resources;
    const sizeLimit = podSpec(manifests).volumes[0].emptyDir.sizeLimit;
    expect([sizeLimit, requests['ephemeral-storage'], limits['ephemeral-storage']]).toEqual(['256Mi', '512Mi', '1Gi']);
  });

  test('delays SIGTERM with a 15 s built-in preStop sleep, within a grace period 30 s longer', () => {
    expect(container(manifests).lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(45);
  });

  test('needs no sleep binary in the image: the hook is the sleep action, not an exec command', () => {
    expect(container(manifests).lifecycle.preStop.exec).toBeUndefined();
    expect(chart.deployment.toJson().spec.template.spec.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: 15 } });
  });

  test('runs as a numeric non-root user with seccomp RuntimeDefault at pod level', () => {
    expect(podSpec(manifests).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('locks the container down: read-only root, no privilege escalation, no capabilities, seccomp', () => {
    expect(container(manifests).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('gives the read-only container a size-limited writable emptyDir at /tmp', () => {
    expect(container(manifests).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(podSpec(manifests).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  test('spreads pods over zones (hard) and hosts (soft), per ReplicaSet', () => {
    const [zone, host] = podSpec(manifests).topologySpreadConstraints;
    expect(zone).toEqual({
      topologyKey: 'topology.kubernetes.io/zone',
      maxSkew: 1,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      matchLabelKeys: ['pod-template-hash'],
      nodeTaintsPolicy: 'Honor',
    });
    expect(host).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
  });

  test('leaves tainted nodes (a failed zone, cordoned nodes) out of both spread counts', () => {
    expect(podSpec(manifests).topologySpreadConstraints.map((t: any) => [t.topologyKey, t.nodeTaintsPolicy])).toEqual([
      ['topology.kubernetes.io/zone', 'Honor'],
      ['kubernetes.io/hostname', 'Honor'],
    ]);
  });

  test('runs under its own ServiceAccount with the IRSA annotation and no API token', () => {
    const sa = find(manifests, 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE_ARN });
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(podSpec(manifests).serviceAccountName).toBe('shop-web');
    expect(podSpec(manifests).automountServiceAccountToken).toBe(false);
  });

  test('pins the image and does not inject service links into the environment', () => {
    expect(container(manifests).image).toBe(IMAGE);
    expect(container(manifests).imagePullPolicy).toBe('IfNotPresent');
    expect(podSpec(manifests).enableServiceLinks).toBe(false);
  });

  test('exposes the app on a ClusterIP Service, port 80 to the named container port', () => {
    expect(find(manifests, 'Service').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('has no Ingress unless asked', () => {
    expect(manifests.filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  test('autoscales 3-20 replicas on CPU 70% and memory 80% with stabilized scale-up and scale-down', () => {
    const spec = find(manifests, 'HorizontalPodAutoscaler').spec;
    expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop-web' });
    expect(spec.minReplicas).toBe(3);
    expect(spec.maxReplicas).toBe(20);
    expect(spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(spec.behavior.scaleUp).toMatchObject({ stabilizationWindowSeconds: 30, selectPolicy: 'Max' });
    expect(spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 10, periodSeconds: 60 },
        { type: 'Pods', value: 2, periodSeconds: 60 },
      ],
    });
    expect(chart.minReplicas).toBe(3);
    expect(chart.maxReplicas).toBe(20);
  });

  test('lets voluntary disruptions take one pod at a time and never blocks on unhealthy pods', () => {
    expect(find(manifests, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('denies all ingress and egress in the namespace by default', () => {
    expect(find(manifests, 'NetworkPolicy', 'default-deny-all').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  test('admits the app port from the load balancer subnets only', () => {
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec).toMatchObject({
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '10.0.96.0/22' } }, { ipBlock: { cidr: '10.0.100.0/22' } }, { ipBlock: { cidr: '10.0.104.0/22' } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    });
  });

  test('lets pods resolve names through kube-dns on UDP and TCP 53', () => {
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-dns').spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });

  test('lets pods reach the data store subnets on the PostgreSQL and Redis ports only', () => {
    const egress = find(manifests, 'NetworkPolicy', 'shop-web-allow-data-stores').spec.egress;
    expect(egress).toEqual([
      {
        to: PRODUCTION.dataStoreCidrs!.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TCP', port: 6379 },
        ],
      },
    ]);
  });

  test('lets pods reach AWS APIs on 443 in the given CIDRs', () => {
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-https-egress').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  test('labels objects as managed by cdk8s', () => {
    for (const m of manifests) {
      expect(m.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s');
    }
  });

  test('records no warning for the production configuration', () => {
    expect(warningsOf(chart)).toEqual([]);
  });

  test('exposes the names other halves refer to', () => {
    expect({
      appName: chart.appName,
      namespaceName: chart.namespaceName,
      serviceAccountName: chart.serviceAccountName,
      deploymentName: chart.deploymentName,
      serviceName: chart.serviceName,
      servicePort: chart.servicePort,
      containerPort: chart.containerPort,
      settingsConfigMapName: chart.settingsConfigMapName,
    }).toEqual({
      appName: 'shop-web',
      namespaceName: 'shop',
      serviceAccountName: 'shop-web',
      deploymentName: 'shop-web',
      serviceName: 'shop-web',
      servicePort: 80,
      containerPort: 8080,
      settingsConfigMapName: 'shop-web-settings',
    });
    expect(chart.deployment.kind).toBe('Deployment');
  });

  test('matches the snapshot', () => {
    expect(Yaml.stringify(...manifests)).toMatchSnapshot();
  });
});

describe('AppWorkloadChart options', () => {
  test('the minimal configuration has only the DNS egress policy and warns that the app is unreachable', () => {
    const { chart, manifests } = build({}, MINIMAL);
    expect(validateManifests(manifests)).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name)).toEqual([
      'default-deny-all',
      'shop-web-allow-dns',
    ]);
    expect(find(manifests, 'ConfigMap').data).toEqual({});
    expect(container(manifests).envFrom).toEqual([{ configMapRef: { name: 'shop-web-settings' } }]);
    expect(find(manifests, 'ServiceAccount').metadata.annotations).toBeUndefined();
    expect(warningsOf(chart)).toEqual([expect.stringContaining('[GW-K8S-NO-INGRESS-SOURCE]')]);
  });

  test('an Ingress gets TLS from the cert-manager issuer, SSL redirect and a per-client rate limit', () => {
    const { manifests } = build({ ingress: { host: 'shop.example.com', clusterIssuer: 'letsencrypt-production' } });
    expect(validateManifests(manifests)).toEqual([]);
    const ingress = find(manifests, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-production',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/limit-rps': '20',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-web-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-web', port: { number: 80 } } } }],
          },
        },
      ],
    });
  });

  test('an Ingress admits the ingress controller namespace to the app port', () => {
    const { manifests } = build({
      loadBalancerSourceCidrs: [],
      ingress: { host: 'shop.example.com', clusterIssuer: 'le', controllerNamespace: 'edge' },
    });
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } },
    ]);
  });

  test('ingress class, TLS secret and rate limit can be chosen; a zero rate limit is dropped with a warning', () => {
    const custom = build({
      ingress: { host: '*.shop.example.com', clusterIssuer: 'le', ingressClassName: 'internal', tlsSecretName: 'wildcard', rateLimitRequestsPerSecond: 50 },
    }).manifests;
    expect(find(custom, 'Ingress').spec.ingressClassName).toBe('internal');
    expect(find(custom, 'Ingress').spec.tls[0]).toEqual({ hosts: ['*.shop.example.com'], secretName: 'wildcard' });
    expect(find(custom, 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/limit-rps']).toBe('50');

    const { chart, manifests } = build({ ingress: { host: 'shop.example.com', clusterIssuer: 'le', rateLimitRequestsPerSecond: 0 } });
    expect(find(manifests, 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/limit-rps']).toBeUndefined();
    expect(warningsOf(chart)).toContainEqual(expect.stringContaining('[GW-K8S-NO-RATE-LIMIT]'));
  });

  test('allowedIngressNamespaces admits further namespaces to the app port', () => {
    const { manifests } = build({ allowedIngressNamespaces: ['monitoring'] });
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec.ingress[0].from).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    });
  });

  test('without metricsPort, metrics share the http port and no metrics policy exists', () => {
    const { chart, manifests } = build();
    expect(chart.metricsPortName).toBe('http');
    expect(container(manifests).ports).toHaveLength(1);
    expect(manifests.filter((m) => m.metadata?.name === 'shop-web-allow-metrics')).toEqual([]);
  });

  test('metricsPort serves metrics on a port of their own that only the scraping namespaces reach', () => {
    const { chart, manifests } = build({ metricsPort: 9090 });
    expect(chart.metricsPortName).toBe('metrics');
    expect(container(manifests).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(find(manifests, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-metrics').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }],
    });
    // The load balancer's subnets still reach only the app port.
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    const custom = build({ metricsPort: 9090, metricsNamespaces: ['observability'] }).manifests;
    expect(find(custom, 'NetworkPolicy', 'shop-web-allow-metrics').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
    ]);
  });

  test('throws on a metrics port that is the app port, and on metricsNamespaces without a metrics port', () => {
    expectError(
      { metricsPort: 8080 },
      'AppWorkloadChart web: metricsPort must differ from containerPort 8080 (the load balancer forwards to containerPort; leave metricsPort unset to share it), got 8080',
    );
    expectError({ metricsNamespaces: ['monitoring'] }, /metricsNamespaces must be set only with metricsPort/);
    expectError({ metricsPort: 9090, metricsNamespaces: ['Monitoring'] }, /metricsNamespaces\[0\] must be a DNS-1123 label/);
  });

  test('with a bootstrap stack owning them, the chart emits no Namespace or ServiceAccount but refers to the names', () => {
    const { chart, manifests } = build({
      manageNamespace: false,
      manageServiceAccount: false,
      serviceAccountRoleArn: undefined,
      serviceAccountName: 'shop-web-runtime',
    });
    expect(manifests.filter((m) => m.kind === 'Namespace' || m.kind === 'ServiceAccount')).toEqual([]);
    expect(podSpec(manifests).serviceAccountName).toBe('shop-web-runtime');
    expect(chart.serviceAccountName).toBe('shop-web-runtime');
    expect(find(manifests, 'Deployment').metadata.namespace).toBe('shop');
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('warns when pods use an IAM role but may not reach AWS APIs', () => {
    const withRole = build({ httpsEgressCidrs: undefined });
    expect(warningsOf(withRole.chart)).toContainEqual(expect.stringContaining('[GW-K8S-NO-AWS-API-EGRESS]'));
    const bootstrapOwned = build({ httpsEgressCidrs: undefined, serviceAccountRoleArn: undefined, manageServiceAccount: false });
    expect(warningsOf(bootstrapOwned.chart)).toContainEqual(expect.stringContaining('[GW-K8S-NO-AWS-API-EGRESS]'));
    expect(manifestNames(withRole.manifests)).not.toContain('shop-web-allow-https-egress');
  });

  test('automountServiceAccountToken: true mounts the token and records a warning', () => {
    const { chart, manifests } = build({ automountServiceAccountToken: true });
    expect(podSpec(manifests).automountServiceAccountToken).toBe(true);
    expect(find(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(warningsOf(chart)).toContainEqual(expect.stringContaining('[GW-K8S-TOKEN-AUTOMOUNT]'));
  });

  test('autoscaling bounds, targets and windows can be set', () => {
    const { manifests } = build({
      minReplicas: 4,
      maxReplicas: 40,
      targetCpuUtilizationPercent: 60,
      targetMemoryUtilizationPercent: 75,
      scaleUpStabilizationSeconds: 0,
      scaleDownStabilizationSeconds: 600,
    });
    const spec = find(manifests, 'HorizontalPodAutoscaler').spec;
    expect([spec.minReplicas, spec.maxReplicas]).toEqual([4, 40]);
    expect(spec.metrics.map((m: any) => m.resource.target.averageUtilization)).toEqual([60, 75]);
    expect(spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
  });

  test('development may run a single replica', () => {
    const { manifests } = build({ environment: EnvironmentTier.DEVELOPMENT, minReplicas: 1, maxReplicas: 2 });
    expect(find(manifests, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
  });

  test('a disruption budget by minAvailable replaces maxUnavailable', () => {
    const { manifests } = build({ disruptionBudgetMinAvailable: 2 });
    const spec = find(manifests, 'PodDisruptionBudget').spec;
    expect(spec.minAvailable).toBe(2);
    expect(spec.maxUnavailable).toBeUndefined();
  });

  test('warns when maxUnavailable lets a drain evict every pod at the autoscaler minimum', () => {
    const { chart } = build({ minReplicas: 2, disruptionBudgetMaxUnavailable: 2 });
    expect(warningsOf(chart)).toContainEqual(expect.stringContaining('[GW-K8S-PDB-NO-PROTECTION]'));
  });

  test('resources, ports, user, grace period and /tmp size can be set', () => {
    const { manifests } = build({
      cpuRequest: '500m',
      cpuLimit: '2',
      memoryRequest: '1Gi',
      memoryLimit: '1536Mi',
      containerPort: 3000,
      servicePort: 8080,
      runAsUser: 65532,
      runAsGroup: 65532,
      terminationGracePeriodSeconds: 60,
      tmpVolumeSizeLimit: '1Gi',
      ephemeralStorageRequest: '1536Mi',
      ephemeralStorageLimit: '4Gi',
    });
    expect(container(manifests).resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '1Gi', 'ephemeral-storage': '1536Mi' },
      limits: { 'cpu': '2', 'memory': '1536Mi', 'ephemeral-storage': '4Gi' },
    });
    expect(container(manifests).ports[0].containerPort).toBe(3000);
    expect(find(manifests, 'Service').spec.ports[0].port).toBe(8080);
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-ingress').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 3000 }]);
    expect(podSpec(manifests).securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(60);
    expect(podSpec(manifests).volumes[0].emptyDir.sizeLimit).toBe('1Gi');
  });

  test('preStopSleepSeconds sets the sleep, and the default grace period follows it', () => {
    const { manifests } = build({ preStopSleepSeconds: 25 });
    expect(container(manifests).lifecycle).toEqual({ preStop: { sleep: { seconds: 25 } } });
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(55);
  });

  test('an explicit grace period is kept as given next to the default sleep', () => {
    const { manifests } = build({ terminationGracePeriodSeconds: 16 });
    expect(container(manifests).lifecycle.preStop.sleep.seconds).toBe(15);
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(16);
  });

  test('preStopSleepSeconds: 0 drops the hook, keeps a 30 s grace period and warns when a load balancer targets the pods', () => {
    const { chart, manifests } = build({ preStopSleepSeconds: 0 });
    expect(container(manifests).lifecycle).toBeUndefined();
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(30);
    expect(validateManifests(manifests)).toEqual([]);
    expect(warningsOf(chart)).toEqual([expect.stringContaining('[GW-K8S-NO-PRESTOP-SLEEP] preStopSleepSeconds is 0')]);
  });

  test('preStopSleepSeconds: 0 does not warn when no load balancer sends to the pods directly', () => {
    const { chart } = build({ preStopSleepSeconds: 0, loadBalancerSourceCidrs: [], allowedIngressNamespaces: ['monitoring'] });
    expect(warningsOf(chart)).toEqual([]);
  });

  test('the preStop hook survives a consumer patch of the Deployment elsewhere', () => {
    const app = Testing.app();
    const chart = new AppWorkloadChart(app, 'web', PRODUCTION);
    chart.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
    const spec = find(Testing.synth(chart), 'Deployment').spec.template.spec;
    expect(spec.priorityClassName).toBe('high');
    expect(spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
  });

  test('startupTimeoutSeconds sets the start-up budget, rounded up to whole probes; 0 removes the startup probe', () => {
    const startup = (startupTimeoutSeconds: number) => container(build({ startupTimeoutSeconds, livenessProbe: { path: '/livez' } }).manifests).startupProbe;
    expect(startup(301)).toMatchObject({ httpGet: { path: '/livez' }, periodSeconds: 5, failureThreshold: 61 });
    expect(startup(0)).toBeUndefined();
    expectError({ startupTimeoutSeconds: 501 }, 'AppWorkloadChart web: startupTimeoutSeconds must be an integer from 0 to 500, got 501');
  });

  test('probes can be tuned, and sharing a path with different timings only warns', () => {
    const { chart, manifests } = build({
      livenessProbe: { path: '/livez', periodSeconds: 15 },
      readinessProbe: { path: '/livez', failureThreshold: 2 },
    });
    expect(container(manifests).livenessProbe).toMatchObject({ httpGet: { path: '/livez' }, periodSeconds: 15, initialDelaySeconds: 10 });
    expect(container(manifests).readinessProbe).toMatchObject({ httpGet: { path: '/livez' }, failureThreshold: 2, periodSeconds: 5 });
    expect(warningsOf(chart)).toEqual([expect.stringContaining('[GW-K8S-SAME-PROBE-PATH]')]);
  });

  test('data store ports can be set', () => {
    const { manifests } = build({ dataStorePorts: [5432] });
    expect(find(manifests, 'NetworkPolicy', 'shop-web-allow-data-stores').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  test('accepts images pinned by digest, with or without a tag, and registries with ports', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const image of [`registry.example.com/shop/web@${digest}`, `registry.example.com/shop/web:latest@${digest}`, 'localhost:5000/web:1.0', 'nginx:1.27.0']) {
      expect(container(build({ image }).manifests).image).toBe(image);
    }
  });

  test('a change of settings changes the pod template, so the pods roll', () => {
    const before = find(build().manifests, 'Deployment').spec.template.metadata.annotations['checksum/settings'];
    const same = find(build({ settings: { FEATURE_CHECKOUT_V2: 'true', LOG_LEVEL: 'info' } }).manifests, 'Deployment');
    const after = find(build({ settings: { LOG_LEVEL: 'debug', FEATURE_CHECKOUT_V2: 'true' } }).manifests, 'Deployment');
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(same.spec.template.metadata.annotations['checksum/settings']).toBe(before);
    expect(after.spec.template.metadata.annotations['checksum/settings']).not.toBe(before);
  });

  test('writes the YAML to a predictable file with a cdk8s App', () => {
    const app = Testing.app();
    new AppWorkloadChart(app, 'shop-web', PRODUCTION);
    app.synth();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs');
    const text = fs.readFileSync(`${app.outdir}/shop-web.k8s.yaml`, 'utf8');
    expect(validateManifests(parseManifests(text))).toEqual([]);
    expect(parseManifests(text)).toHaveLength(12);
  });
});

describe('AppWorkloadChart consistency checks', () => {
  test('throws when production would scale down to a single pod', () => {
    expectError(
      { minReplicas: 1 },
      'AppWorkloadChart web: minReplicas must be at least 2 in production (a single pod is an outage during every node drain, upgrade or crash), got 1',
    );
  });

  test('throws when the autoscaler minimum exceeds the maximum', () => {
    expectError({ minReplicas: 5, maxReplicas: 4 }, 'AppWorkloadChart web: maxReplicas must be at least minReplicas (5), got 4');
  });

  test('throws when the disruption budget keeps every pod at the autoscaler minimum', () => {
    expectError(
      { disruptionBudgetMinAvailable: 3 },
      /^AppWorkloadChart web: disruptionBudgetMinAvailable must be below minReplicas \(3\), so at least one pod can be evicted at the autoscaler's minimum .*, got 3$/,
    );
  });

  test('throws when the disruption budget allows no eviction at all', () => {
    expectError({ disruptionBudgetMaxUnavailable: 0 }, 'AppWorkloadChart web: disruptionBudgetMaxUnavailable must be an integer from 1 to 1000, got 0');
  });

  test('throws when both disruption budget forms are set', () => {
    expectError(
      { disruptionBudgetMinAvailable: 1, disruptionBudgetMaxUnavailable: 1 },
      /set either disruptionBudgetMinAvailable or disruptionBudgetMaxUnavailable, not both/,
    );
  });

  test('throws when a request exceeds its limit', () => {
    expectError(
      { cpuRequest: '1500m', cpuLimit: '1' },
      'AppWorkloadChart web: cpuRequest must not exceed cpuLimit "1" (Kubernetes rejects a request above its limit), got "1500m"',
    );
    expectError({ memoryRequest: '2Gi', memoryLimit: '1024Mi' }, /memoryRequest must not exceed memoryLimit "1024Mi" .*, got "2Gi"/);
    expectError(
      { ephemeralStorageRequest: '2Gi' },
      'AppWorkloadChart web: ephemeralStorageRequest must not exceed ephemeralStorageLimit "1Gi" (Kubernetes rejects a request above its limit), got "2Gi"',
    );
    expectError({ ephemeralStorageRequest: '1Gi', ephemeralStorageLimit: '1G' }, /ephemeralStorageRequest must not exceed ephemeralStorageLimit "1G"/);
  });

  test('throws when /tmp may grow beyond the ephemeral storage limit', () => {
    expectError(
      { tmpVolumeSizeLimit: '2Gi' },
      'AppWorkloadChart web: tmpVolumeSizeLimit (2Gi) must not exceed ephemeralStorageLimit (1Gi): /tmp counts against ' +
        'the ephemeral storage limit, so the pod would be evicted before /tmp reached its size',
    );
    expect(() => build({ tmpVolumeSizeLimit: '1Gi', ephemeralStorageRequest: '256Mi' })).not.toThrow();
  });

  test('throws when the grace period does not outlast the preStop sleep, naming both values', () => {
    expectError(
      { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 20 },
      "AppWorkloadChart web: terminationGracePeriodSeconds (20) must be greater than preStopSleepSeconds (30): the grace " +
        "period includes the preStop sleep, so the app would be killed before it could drain; allow the sleep plus the app's shutdown time",
    );
    expectError({ terminationGracePeriodSeconds: 15 }, /terminationGracePeriodSeconds \(15\) must be greater than preStopSleepSeconds \(15\)/);
  });

  test('throws on a preStop sleep or grace period out of range', () => {
    expectError({ preStopSleepSeconds: -1 }, 'AppWorkloadChart web: preStopSleepSeconds must be an integer from 0 to 3600, got -1');
    expectError({ preStopSleepSeconds: 2.5 }, /preStopSleepSeconds must be an integer from 0 to 3600, got 2.5/);
    expectError({ preStopSleepSeconds: 3600 }, /terminationGracePeriodSeconds must be an integer from 1 to 3600, got 3630/);
    expectError({ terminationGracePeriodSeconds: 0, preStopSleepSeconds: 0 }, /terminationGracePeriodSeconds must be an integer from 1 to 3600, got 0/);
  });

  test('compares quantities across units', () => {
    expect(() => build({ cpuRequest: '0.5', cpuLimit: '500m', memoryRequest: '1G', memoryLimit: '1Gi' })).not.toThrow();
    expectError({ memoryRequest: '1Gi', memoryLimit: '1G' }, /memoryRequest must not exceed memoryLimit "1G"/);
  });

  test('throws on a malformed or zero quantity', () => {
    expectError({ cpuRequest: '250 m' }, 'AppWorkloadChart web: cpuRequest must be a positive Kubernetes quantity such as 250m, 0.5 or 2, got "250 m"');
    expectError({ memoryLimit: '1GB' }, /memoryLimit must be a positive Kubernetes quantity such as 512Mi or 1Gi, got "1GB"/);
    expectError({ cpuLimit: '0' }, /cpuLimit must be a positive Kubernetes quantity/);
    expectError({ tmpVolumeSizeLimit: 'lots' }, /tmpVolumeSizeLimit must be a positive Kubernetes quantity/);
    expectError({ ephemeralStorageRequest: '0' }, /ephemeralStorageRequest must be a positive Kubernetes quantity such as 512Mi or 1Gi, got "0"/);
    expectError({ ephemeralStorageLimit: '1 Gi' }, /ephemeralStorageLimit must be a positive Kubernetes quantity such as 512Mi or 1Gi, got "1 Gi"/);
  });

  test('throws when liveness and readiness probes are identical', () => {
    const same = { path: '/health', initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
    expectError({ readinessProbe: same }, /^AppWorkloadChart web: livenessProbe and readinessProbe must not be identical, got both \{"path":"\/health".*\}: a pod that is briefly not ready would also be restarted/);
  });

  test('throws on malformed probe settings', () => {
    expectError({ livenessProbe: { path: 'health' } }, 'AppWorkloadChart web: livenessProbe.path must be an absolute HTTP path starting with "/", got "health"');
    expectError({ readinessProbe: { periodSeconds: 0 } }, /readinessProbe.periodSeconds must be an integer from 1 to 3600, got 0/);
  });

  test('throws on an untagged image', () => {
    expectError(
      { image: 'registry.example.com/shop/web' },
      'AppWorkloadChart web: image must name an explicit version tag or a sha256 digest (an untagged image means "latest", which changes under a running Deployment), got "registry.example.com/shop/web"',
    );
    expectError({ image: 'localhost:5000/web' }, /image must name an explicit version tag/);
  });

  test('throws on the latest tag', () => {
    expectError({ image: 'nginx:latest' }, 'AppWorkloadChart web: image must not use the "latest" tag; pin a version tag or a sha256 digest, got "nginx:latest"');
    expectError({ image: 'registry.example.com/web:LATEST' }, /must not use the "latest" tag/);
  });

  test('throws on a malformed image reference', () => {
    for (const image of ['Registry.example.com/Shop:1.0', 'shop web:1.0', 'web:1.0@sha256:abc', 'web:-bad']) {
      expectError({ image }, /image must be an image reference such as registry.example.com\/team\/app:1.4.2/);
    }
  });

  test('throws on names Kubernetes would reject', () => {
    expectError({ appName: 'Shop_Web' }, /^AppWorkloadChart web: appName must be a DNS-1035 label .*, got "Shop_Web"$/);
    expectError({ appName: '1shop' }, /appName must be a DNS-1035 label/);
    expectError({ appName: 'a'.repeat(64) }, /appName must be a DNS-1035 label/);
    expectError({ namespace: 'shop.prod' }, /^AppWorkloadChart web: namespace must be a DNS-1123 label: 1-63 lowercase .*, got "shop.prod"$/);
    expectError({ serviceAccountName: 'Runner' }, /serviceAccountName must be a DNS-1123 subdomain/);
    expectError({ envFromSecretNames: ['ok', 'Not_OK'] }, /envFromSecretNames\[1\] must be a DNS-1123 subdomain.*got "Not_OK"/);
    expectError({ envFromConfigMapNames: ['-x'] }, /envFromConfigMapNames\[0\] must be a DNS-1123 subdomain/);
    expectError({ settings: { 'LOG LEVEL': 'info' } }, /settings must be a ConfigMap or Secret key: 1-253 letters, digits, "-", "_" or ".", got "LOG LEVEL"/);
    expectError({ allowedIngressNamespaces: ['Monitoring'] }, /allowedIngressNamespaces\[0\] must be a DNS-1123 label/);
  });

  test('throws on a malformed Ingress', () => {
    expectError({ ingress: { host: 'shop', clusterIssuer: 'le' } }, /ingress.host must be a fully qualified lowercase DNS name/);
    expectError({ ingress: { host: 'shop.example.com', clusterIssuer: 'Lets Encrypt' } }, /ingress.clusterIssuer must be a DNS-1123 subdomain/);
    expectError({ ingress: { host: 'shop.example.com', clusterIssuer: 'le', controllerNamespace: 'Ingress' } }, /ingress.controllerNamespace must be a DNS-1123 label/);
    expectError({ ingress: { host: 'shop.example.com', clusterIssuer: 'le', rateLimitRequestsPerSecond: -1 } }, /ingress.rateLimitRequestsPerSecond must be an integer from 0 to 100000, got -1/);
  });

  test('throws on malformed CIDRs and ports', () => {
    expectError({ loadBalancerSourceCidrs: ['10.0.96.0/33'] }, 'AppWorkloadChart web: loadBalancerSourceCidrs must contain IPv4 CIDR blocks (a.b.c.d/n with no host bits set), got "10.0.96.0/33"');
    expectError({ dataStoreCidrs: ['10.0.120.1/22'] }, /dataStoreCidrs must contain IPv4 CIDR blocks/);
    expectError({ httpsEgressCidrs: ['anywhere'] }, /httpsEgressCidrs must contain IPv4 CIDR blocks/);
    // One CIDR-list rule for every construct (lib/core): a repeated block is a typo, refused here
    // as it is for the cluster's endpoint allow-lists.
    expectError({ httpsEgressCidrs: ['10.0.0.0/16', '10.0.0.0/16'] }, /httpsEgressCidrs must not repeat a CIDR block/);
    expectError({ containerPort: 70000 }, 'AppWorkloadChart web: containerPort must be an integer from 1 to 65535, got 70000');
    expectError({ dataStorePorts: [5432, 0] }, /dataStorePorts\[1\] must be an integer from 1 to 65535, got 0/);
    expectError({ dataStorePorts: [] }, /dataStorePorts must list at least one port when dataStoreCidrs is set/);
  });

  test('throws on a root or malformed user ID', () => {
    expectError({ runAsUser: 0 }, 'AppWorkloadChart web: runAsUser must be an integer from 1 to 2147483647, got 0');
    expectError({ runAsGroup: 1.5 }, /runAsGroup must be an integer/);
  });

  test('throws when an IAM role is given for a ServiceAccount the chart does not own', () => {
    expectError(
      { manageServiceAccount: false },
      'AppWorkloadChart web: serviceAccountRoleArn is set but manageServiceAccount is false: the ServiceAccount (and its IRSA annotation) belongs to the bootstrap stack then; give the role ARN to the ClusterBootstrapStack instead',
    );
  });

  test('throws on a malformed IAM role ARN', () => {
    expectError({ serviceAccountRoleArn: 'shop-web-role' }, /serviceAccountRoleArn must be an IAM role ARN .*, got "shop-web-role"/);
  });

  test('throws on an unknown environment', () => {
    expectError({ environment: 'prod' as EnvironmentTier }, /environment must be one of development, staging, production, got "prod"/);
  });
});

describe('AppWorkloadChart settings and autoscaling targets', () => {
  test('a setting whose name says it is a secret fails, never echoing its value, unless acknowledged as none', () => {
    expect(() => build({ settings: { STRIPE_API_KEY: 'sk_live_123' } })).toThrow(/settings\.STRIPE_API_KEY must not hold a secret: .*nonSecretSettings/);
    expect(() => build({ settings: { STRIPE_API_KEY: 'sk_live_123' } })).not.toThrow(/sk_live_123/);
    for (const key of ['DB_PASSWORD', 'SESSION_SECRET', 'GITHUB_TOKEN', 'PRIVATE_KEY', 'AWS_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'CREDENTIALS', 'db.password', 'db-password', 'dbPassword', 'oauthClientSecret']) {
      expect(() => build({ settings: { [key]: 'x' } })).toThrow(/must not hold a secret/);
    }
    // Names that only contain the words, or are about a secret rather than the secret, are fine.
    expect(() =>
      build({
        settings: {
          TOKENIZER_MODEL: 'bpe',
          PASSWORDLESS_LOGIN: 'true',
          REDIS_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
          TOKEN_TTL_SECONDS: '3600',
          PASSWORD_MIN_LENGTH: '12',
          OAUTH_TOKEN_URL: 'https://idp.example.com/token',
        },
      }),
    ).not.toThrow();
    // Anything else is acknowledged per key.
    expect(() => build({ settings: { TOKEN_AUDIENCE: 'shop' }, nonSecretSettings: ['TOKEN_AUDIENCE'] })).not.toThrow();
    expect(() => build({ settings: {}, nonSecretSettings: ['TOKEN_AUDIENCE'] })).toThrow(/nonSecretSettings\[0\] must name a key of settings/);
  });

  test('autoscaling targets above 100 % are legal up to what the limit allows, no further', () => {
    // Utilization is against the request: with cpuLimit 1 over cpuRequest 250m, up to 400 %.
    expect(() => build({ targetCpuUtilizationPercent: 150 })).not.toThrow();
    expect(() => build({ targetCpuUtilizationPercent: 400 })).not.toThrow();
    expect(() => build({ targetCpuUtilizationPercent: 401 })).toThrow(/targetCpuUtilizationPercent must be a whole number from 1 to 400 \(cpuLimit 1 over cpuRequest 250m/);
    expect(() => build({ memoryRequest: '256Mi', memoryLimit: '512Mi', targetMemoryUtilizationPercent: 150 })).not.toThrow();
    expect(() => build({ targetMemoryUtilizationPercent: 120 })).toThrow(/targetMemoryUtilizationPercent must be a whole number from 1 to 100/);
    expect(() => build({ targetCpuUtilizationPercent: 0 })).toThrow(/targetCpuUtilizationPercent must be a whole number from 1/);
    // 150m over 100m is 150 %, not 149.99...: floating point must not cut the ceiling.
    expect(() => build({ cpuRequest: '100m', cpuLimit: '150m', targetCpuUtilizationPercent: 150 })).not.toThrow();
  });
});

describe('AppWorkloadChart keeps Terraform out of the YAML', () => {
  test('throws when a prop holds a Terraform token', () => {
    const stack = new TerraformStack(TfTesting.app(), 'aws');
    const roleArn = new TerraformVariable(stack, 'role', { type: 'string' }).stringValue;
    expectError(
      { serviceAccountRoleArn: roleArn },
      /^AppWorkloadChart web: serviceAccountRoleArn must be a literal without "\$\{" \(YAML is not Terraform: pass names and literal values, and let the bootstrap stack put Terraform values into Secrets and ConfigMaps\), got "\$\{TfToken\[TOKEN\.\d+\]\}"$/,
    );
    const port = new TerraformVariable(stack, 'port', { type: 'number' }).numberValue;
    expectError({ containerPort: port }, /containerPort must be a literal without "\$\{"/);
  });

  test('throws on a "${" interpolation in nested props and settings, naming the property', () => {
    expectError({ settings: { DATABASE_HOST: '${aws_db_instance.db.address}' } }, /settings.DATABASE_HOST must be a literal without "\$\{"/);
    expectError({ dataStoreCidrs: ['${var.cidr}'] }, /dataStoreCidrs\[0\] must be a literal without "\$\{"/);
    expectError({ ingress: { host: 'shop.example.com', clusterIssuer: '${var.issuer}' } }, /ingress.clusterIssuer must be a literal/);
    expectError({ settings: { '${key}': 'x' } }, /settings.\$\{key\} must be a literal/);
  });

  test('fails synthesis when an object added to the chart later carries a Terraform interpolation', () => {
    const app = Testing.app();
    const chart = new AppWorkloadChart(app, 'web', PRODUCTION);
    new ApiObject(chart, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { X: '${var.x}' } } as any);
    expect(() => Testing.synth(chart)).toThrow(/AppWorkloadChart web: ConfigMap extra must not contain "\$\{"/);
  });

  test('validates props before creating any object, so a failed chart leaves nothing behind', () => {
    const app = Testing.app();
    expect(() => new AppWorkloadChart(app, 'bad', { ...PRODUCTION, image: 'nginx' })).toThrow();
    expect(app.node.tryFindChild('bad')?.node.children ?? []).toHaveLength(0);
  });
});
