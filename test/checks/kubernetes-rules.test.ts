import { Testing } from 'cdk8s';
import { AppWorkloadChart, AppWorkloadChartProps } from '../../lib/app-cluster/workload-chart';
import { evaluateKubernetes, KubernetesView } from '../../lib/checks/private/kubernetes';
import { KubernetesRule, KubernetesSubject } from '../../lib/checks/rule';
import { KUBERNETES_RULES } from '../../lib/checks/rules/kubernetes';
import { EnvironmentTier } from '../../lib/core';
import { MonitoringFormat } from '../../lib/monitoring-stack/monitoring-chart';
import { productionChart } from '../monitoring-stack/fixtures/production-chart';

// ---- Fixtures: plain manifests, as a chart renders them ----

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A container that passes every rule. */
function container(name: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    name,
    image: `registry.example.com/shop/${name}:1.4.2`,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { httpGet: { path: '/health', port: 'http' } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    ...overrides,
  };
}

/** A container without ports or probes, as an init container or a Job's container is written. */
function taskContainer(name: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  const { ports: _ports, readinessProbe: _readiness, livenessProbe: _liveness, ...rest } = container(name);
  return { ...rest, ...overrides };
}

interface WorkloadOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly replicas?: number;
  readonly podSpec?: Record<string, unknown>;
}

const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Pod: 'v1',
};

/** A workload of `kind` whose pods carry `labels` and run `podSpec` (one compliant container by default). */
function workload(kind: string, name: string, options: WorkloadOptions = {}): Record<string, any> {
  const labels = options.labels ?? { app: name };
  const podSpec = options.podSpec ?? { containers: [container(name)] };
  const metadata = { name, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) };
  const template = { metadata: { labels }, spec: podSpec };
  const replicas = options.replicas === undefined ? {} : { replicas: options.replicas };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: podSpec };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } } };
    case 'Job':
    case 'DaemonSet':
      return { apiVersion: API_VERSIONS[kind], kind, metadata, spec: { template } };
    default:
      return { apiVersion: API_VERSIONS[kind], kind, metadata, spec: { ...replicas, selector: { matchLabels: labels }, template } };
  }
}

function networkPolicy(name: string, podSelector: Record<string, unknown> | undefined, namespace?: string): Record<string, any> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { ...(podSelector === undefined ? {} : { podSelector }), policyTypes: ['Ingress', 'Egress'] },
  };
}

function disruptionBudget(name: string, spec: Record<string, unknown>, namespace?: string): Record<string, any> {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, ...(namespace === undefined ? {} : { namespace }) }, spec };
}

function autoscaler(name: string, target: { kind: string; name: string }, minReplicas: number | undefined, namespace?: string) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, ...(minReplicas === undefined ? {} : { minReplicas }), maxReplicas: 10 },
  };
}

/** The objects around a workload in namespace `shop` that make it compliant: a default-deny policy. */
const DENY_ALL = networkPolicy('default-deny-all', {}, 'shop');

/** A Deployment of 3 replicas with its budget and a default-deny policy: compliant with every rule. */
function compliantApp(): Array<Record<string, any>> {
  return [
    workload('Deployment', 'web', { namespace: 'shop', replicas: 3 }),
    disruptionBudget('web', { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 }, 'shop'),
    DENY_ALL,
  ];
}

// ---- Evaluation ----

function subjectOf(manifest: Record<string, any>, index: number): KubernetesSubject {
  return {
    manifest,
    kind: manifest.kind,
    name: manifest.metadata?.name ?? '',
    namespace: manifest.metadata?.namespace,
    path: `fixture/${index}`,
  };
}

interface Result {
  readonly rule: string;
  readonly object: string;
  readonly message: string;
}

function evaluate(manifests: Array<Record<string, any>>, rules: KubernetesRule[] = KUBERNETES_RULES): Result[] {
  return evaluateKubernetes(new KubernetesView(manifests.map(subjectOf)), rules).map((r) => ({
    rule: r.rule.id,
    object: `${r.subject.kind}/${r.subject.name}`,
    message: r.message,
  }));
}

/** `RULE-ID Kind/name` of each finding, sorted. */
function found(manifests: Array<Record<string, any>>): string[] {
  return evaluate(manifests)
    .map((r) => `${r.rule} ${r.object}`)
    .sort();
}

function messagesOf(manifests: Array<Record<string, any>>, ruleId: string): string[] {
  return evaluate(manifests)
    .filter((r) => r.rule === ruleId)
    .map((r) => r.message);
}

/** The compliant app, with the Deployment's first container changed. */
function appWithContainer(overrides: Record<string, unknown>, podOverrides: Record<string, unknown> = {}) {
  return [
    workload('Deployment', 'web', { namespace: 'shop', replicas: 3, podSpec: { containers: [container('web', overrides)], ...podOverrides } }),
    ...compliantApp().slice(1),
  ];
}

function securityContext(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...container('web').securityContext, ...overrides };
}

// ---- The rule list ----

describe('KUBERNETES_RULES', () => {
  test('is sorted by ID, with unique GW-K8S- IDs', () => {
    const ids = KUBERNETES_RULES.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'GW-K8S-IMAGE-NOT-PINNED',
      'GW-K8S-NETWORK-POLICY-COVERAGE',
      'GW-K8S-PDB-REPLICAS',
      'GW-K8S-POD-SECURITY-CONTEXT',
      'GW-K8S-PROBES',
      'GW-K8S-READ-ONLY-ROOT-FS',
      'GW-K8S-RESOURCES',
    ]);
  });

  test('every rule describes itself and names only known scanners', () => {
    for (const rule of KUBERNETES_RULES) {
      expect(rule.kind).toBe('kubernetes');
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.rationale).toMatch(/\.$/);
      expect(rule.fix).toMatch(/\.$/);
      expect(rule.objectKinds.length).toBeGreaterThan(0);
      for (const equivalent of rule.equivalents ?? []) {
        expect(equivalent).toMatch(/^(kube-score [a-z-]+|kube-linter [a-z-]+|checkov CKV_K8S_\d+)$/);
      }
    }
  });

  test('the compliant app has no finding at all', () => {
    expect(found(compliantApp())).toEqual([]);
  });
});

// ---- GW-K8S-POD-SECURITY-CONTEXT ----

describe('GW-K8S-POD-SECURITY-CONTEXT', () => {
  const ID = 'GW-K8S-POD-SECURITY-CONTEXT';

  test('passes a container that sets every field, and a non-root user inherited from the pod', () => {
    expect(found(appWithContainer({}))).toEqual([]);
    const inherited = appWithContainer(
      { securityContext: securityContext({ runAsNonRoot: undefined }) },
      { securityContext: { runAsUser: 10001 } },
    );
    expect(found(inherited)).toEqual([]);
    const podNonRoot = appWithContainer({ securityContext: securityContext({ runAsNonRoot: undefined }) }, { securityContext: { runAsNonRoot: true } });
    expect(found(podNonRoot)).toEqual([]);
  });

  test('flags a container without a security context, naming it and every missing field', () => {
    const manifests = appWithContainer({ securityContext: { readOnlyRootFilesystem: true } });
    expect(found(manifests)).toEqual([`${ID} Deployment/web`]);
    const [message] = messagesOf(manifests, ID);
    expect(message).toContain('container "web"');
    expect(message).toContain('may run as root');
    expect(message).toContain('allowPrivilegeEscalation is not false');
    expect(message).toContain('capabilities.drop does not include ALL');
    expect(message).not.toContain('privileged');
  });

  test('flags privileged, root user 0 and a container that overrides the pod\'s runAsNonRoot', () => {
    expect(messagesOf(appWithContainer({ securityContext: securityContext({ privileged: true }) }), ID)).toEqual([
      'container "web": is privileged',
    ]);
    expect(messagesOf(appWithContainer({ securityContext: securityContext({ runAsUser: 0 }) }), ID)).toEqual([
      'container "web": runAsUser is 0 (root)',
    ]);
    const overridden = appWithContainer(
      { securityContext: securityContext({ runAsNonRoot: false }) },
      { securityContext: { runAsNonRoot: true } },
    );
    expect(messagesOf(overridden, ID)).toEqual([expect.stringMatching(/^container "web": may run as root/)]);
    expect(messagesOf(appWithContainer({ securityContext: securityContext({ capabilities: { drop: ['NET_RAW'] } }) }), ID)).toEqual([
      'container "web": capabilities.drop does not include ALL',
    ]);
    const addsBack = securityContext({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } });
    expect(messagesOf(appWithContainer({ securityContext: addsBack }), ID)).toEqual(['container "web": capabilities.add adds SYS_ADMIN']);
    const bindsLowPort = securityContext({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    expect(messagesOf(appWithContainer({ securityContext: bindsLowPort }), ID)).toEqual([]);
  });

  test('checks init containers too, and the CronJob pod template', () => {
    const migrate = taskContainer('migrate', { securityContext: { runAsNonRoot: true } });
    const manifests = [
      workload('Deployment', 'web', {
        namespace: 'shop',
        replicas: 3,
        podSpec: { initContainers: [migrate], containers: [container('web')] },
      }),
      ...compliantApp().slice(1),
    ];
    expect(found(manifests)).toEqual([`${ID} Deployment/web`, 'GW-K8S-READ-ONLY-ROOT-FS Deployment/web']);
    expect(messagesOf(manifests, ID)).toEqual([
      'init container "migrate": allowPrivilegeEscalation is not false, capabilities.drop does not include ALL',
    ]);

    const cronJob = workload('CronJob', 'report', {
      namespace: 'shop',
      podSpec: { restartPolicy: 'OnFailure', containers: [taskContainer('report', { securityContext: securityContext({ allowPrivilegeEscalation: true }) })] },
    });
    expect(found([cronJob, DENY_ALL])).toEqual([`${ID} CronJob/report`]);
    expect(messagesOf([cronJob, DENY_ALL], ID)).toEqual(['container "report": allowPrivilegeEscalation is not false']);
  });

  test('applies to every workload kind', () => {
    const bare = { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', resources: container('x').resources }] };
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']) {
      const results = evaluate([workload(kind, 'app', { namespace: 'shop', podSpec: bare }), DENY_ALL]);
      expect(results.filter((r) => r.rule === ID).map((r) => r.object)).toEqual([`${kind}/app`]);
    }
  });
});

// ---- GW-K8S-READ-ONLY-ROOT-FS ----

describe('GW-K8S-READ-ONLY-ROOT-FS', () => {
  const ID = 'GW-K8S-READ-ONLY-ROOT-FS';

  test('passes a read-only root filesystem', () => {
    expect(messagesOf(appWithContainer({}), ID)).toEqual([]);
  });

  test('flags a writable or unset root filesystem, naming the containers', () => {
    const writable = appWithContainer({ securityContext: securityContext({ readOnlyRootFilesystem: false }) });
    expect(found(writable)).toEqual([`${ID} Deployment/web`]);
    expect(messagesOf(writable, ID)).toEqual(['container "web": securityContext.readOnlyRootFilesystem is not true']);

    const unset = [
      workload('StatefulSet', 'db', {
        namespace: 'shop',
        podSpec: {
          initContainers: [taskContainer('init-db', { securityContext: securityContext({ readOnlyRootFilesystem: undefined }) })],
          containers: [container('db'), container('sidecar', { securityContext: securityContext({ readOnlyRootFilesystem: undefined }) })],
        },
      }),
      DENY_ALL,
    ];
    expect(messagesOf(unset, ID)).toEqual(['init container "init-db", container "sidecar": securityContext.readOnlyRootFilesystem is not true']);
  });
});

// ---- GW-K8S-RESOURCES ----

describe('GW-K8S-RESOURCES', () => {
  const ID = 'GW-K8S-RESOURCES';

  test('passes CPU and memory requests with a memory limit, and needs no CPU limit', () => {
    expect(messagesOf(appWithContainer({}), ID)).toEqual([]);
  });

  test('flags each missing request or limit, naming the container', () => {
    const noResources = appWithContainer({ resources: undefined });
    expect(found(noResources)).toEqual([`${ID} Deployment/web`]);
    expect(messagesOf(noResources, ID)).toEqual(['container "web" sets no requests.cpu, requests.memory, limits.memory']);
    const limitsOnly = appWithContainer({ resources: { limits: { cpu: '1', memory: '256Mi' } } });
    expect(messagesOf(limitsOnly, ID)).toEqual(['container "web" sets no requests.cpu, requests.memory']);
  });

  test('checks init containers and the CronJob pod template', () => {
    const cronJob = workload('CronJob', 'report', {
      namespace: 'shop',
      podSpec: {
        restartPolicy: 'OnFailure',
        initContainers: [taskContainer('fetch', { resources: { requests: { cpu: '50m', memory: '64Mi' } } })],
        containers: [taskContainer('report')],
      },
    });
    expect(found([cronJob, DENY_ALL])).toEqual([`${ID} CronJob/report`]);
    expect(messagesOf([cronJob, DENY_ALL], ID)).toEqual(['init container "fetch" sets no limits.memory']);
  });
});

// ---- GW-K8S-PROBES ----

describe('GW-K8S-PROBES', () => {
  const ID = 'GW-K8S-PROBES';

  test('passes readiness and liveness probes, and a portless worker with only a liveness probe', () => {
    expect(messagesOf(appWithContainer({}), ID)).toEqual([]);
    const worker = appWithContainer({ ports: undefined, readinessProbe: undefined });
    expect(messagesOf(worker, ID)).toEqual([]);
  });

  test('flags a serving container without readiness and liveness probes, naming it', () => {
    const manifests = appWithContainer({ readinessProbe: undefined, livenessProbe: undefined });
    expect(found(manifests)).toEqual([`${ID} Deployment/web`]);
    expect(messagesOf(manifests, ID)).toEqual(['container "web" has no readinessProbe (it declares ports) and no livenessProbe']);
  });

  test('flags every main container of StatefulSets and DaemonSets, never init containers', () => {
    const daemonSet = workload('DaemonSet', 'agent', {
      namespace: 'shop',
      podSpec: { initContainers: [taskContainer('setup')], containers: [taskContainer('agent')] },
    });
    expect(found([daemonSet, DENY_ALL])).toEqual([`${ID} DaemonSet/agent`]);
    expect(messagesOf([daemonSet, DENY_ALL], ID)).toEqual(['container "agent" has no livenessProbe']);
    const statefulSet = workload('StatefulSet', 'db', { namespace: 'shop', podSpec: { containers: [container('db', { livenessProbe: undefined })] } });
    expect(messagesOf([statefulSet, DENY_ALL], ID)).toEqual(['container "db" has no livenessProbe']);
  });

  test('leaves Jobs, CronJobs and bare Pods alone', () => {
    const noProbes = { restartPolicy: 'Never', containers: [container('task', { readinessProbe: undefined, livenessProbe: undefined })] };
    for (const kind of ['Job', 'CronJob', 'Pod']) {
      expect(messagesOf([workload(kind, 'task', { namespace: 'shop', podSpec: noProbes }), DENY_ALL], ID)).toEqual([]);
    }
  });
});

// ---- GW-K8S-NETWORK-POLICY-COVERAGE ----

describe('GW-K8S-NETWORK-POLICY-COVERAGE', () => {
  const ID = 'GW-K8S-NETWORK-POLICY-COVERAGE';
  const web = (namespace?: string) => workload('Deployment', 'web', { namespace, labels: { app: 'web', tier: 'front' } });
  const coveredBy = (...policies: Array<Record<string, any>>) => messagesOf([web('shop'), ...policies], ID).length === 0;

  test('passes pods selected by an empty selector, by matchLabels or by matching expressions', () => {
    expect(coveredBy(networkPolicy('deny', {}, 'shop'))).toBe(true);
    expect(coveredBy(networkPolicy('web', { matchLabels: { app: 'web' } }, 'shop'))).toBe(true);
    expect(coveredBy(networkPolicy('in', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, 'shop'))).toBe(true);
    expect(coveredBy(networkPolicy('notin', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, 'shop'))).toBe(true);
    expect(coveredBy(networkPolicy('exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, 'shop'))).toBe(true);
    expect(coveredBy(networkPolicy('absent', { matchExpressions: [{ key: 'debug', operator: 'DoesNotExist' }] }, 'shop'))).toBe(true);
    expect(
      coveredBy(
        networkPolicy(
          'both',
          { matchLabels: { tier: 'front' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
          'shop',
        ),
      ),
    ).toBe(true);
  });

  test('puts objects without a namespace in default', () => {
    expect(messagesOf([web(undefined), networkPolicy('deny', {})], ID)).toEqual([]);
    expect(messagesOf([web(undefined), networkPolicy('deny', {}, 'default')], ID)).toEqual([]);
    expect(messagesOf([web('default'), networkPolicy('deny', {})], ID)).toEqual([]);
  });

  test('flags pods no policy selects: other labels, failing expressions, another namespace, no policy', () => {
    expect(coveredBy()).toBe(false);
    expect(coveredBy(networkPolicy('api', { matchLabels: { app: 'api' } }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('subset', { matchLabels: { app: 'web', tier: 'back' } }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('in', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('notin', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('exists', { matchExpressions: [{ key: 'debug', operator: 'Exists' }] }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('absent', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('bogus', { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }, 'shop'))).toBe(false);
    expect(coveredBy(networkPolicy('elsewhere', {}, 'payments'))).toBe(false);
    expect(coveredBy(networkPolicy('default-ns', {}))).toBe(false);
  });

  test('names the workload, its namespace and its pod labels', () => {
    const manifests = [web('shop'), networkPolicy('api', { matchLabels: { app: 'api' } }, 'shop')];
    expect(found(manifests)).toEqual([`${ID} Deployment/web`]);
    expect(messagesOf(manifests, ID)).toEqual([
      'no NetworkPolicy in namespace "shop" selects the pods of Deployment web (app=web,tier=front): they accept traffic from any pod and may connect anywhere',
    ]);
  });

  test('uses the CronJob pod template labels and a Pod\'s own labels', () => {
    const cronJob = workload('CronJob', 'report', { namespace: 'shop', labels: { app: 'report' }, podSpec: { containers: [taskContainer('report')] } });
    const policy = networkPolicy('report', { matchLabels: { app: 'report' } }, 'shop');
    expect(messagesOf([cronJob, policy], ID)).toEqual([]);
    expect(messagesOf([cronJob], ID)).toEqual([expect.stringContaining('CronJob report (app=report)')]);
    const pod = workload('Pod', 'debug', { namespace: 'shop', labels: { app: 'debug' }, podSpec: { containers: [taskContainer('debug')] } });
    expect(messagesOf([pod, policy], ID)).toEqual([expect.stringContaining('Pod debug (app=debug)')]);
  });
});

// ---- GW-K8S-PDB-REPLICAS ----

describe('GW-K8S-PDB-REPLICAS', () => {
  const ID = 'GW-K8S-PDB-REPLICAS';
  const select = { matchLabels: { app: 'web' } };
  const web = (replicas?: number, kind = 'Deployment') => workload(kind, 'web', { namespace: 'shop', replicas });
  const findingsOf = (...manifests: Array<Record<string, any>>) =>
    evaluate([...manifests, DENY_ALL])
      .filter((r) => r.rule === ID)
      .map((r) => `${r.object}: ${r.message}`);

  test('passes budgets that leave at least one pod evictable', () => {
    expect(findingsOf(web(3), disruptionBudget('web', { selector: select, minAvailable: 2 }, 'shop'))).toEqual([]);
    expect(findingsOf(web(3), disruptionBudget('web', { selector: select, maxUnavailable: 1 }, 'shop'))).toEqual([]);
    expect(findingsOf(web(3), disruptionBudget('web', { selector: select, maxUnavailable: '10%' }, 'shop'))).toEqual([]);
    expect(findingsOf(web(3), disruptionBudget('web', { selector: select, minAvailable: '50%' }, 'shop'))).toEqual([]);
    expect(findingsOf(web(2, 'StatefulSet'), disruptionBudget('web', { selector: select, minAvailable: 1 }, 'shop'))).toEqual([]);
  });

  test('flags minAvailable that reaches the literal replicas, naming the budget and the workload', () => {
    expect(findingsOf(web(2), disruptionBudget('web', { selector: select, minAvailable: 2 }, 'shop'))).toEqual([
      'PodDisruptionBudget/web: minAvailable 2 is not below the 2 replica(s) of Deployment web (spec.replicas): ' +
        'no pod it selects can be evicted, so node drains and cluster upgrades hang',
    ]);
    expect(findingsOf(web(1), disruptionBudget('web', { selector: select, minAvailable: 1 }, 'shop'))).toEqual([
      expect.stringMatching(/^PodDisruptionBudget\/web: minAvailable 1 is not below the 1 replica\(s\) of Deployment web/),
    ]);
    // 75% of 3 rounds up to 3.
    expect(findingsOf(web(3, 'StatefulSet'), disruptionBudget('web', { selector: select, minAvailable: '75%' }, 'shop'))).toEqual([
      expect.stringMatching(/^PodDisruptionBudget\/web: minAvailable "75%" is not below the 3 replica\(s\) of StatefulSet web/),
    ]);
  });

  test('flags maxUnavailable 0 and minAvailable 100% whatever they select', () => {
    for (const spec of [{ maxUnavailable: 0 }, { maxUnavailable: '0%' }, { minAvailable: '100%' }]) {
      const expected = `PodDisruptionBudget/web: ${Object.keys(spec)[0]} ${JSON.stringify(Object.values(spec)[0])}: no pod it selects can be evicted`;
      expect(findingsOf(web(3), disruptionBudget('web', { selector: select, ...spec }, 'shop'))).toEqual([expect.stringContaining(expected)]);
      expect(findingsOf(disruptionBudget('other', { selector: { matchLabels: { app: 'elsewhere' } }, ...spec }, 'shop'))).toEqual([
        expect.stringMatching(/^PodDisruptionBudget\/other: /),
      ]);
    }
  });

  test('weighs the budget against the autoscaler\'s minReplicas, not spec.replicas', () => {
    const hpa = autoscaler('web', { kind: 'Deployment', name: 'web' }, 2, 'shop');
    expect(findingsOf(web(5), hpa, disruptionBudget('web', { selector: select, minAvailable: 2 }, 'shop'))).toEqual([
      expect.stringContaining('minAvailable 2 is not below the 2 replica(s) of Deployment web (minReplicas of HorizontalPodAutoscaler web)'),
    ]);
    // Without spec.replicas the autoscaler still gives the count; its minReplicas defaults to 1.
    expect(findingsOf(web(undefined), hpa, disruptionBudget('web', { selector: select, minAvailable: 1 }, 'shop'))).toEqual([]);
    const noMin = autoscaler('web', { kind: 'Deployment', name: 'web' }, undefined, 'shop');
    expect(findingsOf(web(undefined), noMin, disruptionBudget('web', { selector: select, minAvailable: 1 }, 'shop'))).toEqual([
      expect.stringContaining('the 1 replica(s) of Deployment web (minReplicas of HorizontalPodAutoscaler web)'),
    ]);
    // An autoscaler of another workload, or in another namespace, does not count.
    const otherTarget = autoscaler('api', { kind: 'Deployment', name: 'api' }, 1, 'shop');
    const otherNamespace = autoscaler('web', { kind: 'Deployment', name: 'web' }, 1, 'payments');
    expect(findingsOf(web(3), otherTarget, otherNamespace, disruptionBudget('web', { selector: select, minAvailable: 2 }, 'shop'))).toEqual([]);
  });

  test('matches budgets to workloads by selector expressions and namespace', () => {
    const byExpression = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
    expect(findingsOf(web(2), disruptionBudget('web', { selector: byExpression, minAvailable: 2 }, 'shop'))).toEqual([
      expect.stringContaining('of Deployment web'),
    ]);
    const notWeb = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
    // Selects no pod of web: web is unprotected, the budget blocks nothing known.
    expect(findingsOf(web(2), disruptionBudget('others', { selector: notWeb, minAvailable: 2 }, 'shop'))).toEqual([
      expect.stringMatching(/^Deployment\/web: Deployment web runs 2 replicas \(spec.replicas\) but no PodDisruptionBudget/),
    ]);
    expect(findingsOf(web(2), disruptionBudget('web', { selector: select, minAvailable: 2 }, 'payments'))).toEqual([
      expect.stringMatching(/^Deployment\/web: /),
    ]);
  });

  test('flags a Deployment or StatefulSet of 2 or more replicas that no budget selects', () => {
    expect(findingsOf(web(2))).toEqual([
      'Deployment/web: Deployment web runs 2 replicas (spec.replicas) but no PodDisruptionBudget in namespace "shop" ' +
        'selects its pods (app=web): a node drain may evict them all at once',
    ]);
    expect(findingsOf(web(3, 'StatefulSet'))).toEqual([expect.stringMatching(/^StatefulSet\/web: StatefulSet web runs 3 replicas/)]);
    const hpa = autoscaler('web', { kind: 'Deployment', name: 'web' }, 3, 'shop');
    expect(findingsOf(web(undefined), hpa)).toEqual([
      expect.stringContaining('Deployment web runs 3 replicas (minReplicas of HorizontalPodAutoscaler web)'),
    ]);
    // A budget without selector selects nothing.
    expect(findingsOf(web(2), disruptionBudget('web', { maxUnavailable: 1 }, 'shop'))).toEqual([expect.stringMatching(/^Deployment\/web: /)]);
  });

  test('leaves single replicas, unknown counts and other workload kinds alone', () => {
    expect(findingsOf(web(1))).toEqual([]);
    expect(findingsOf(web(undefined))).toEqual([]);
    expect(findingsOf(workload('ReplicaSet', 'web', { namespace: 'shop', replicas: 3 }))).toEqual([]);
    expect(findingsOf(web(3), disruptionBudget('all', { selector: {}, maxUnavailable: 1 }, 'shop'))).toEqual([]);
  });
});

// ---- GW-K8S-IMAGE-NOT-PINNED ----

describe('GW-K8S-IMAGE-NOT-PINNED', () => {
  const ID = 'GW-K8S-IMAGE-NOT-PINNED';
  const withImage = (image: unknown) => messagesOf(appWithContainer({ image }), ID);

  test('passes version tags and digests, with or without a registry port', () => {
    for (const image of [
      'nginx:1.27',
      'registry.example.com/team/app:1.4.2',
      'registry:5000/app:2024-06-01',
      'localhost:5000/team/app:v3',
      `repo@${DIGEST}`,
      `registry:5000/app@${DIGEST}`,
      `nginx:latest@${DIGEST}`,
    ]) {
      expect([image, withImage(image)]).toEqual([image, []]);
    }
  });

  test('flags no tag, latest, a registry port mistaken for a tag, a malformed digest and no image', () => {
    expect(found(appWithContainer({ image: 'nginx' }))).toEqual([`${ID} Deployment/web`]);
    expect(withImage('nginx')).toEqual(['container "web" uses image "nginx" without a tag (it means "latest")']);
    expect(withImage('nginx:latest')).toEqual(['container "web" uses image "nginx:latest", tagged latest']);
    expect(withImage('registry.example.com/team/app:LATEST')).toEqual([expect.stringContaining('tagged latest')]);
    expect(withImage('registry:5000/app')).toEqual(['container "web" uses image "registry:5000/app" without a tag (it means "latest")']);
    expect(withImage('registry:5000/team/app')).toEqual([expect.stringContaining('without a tag')]);
    expect(withImage('nginx@sha256:abc')).toEqual(['container "web" uses image "nginx@sha256:abc", whose digest is malformed']);
    expect(withImage(undefined)).toEqual(['container "web" has no image']);
  });

  test('checks init containers and the CronJob pod template, naming each container', () => {
    const cronJob = workload('CronJob', 'report', {
      namespace: 'shop',
      podSpec: {
        initContainers: [taskContainer('fetch', { image: 'busybox' })],
        containers: [taskContainer('report', { image: 'registry:5000/report:latest' })],
      },
    });
    expect(found([cronJob, DENY_ALL])).toEqual([`${ID} CronJob/report`]);
    expect(messagesOf([cronJob, DENY_ALL], ID)).toEqual([
      'init container "fetch" uses image "busybox" without a tag (it means "latest"); ' +
        'container "report" uses image "registry:5000/report:latest", tagged latest',
    ]);
  });
});

// ---- The library's own charts ----

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2';

describe('the library\'s own charts pass the rules', () => {
  const WORKLOAD_RULES = [
    'GW-K8S-POD-SECURITY-CONTEXT',
    'GW-K8S-READ-ONLY-ROOT-FS',
    'GW-K8S-RESOURCES',
    'GW-K8S-PROBES',
    'GW-K8S-NETWORK-POLICY-COVERAGE',
    'GW-K8S-IMAGE-NOT-PINNED',
  ];

  const configurations: Array<[string, Partial<AppWorkloadChartProps>]> = [
    ['production with every option', {
      environment: EnvironmentTier.PRODUCTION,
      settings: { LOG_LEVEL: 'info' },
      envFromSecretNames: ['shop-web-connection'],
      serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/shop-production-shop-web',
      loadBalancerSourceCidrs: ['10.0.96.0/22'],
      dataStoreCidrs: ['10.0.120.0/22'],
      httpsEgressCidrs: ['10.0.0.0/16'],
      metricsPort: 9090,
      ingress: { host: 'shop.example.com', clusterIssuer: 'letsencrypt-production' },
    }],
    ['production, least props', { environment: EnvironmentTier.PRODUCTION }],
    ['development, one replica', { environment: EnvironmentTier.DEVELOPMENT, minReplicas: 1, maxReplicas: 2 }],
    ['no startup probe, no preStop sleep', { environment: EnvironmentTier.STAGING, startupTimeoutSeconds: 0, preStopSleepSeconds: 0 }],
  ];

  test.each(configurations)('AppWorkloadChart (%s): no finding on the Deployment, and none on the chart at all', (_name, props) => {
    const chart = new AppWorkloadChart(Testing.app(), 'web', { appName: 'shop-web', namespace: 'shop', environment: EnvironmentTier.PRODUCTION, image: IMAGE, ...props });
    const results = evaluate(Testing.synth(chart));
    expect(results.filter((r) => r.object === 'Deployment/shop-web' && WORKLOAD_RULES.includes(r.rule))).toEqual([]);
    // The disruption budget rule too: the chart's PDB leaves a pod evictable at minReplicas.
    expect(results).toEqual([]);
  });

  test('MonitoringChart with the exporters on renders no workload, so no rule finds anything', () => {
    for (const format of [undefined, MonitoringFormat.PROMETHEUS_CONFIG]) {
      const manifests: any[] = Testing.synth(productionChart({ postgresExporter: {}, redisExporter: {}, ...(format ? { format } : {}) }));
      expect(manifests.length).toBeGreaterThan(0);
      expect(evaluate(manifests)).toEqual([]);
    }
  });
});
