/**
 * scripts/deploy.mjs against recording fakes of aws, cdktf, terraform, helm, kubectl and curl
 * (test/deploy/fake-tools.ts): the exact calls, in order, and the exit code, for the paths
 * docs/deploy-plan.md specifies. No cluster, no sleeps (DEPLOY_POLL_SECONDS=0), except the one
 * test that lets a Job wait run into a deadline of a few seconds (DEPLOY_DEADLINE_SECONDS_OVERRIDE).
 *
 * Every call of a fake is a node start-up, so the scenarios run concurrently, each in its own
 * sandbox.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rule, Sandbox } from './fake-tools';

const JOB = 'jsonpath={.status.succeeded},{.status.failed},{.status.conditions[?(@.type=="Failed")].status}';
const REVISION = 'jsonpath={.metadata.name},{.metadata.annotations.deployment\\.kubernetes\\.io/revision}';
const REPLICAS = 'jsonpath={.spec.replicas},{.status.updatedReplicas},{.status.availableReplicas}';
const RESOURCE_VERSION = 'jsonpath={.metadata.resourceVersion}';
const CONFIG_VERSIONS = 'jsonpath={.spec.template.metadata.annotations.groundwork\\.dev/config-versions}';
const APPLY = 'kubectl apply --server-side --force-conflicts --field-manager=cdktf-groundwork -f';
const MANIFEST_SELECTOR = '!groundwork.dev/migration';
const MIGRATION = 'orders-api-migrate-5e6f7a8b';
const USERS = 'shop-database-users-1a2b3c4d';

/**
 * The production plan: two workloads (orders-api migrates), a database, two add-ons, the
 * cluster's Alertmanager Secret (required) and orders-api's own alert routing Secret (expected).
 */
function productionPlan(): Record<string, any> {
  return {
    formatVersion: 1,
    environment: 'production',
    region: 'eu-west-1',
    clusterName: 'shop-production',
    cdktfOut: '../..',
    stacks: { aws: 'shop-production-aws', bootstrap: 'shop-production-k8s' },
    autoScalingServiceLinkedRole: 'ensure',
    apiAccessHint: 'The API endpoint is private: run the deploy job on the runner in the VPC (runs-on: [self-hosted, shop-production]).',
    requiredSecrets: [{ namespace: 'monitoring', name: 'alertmanager-slack', keys: ['url'] }],
    expectedSecrets: [{ namespace: 'orders-api', name: 'orders-api-alert-receivers', keys: ['pagerduty-routing-key'] }],
    addOns: [
      {
        release: 'aws-load-balancer-controller',
        chart: 'aws-load-balancer-controller',
        repository: 'https://aws.github.io/eks-charts',
        version: '1.13.4',
        namespace: 'kube-system',
        valuesFile: 'aws-load-balancer-controller-values.yaml',
        valuesFromOutputs: { vpcId: 'app_vpc_id', clusterName: 'app_cluster_name' },
        timeoutSeconds: 600,
      },
      {
        release: 'kube-prometheus-stack',
        chart: 'kube-prometheus-stack',
        repository: 'https://prometheus-community.github.io/helm-charts',
        version: '75.15.1',
        namespace: 'monitoring',
        valuesFile: 'kube-prometheus-stack-values.yaml',
        valuesFromOutputs: {},
        timeoutSeconds: 900,
      },
    ],
    databases: [
      {
        manifestFile: '../../manifests/production/shop-database-jobs.k8s.yaml',
        namespace: 'database-jobs',
        usersJob: USERS,
        backupCronJob: 'shop-database-backup',
        backupBeforeDeploy: true,
        timeoutSeconds: 3600,
      },
    ],
    migrations: [
      {
        service: 'orders-api',
        namespace: 'orders-api',
        job: MIGRATION,
        manifestFile: '../../manifests/production/orders-api.k8s.yaml',
        // The Job, its NetworkPolicy and the settings ConfigMap it reads.
        selector: 'groundwork.dev/migration-of=orders-api',
        serviceSelector: 'groundwork.dev/migration-of=orders-api',
        timeoutSeconds: 600,
      },
    ],
    manifestFiles: [
      '../../manifests/production/shop-web.k8s.yaml',
      '../../manifests/production/orders-api.k8s.yaml',
      '../../manifests/production/shop-database-jobs.k8s.yaml',
    ],
    manifestSelector: MANIFEST_SELECTOR,
    workloads: [
      {
        service: 'shop-web',
        namespace: 'shop-web',
        deployment: 'shop-web',
        serviceName: 'shop-web',
        servicePort: 80,
        healthPath: '/healthz',
        configObjects: ['secret/shop-web-connection', 'configmap/shop-web-infrastructure'],
      },
      {
        service: 'orders-api',
        namespace: 'orders-api',
        deployment: 'orders-api',
        serviceName: 'orders-api',
        servicePort: 8080,
        healthPath: '/ready',
        configObjects: ['secret/orders-api-connection'],
      },
    ],
    rolloutTimeoutSeconds: 600,
    healthCheckTimeoutSeconds: 30,
    deadlineMinutes: 90,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const kubectl = (match: string, answer: Partial<Rule> = {}): Rule => ({ tool: 'kubectl', match, ...answer });
const getJob = (jobOrPrefix: string) => `get job ${escape(jobOrPrefix)}`;
const getDeployment = (d: string) => `get deployment ${d} -o ${escape(REVISION)}`;
const getConfig = (object: string) => `get ${object} -o`;
const getConfigVersions = (d: string) => `get deployment ${d} -o ${escape(CONFIG_VERSIONS)}`;

// What `helm show crds` prints for each chart (shortened): `---`, a Source comment, the CRD.
const crds = (chart: string, names: string[]) =>
  names.map((name) => `---\n# Source: ${chart}/crds/${name}.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`).join('');
const LBC_CRDS = crds('aws-load-balancer-controller', ['ingressclassparams.elbv2.k8s.aws', 'targetgroupbindings.elbv2.k8s.aws']);
const KPS_CRDS = crds('kube-prometheus-stack/charts/crds', ['prometheuses.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com']);
// The config versions the pods of a later release started with (what step 6 finds in the cluster).
const SHOP_WEB_CONFIG = 'secret/shop-web-connection=1001,configmap/shop-web-infrastructure=1002';
const ORDERS_API_CONFIG = 'secret/orders-api-connection=1003';

// A sensitive output that must never reach the log.
const DB_PASSWORD = 'never-print-this-3f9a';
const SLACK_URL_BASE64 = 'aHR0cHM6Ly9ob29rcy5zbGFjay5jb20vc2VydmljZXMvVDAwL0IwMC9YWFg=';
const PAGERDUTY_KEY_BASE64 = 'cGQtcm91dGluZy1rZXktZG8tbm90LWxlYWs=';

/** Answers every deploy needs, after the scenario's own (first match wins). */
const COMMON: Rule[] = [
  {
    tool: 'terraform',
    match: 'output -json',
    stdout: JSON.stringify({
      app_vpc_id: { sensitive: false, type: 'string', value: 'vpc-0abc1234' },
      app_cluster_name: { sensitive: false, type: 'string', value: 'shop-production' },
      app_database_password: { sensitive: true, type: 'string', value: DB_PASSWORD },
    }),
  },
  kubectl('get secret alertmanager-slack -o json', { stdout: JSON.stringify({ kind: 'Secret', data: { url: SLACK_URL_BASE64 } }) }),
  kubectl('get secret orders-api-alert-receivers -o json', { stdout: JSON.stringify({ kind: 'Secret', data: { 'pagerduty-routing-key': PAGERDUTY_KEY_BASE64 } }) }),
  kubectl(`get deployment (shop-web|orders-api) -o ${escape(REPLICAS)}`, { stdout: '2,2,2' }),
  { tool: 'helm', match: '^show crds aws-load-balancer-controller ', stdout: LBC_CRDS },
  { tool: 'helm', match: '^show crds kube-prometheus-stack ', stdout: KPS_CRDS },
  kubectl(' logs job/', { stdout: 'ERROR: relation "orders" already exists\n' }),
  { tool: 'curl', stdout: '200' },
];

/** First deploy: no service-linked role, nothing in the cluster yet. */
function firstDeploy(): Rule[] {
  return [
    { tool: 'aws', match: 'iam get-role', exitCode: 254, stderr: NO_SUCH_ROLE },
    // Config objects: created by the bootstrap stack, read after the manifests are applied.
    kubectl(getConfig('secret/shop-web-connection'), { stdout: '1001' }),
    kubectl(getConfig('configmap/shop-web-infrastructure'), { stdout: '1002' }),
    kubectl(getConfig('secret/orders-api-connection'), { stdout: '1003' }),
    // Jobs: absent at the first look, then (the migration after one running poll) complete.
    kubectl(getJob(USERS), { times: 1 }),
    kubectl(getJob(USERS), { stdout: '1,,' }),
    kubectl(getJob('shop-database-backup-predeploy-'), { times: 1 }),
    kubectl(getJob('shop-database-backup-predeploy-'), { stdout: '1,,' }),
    kubectl(getJob(MIGRATION), { times: 1 }),
    kubectl(getJob(MIGRATION), { stdout: ',,', times: 1 }),
    kubectl(getJob(MIGRATION), { stdout: '1,,' }),
    // Deployments: absent before step 6; just created, they have no config-versions annotation.
    ...COMMON,
  ];
}

/** A later release: everything exists, the config is what the pods started with, the migration already ran. */
function upgrade(): Rule[] {
  return [
    kubectl(getConfig('secret/shop-web-connection'), { stdout: '1001' }),
    kubectl(getConfig('configmap/shop-web-infrastructure'), { stdout: '1002' }),
    kubectl(getConfig('secret/orders-api-connection'), { stdout: '1003' }),
    kubectl(getConfigVersions('shop-web'), { stdout: SHOP_WEB_CONFIG }),
    kubectl(getConfigVersions('orders-api'), { stdout: ORDERS_API_CONFIG }),
    kubectl(getJob(USERS), { stdout: '1,,' }),
    kubectl(getJob('shop-database-backup-predeploy-'), { times: 1 }),
    kubectl(getJob('shop-database-backup-predeploy-'), { stdout: '1,,' }),
    kubectl(getJob(MIGRATION), { stdout: '1,,' }),
    kubectl(getDeployment('shop-web'), { stdout: 'shop-web,7' }),
    kubectl(getDeployment('orders-api'), { stdout: 'orders-api,3' }),
    ...COMMON,
  ];
}

// The expected calls, step by step (<plan>: the plan's directory, <out>: cdktf.out).
const ROLE_CREATED = ['aws iam get-role --role-name AWSServiceRoleForAutoScaling', 'aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com'];
const ROLE_PRESENT = ['aws iam get-role --role-name AWSServiceRoleForAutoScaling'];
const NO_SUCH_ROLE = 'An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name AWSServiceRoleForAutoScaling cannot be found.\n';
const CDKTF_AWS = 'cdktf deploy shop-production-aws --auto-approve --skip-synth --ignore-missing-stack-dependencies';
const KUBECTL_VERSION = 'kubectl version --request-timeout=20s';
const AWS_STACK = [CDKTF_AWS, 'terraform -chdir=<out>/stacks/shop-production-aws output -json', 'aws eks update-kubeconfig --name shop-production --region eu-west-1', KUBECTL_VERSION];
const SECRET_CHECK = 'kubectl -n monitoring get secret alertmanager-slack -o json';
const HELM_LBC =
  'helm upgrade --install aws-load-balancer-controller aws-load-balancer-controller --repo https://aws.github.io/eks-charts --version 1.13.4 ' +
  '--namespace kube-system --create-namespace --values <plan>/aws-load-balancer-controller-values.yaml ' +
  '--set-string vpcId=vpc-0abc1234 --set-string clusterName=shop-production --atomic --wait --timeout 600s';
const HELM_KPS =
  'helm upgrade --install kube-prometheus-stack kube-prometheus-stack --repo https://prometheus-community.github.io/helm-charts --version 75.15.1 ' +
  '--namespace monitoring --create-namespace --values <plan>/kube-prometheus-stack-values.yaml --atomic --wait --timeout 900s';
// Before each upgrade, the chart's CRDs (Helm never upgrades them), applied from stdin.
const SHOW_CRDS_LBC = 'helm show crds aws-load-balancer-controller --repo https://aws.github.io/eks-charts --version 1.13.4';
const SHOW_CRDS_KPS = 'helm show crds kube-prometheus-stack --repo https://prometheus-community.github.io/helm-charts --version 75.15.1';
const CRD_APPLY = `${APPLY} -`;
const ADD_ONS = [SECRET_CHECK, SHOW_CRDS_LBC, CRD_APPLY, HELM_LBC, SHOW_CRDS_KPS, CRD_APPLY, HELM_KPS];
const jobStatus = (namespace: string, job: string) => `kubectl -n ${namespace} get job ${job} -o ${JOB} --ignore-not-found`;
const DB_JOBS_FILE = '<out>/manifests/production/shop-database-jobs.k8s.yaml';
const CDKTF_BOOTSTRAP = 'cdktf deploy shop-production-k8s --auto-approve --skip-synth --ignore-missing-stack-dependencies';
const EXPECTED_SECRET_CHECK = 'kubectl -n orders-api get secret orders-api-alert-receivers -o json';
const BOOTSTRAP = [
  CDKTF_BOOTSTRAP,
  jobStatus('database-jobs', USERS),
  `${APPLY} ${DB_JOBS_FILE}`,
  jobStatus('database-jobs', USERS),
  // After the users Jobs: the bootstrap stack created the namespace the Secret lives in.
  EXPECTED_SECRET_CHECK,
];
const backup = (runId: string) => [
  jobStatus('database-jobs', `shop-database-backup-predeploy-${runId}`),
  `kubectl -n database-jobs create job shop-database-backup-predeploy-${runId} --from=cronjob/shop-database-backup`,
  jobStatus('database-jobs', `shop-database-backup-predeploy-${runId}`),
];
const MIGRATION_APPLY = `${APPLY} <out>/manifests/production/orders-api.k8s.yaml --selector groundwork.dev/migration-of=orders-api`;
const MIGRATION_RUN = [
  jobStatus('orders-api', MIGRATION),
  MIGRATION_APPLY,
  jobStatus('orders-api', MIGRATION), // running
  jobStatus('orders-api', MIGRATION), // succeeded
  `kubectl -n orders-api delete job --selector groundwork.dev/migration-of=orders-api --field-selector metadata.name!=${MIGRATION} --ignore-not-found`,
];
const MIGRATION_SKIPPED = [jobStatus('orders-api', MIGRATION)];
const APPLY_MANIFESTS = [
  `kubectl -n shop-web get deployment shop-web -o ${REVISION} --ignore-not-found`,
  `kubectl -n orders-api get deployment orders-api -o ${REVISION} --ignore-not-found`,
  // Without the migration Jobs and their NetworkPolicies (step 5 applied them; a Job's template is immutable).
  `${APPLY} <out>/manifests/production/shop-web.k8s.yaml --selector ${MANIFEST_SELECTOR}`,
  `${APPLY} <out>/manifests/production/orders-api.k8s.yaml --selector ${MANIFEST_SELECTOR}`,
  `${APPLY} ${DB_JOBS_FILE} --selector ${MANIFEST_SELECTOR}`,
];
// After the apply, per workload: its config objects' resourceVersions, then the annotation that
// records the ones its pods started with.
const readConfig = (namespace: string, object: string) => `kubectl -n ${namespace} get ${object} -o ${RESOURCE_VERSION} --ignore-not-found`;
const readConfigVersions = (namespace: string, d: string) => `kubectl -n ${namespace} get deployment ${d} -o ${CONFIG_VERSIONS} --ignore-not-found`;
const CONFIG_CHECK_SHOP_WEB = [readConfig('shop-web', 'secret/shop-web-connection'), readConfig('shop-web', 'configmap/shop-web-infrastructure'), readConfigVersions('shop-web', 'shop-web')];
const CONFIG_CHECK_ORDERS_API = [readConfig('orders-api', 'secret/orders-api-connection'), readConfigVersions('orders-api', 'orders-api')];
const patchConfigVersions = (namespace: string, d: string, value: string) =>
  `kubectl -n ${namespace} patch deployment ${d} --type=merge -p {"spec":{"template":{"metadata":{"annotations":{"groundwork.dev/config-versions":"${value}"}}}}}`;
/** Step 6 of a later release whose config is what the pods started with: nothing patched. */
const MANIFESTS = [...APPLY_MANIFESTS, ...CONFIG_CHECK_SHOP_WEB, ...CONFIG_CHECK_ORDERS_API];
/** Step 6 of a first deploy: no annotation yet, so both templates get one before their first rollout. */
const FIRST_MANIFESTS = [
  ...APPLY_MANIFESTS,
  ...CONFIG_CHECK_SHOP_WEB,
  patchConfigVersions('shop-web', 'shop-web', SHOP_WEB_CONFIG),
  ...CONFIG_CHECK_ORDERS_API,
  patchConfigVersions('orders-api', 'orders-api', ORDERS_API_CONFIG),
];
const ROLLOUT_SHOP_WEB = 'kubectl -n shop-web rollout status deployment/shop-web --timeout=600s';
const ROLLOUT_ORDERS_API = 'kubectl -n orders-api rollout status deployment/orders-api --timeout=600s';
const ROLLOUTS = [ROLLOUT_SHOP_WEB, ROLLOUT_ORDERS_API];
const curl = (path: string) => `curl --silent --show-error --fail --max-time 30 -o /dev/null -w %{http_code} http://127.0.0.1:40123${path}`;
const VERIFY_SHOP_WEB = [`kubectl -n shop-web get deployment shop-web -o ${REPLICAS}`, 'kubectl -n shop-web port-forward svc/shop-web :80', curl('/healthz')];
const VERIFY_ORDERS_API = [`kubectl -n orders-api get deployment orders-api -o ${REPLICAS}`, 'kubectl -n orders-api port-forward svc/orders-api :8080', curl('/ready')];
const UNDO_SHOP_WEB = 'kubectl -n shop-web rollout undo deployment/shop-web --to-revision=7';
const UNDO_ORDERS_API = 'kubectl -n orders-api rollout undo deployment/orders-api --to-revision=3';
const ROLLBACK = [UNDO_SHOP_WEB, ROLLOUT_SHOP_WEB, UNDO_ORDERS_API, ROLLOUT_ORDERS_API];
/** Steps 0–5 of a later release (run 4243: its backup is new, the migration already ran). */
const UPGRADE_TO_STEP_5 = [...ROLE_PRESENT, ...AWS_STACK, ...ADD_ONS, ...BOOTSTRAP, ...backup('4243'), ...MIGRATION_SKIPPED];

const sandboxes: Sandbox[] = [];
function sandbox(change: (plan: Record<string, any>) => void = () => {}): Sandbox {
  const plan = productionPlan();
  change(plan);
  const s = new Sandbox(plan);
  sandboxes.push(s);
  return s;
}
afterAll(() => sandboxes.forEach((s) => s.remove()));

const upgradeArgs = (s: Sandbox) => [s.planPath, '--run-id', '4243'];

/** The summary line of step n: `  n. <title> <status>`. */
const summary = (n: number, status: string) => new RegExp(`^  ${n}\\. .+ ${status}\\b`, 'm');
const EXIT_1 = 'failed before any workload was updated (no rollback needed; the AWS stack, add-ons, bootstrap stack, database users or schema may have changed)';

describe('scripts/deploy.mjs', () => {
  test.concurrent('first deploy: every step in order, exit 0, secrets never printed', async () => {
    const s = sandbox();
    const r = await s.run(firstDeploy());
    expect(r.calls).toEqual([
      ...ROLE_CREATED,
      ...AWS_STACK,
      ...ADD_ONS,
      ...BOOTSTRAP,
      ...backup('4242'),
      ...MIGRATION_RUN,
      // The new Deployments get their config-versions annotation before the rollout is waited for.
      ...FIRST_MANIFESTS,
      ...ROLLOUTS,
      ...VERIFY_SHOP_WEB,
      ...VERIFY_ORDERS_API,
    ]);
    expect(r.status).toBe(0);
    // cdktf runs where cdktf.json is: the directory that holds cdktf.out.
    expect(r.rawCalls.filter((c) => c.tool === 'cdktf').map((c) => c.cwd)).toEqual([`${s.root}/project`, `${s.root}/project`]);
    // Each chart's CRDs reach kubectl on stdin as helm printed them; no other call gets a stdin.
    expect(r.rawCalls.filter((c) => c.stdin !== undefined).map((c) => [c.args.join(' '), c.stdin])).toEqual([
      [CRD_APPLY.replace(/^kubectl /, ''), LBC_CRDS],
      [CRD_APPLY.replace(/^kubectl /, ''), KPS_CRDS],
    ]);
    expect(r.stdout).toContain('aws-load-balancer-controller 1.13.4: applying its 2 CRD(s) before the upgrade');
    expect(r.stdout).toContain('kube-prometheus-stack 75.15.1: applying its 3 CRD(s) before the upgrade');
    expect(r.stdout).not.toContain('kind: CustomResourceDefinition');
    expect(r.stdout + r.stderr).not.toContain(DB_PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(SLACK_URL_BASE64);
    expect(r.stdout + r.stderr).not.toContain(PAGERDUTY_KEY_BASE64);
    expect(r.stdout).not.toMatch(/WARNING/);
    for (let n = 0; n <= 8; n++) expect(r.stdout).toMatch(summary(n, 'ok'));
    expect(r.stdout).toMatch(summary(9, 'skipped'));
    expect(r.stdout).toMatch(/result: exit 0, deployed/);
  });

  test.concurrent('re-run of a migrated release: the migration Job is not applied again', async () => {
    const s = sandbox();
    const r = await s.run(upgrade(), { args: upgradeArgs(s) });
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, ...VERIFY_ORDERS_API]);
    expect(r.calls).not.toContain(MIGRATION_APPLY);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`job/${MIGRATION}: skipped, the release is already migrated`);
  });

  test.concurrent('an add-on that fails stops the deploy before the bootstrap stack: exit 1', async () => {
    const s = sandbox();
    const r = await s.run([{ tool: 'helm', match: '^upgrade --install aws-load-balancer-controller ', exitCode: 1, stderr: 'Error: UPGRADE FAILED: context deadline exceeded\n' }, ...firstDeploy()]);
    expect(r.calls).toEqual([...ROLE_CREATED, ...AWS_STACK, SECRET_CHECK, SHOW_CRDS_LBC, CRD_APPLY, HELM_LBC]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(summary(2, 'failed'));
    expect(r.stdout).toMatch(summary(3, 'skipped'));
    expect(r.stdout).toContain(`result: exit 1, ${EXIT_1}`);
  });

  describe("the add-ons' CRDs, applied before each upgrade (Helm installs them on first install only)", () => {
    // The bootstrap stack fails: the run ends right after step 2.
    const stopAfterAddOns: Rule = { tool: 'cdktf', match: 'deploy shop-production-k8s', exitCode: 1 };

    test.concurrent('a chart without CRDs (empty `helm show crds`) skips the apply', async () => {
      const s = sandbox();
      const r = await s.run([stopAfterAddOns, { tool: 'helm', match: '^show crds aws-load-balancer-controller ', stdout: '' }, ...upgrade()], { args: upgradeArgs(s) });
      expect(r.calls).toEqual([...ROLE_PRESENT, ...AWS_STACK, SECRET_CHECK, SHOW_CRDS_LBC, HELM_LBC, SHOW_CRDS_KPS, CRD_APPLY, HELM_KPS, CDKTF_BOOTSTRAP]);
      expect(r.rawCalls.filter((c) => c.stdin !== undefined).map((c) => c.stdin)).toEqual([KPS_CRDS]);
      expect(r.stdout).toContain('aws-load-balancer-controller 1.13.4 has no CRDs');
      expect(r.stdout).toMatch(summary(2, 'ok'));
      expect(r.status).toBe(1);
    });

    test.concurrent('a CRD apply or a `helm show crds` that fails stops step 2 before the upgrade: exit 1', async () => {
      const s = sandbox();
      const apply = await s.run(
        [kubectl('^apply .* -f -$', { exitCode: 1, stderr: 'error: resource mapping not found for name: "x": no matches for kind "CustomResourceDefinition"\n' }), ...upgrade()],
        { args: upgradeArgs(s) },
      );
      expect(apply.calls).toEqual([...ROLE_PRESENT, ...AWS_STACK, SECRET_CHECK, SHOW_CRDS_LBC, CRD_APPLY]);
      expect(apply.status).toBe(1);
      expect(apply.stderr).toContain('step 2 (required Secrets and add-ons) failed: add-on aws-load-balancer-controller: could not apply the CRDs of aws-load-balancer-controller 1.13.4 (kubectl exited 1)');
      expect(apply.stdout).toMatch(summary(3, 'skipped'));
      expect(apply.stdout).toContain(`result: exit 1, ${EXIT_1}`);
      const show = await s.run(
        [{ tool: 'helm', match: '^show crds kube-prometheus-stack ', exitCode: 1, stderr: 'Error: chart "kube-prometheus-stack" version "75.15.1" not found\n' }, ...upgrade()],
        { args: upgradeArgs(s) },
      );
      expect(show.calls).toEqual([...ROLE_PRESENT, ...AWS_STACK, SECRET_CHECK, SHOW_CRDS_LBC, CRD_APPLY, HELM_LBC, SHOW_CRDS_KPS]);
      expect(show.status).toBe(1);
      expect(show.stderr).toContain('add-on kube-prometheus-stack: could not read the CRDs of kube-prometheus-stack 75.15.1 (helm exited 1)');
    });
  });

  test.concurrent("a receiver Secret missing a key stops the deploy before the add-ons: exit 1, naming Secret and key, never its values", async () => {
    const s = sandbox((plan) => {
      plan.requiredSecrets = [{ namespace: 'monitoring', name: 'alertmanager-slack', keys: ['url', 'platform-url'] }];
    });
    const r = await s.run(firstDeploy());
    expect(r.calls).toEqual([...ROLE_CREATED, ...AWS_STACK, SECRET_CHECK]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('secret/alertmanager-slack in monitoring lacks the key(s) platform-url');
    expect(r.stdout + r.stderr).not.toContain(SLACK_URL_BASE64);
    expect(r.stdout).toMatch(summary(2, 'failed'));
  });

  test.concurrent('a failed migration prints its logs and stops before the manifests: exit 1', async () => {
    const s = sandbox();
    const r = await s.run([kubectl(getJob(MIGRATION), { times: 1 }), kubectl(getJob(MIGRATION), { stdout: ',1,True' }), ...firstDeploy()]);
    expect(r.calls).toEqual([
      ...ROLE_CREATED,
      ...AWS_STACK,
      ...ADD_ONS,
      ...BOOTSTRAP,
      ...backup('4242'),
      jobStatus('orders-api', MIGRATION),
      MIGRATION_APPLY,
      jobStatus('orders-api', MIGRATION),
      `kubectl -n orders-api logs job/${MIGRATION} --all-containers --tail=200`,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR: relation "orders" already exists');
    expect(r.stderr).toContain(`job/${MIGRATION} in orders-api failed`);
  });

  test.concurrent('a rollout that times out rolls every workload back to its previous revision: exit 2', async () => {
    const s = sandbox();
    const r = await s.run([kubectl('rollout status deployment/orders-api', { exitCode: 1, times: 1, stderr: 'error: timed out waiting for the condition\n' }), ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...ROLLBACK]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(summary(7, 'failed'));
    expect(r.stdout).toMatch(summary(8, 'skipped'));
    expect(r.stdout).toMatch(summary(9, 'ok'));
    expect(r.stdout).toMatch(/result: exit 2, a workload failed and was rolled back/);
  });

  test.concurrent('a failed health check stops the port-forward and rolls back: exit 2', async () => {
    const s = sandbox();
    const r = await s.run([{ tool: 'curl', match: '/healthz', exitCode: 22, stdout: '503', stderr: 'curl: (22) The requested URL returned error: 503\n' }, ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, ...ROLLBACK]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('health check of shop-web failed: http://127.0.0.1:40123/healthz answered 503');
  });

  test.concurrent('a health path answering 3xx fails too (curl --fail exits 0 for it)', async () => {
    const s = sandbox();
    const r = await s.run([{ tool: 'curl', match: '/ready', stdout: '302' }, ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, ...VERIFY_ORDERS_API, ...ROLLBACK]);
    expect(r.status).toBe(2);
  });

  test.concurrent('an undo that fails: the others are still undone, exit 3, a human is needed', async () => {
    const s = sandbox();
    const r = await s.run(
      [
        kubectl('rollout status deployment/shop-web', { exitCode: 1, times: 1 }),
        kubectl('rollout undo deployment/shop-web', { exitCode: 1, stderr: 'error: unable to find specified revision 7 in history\n' }),
        ...upgrade(),
      ],
      { args: upgradeArgs(s) },
    );
    expect(r.calls).toEqual([
      ...UPGRADE_TO_STEP_5,
      ...MANIFESTS,
      ROLLOUT_SHOP_WEB,
      'kubectl -n shop-web rollout undo deployment/shop-web --to-revision=7',
      'kubectl -n orders-api rollout undo deployment/orders-api --to-revision=3',
      ROLLOUT_ORDERS_API,
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('a human is needed');
    expect(r.stdout).toMatch(summary(9, 'failed'));
  });

  test.concurrent('a first deploy that fails has nothing to go back to: exit 3, nothing undone', async () => {
    const s = sandbox();
    const r = await s.run([kubectl('rollout status deployment/shop-web', { exitCode: 1 }), ...firstDeploy()]);
    expect(r.calls.slice(-FIRST_MANIFESTS.length - 1)).toEqual([...FIRST_MANIFESTS, ROLLOUT_SHOP_WEB]);
    expect(r.calls.filter((c) => c.includes('rollout undo'))).toEqual([]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('deployment/shop-web in shop-web did not exist before this run: there is no earlier revision to go back to');
  });

  test.concurrent('a re-run after a failure restarts the pods whose config changed: the Secret differs from the annotation, so it is patched; equal versions are not', async () => {
    const s = sandbox();
    // Run 1: the bootstrap stack changes shop-web's connection Secret (1001 → 1187), then the
    // backup cannot start: exit 1 in step 4, nothing recorded or restarted.
    const failed = await s.run([kubectl('create job shop-database-backup-predeploy-', { exitCode: 1 }), ...upgrade()], { args: upgradeArgs(s) });
    expect(failed.status).toBe(1);
    expect(failed.calls.filter((c) => / patch | rollout /.test(c))).toEqual([]);
    // Run 2, the re-run: the bootstrap stack has nothing left to change, but shop-web's pods
    // started with 1001. orders-api's versions equal its annotation: not patched.
    const shopWebNow = 'secret/shop-web-connection=1187,configmap/shop-web-infrastructure=1002';
    const rerun = await s.run([kubectl(getConfig('secret/shop-web-connection'), { stdout: '1187' }), ...upgrade()], { args: upgradeArgs(s) });
    expect(rerun.calls).toEqual([
      ...UPGRADE_TO_STEP_5,
      ...APPLY_MANIFESTS,
      ...CONFIG_CHECK_SHOP_WEB,
      // After the apply, before the rollout is waited for: step 7 waits for the restarted pods.
      patchConfigVersions('shop-web', 'shop-web', shopWebNow),
      ...CONFIG_CHECK_ORDERS_API,
      ...ROLLOUTS,
      ...VERIFY_SHOP_WEB,
      ...VERIFY_ORDERS_API,
    ]);
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toContain(`deployment/shop-web: its pods started with config ${SHOP_WEB_CONFIG}, now ${shopWebNow}: setting groundwork.dev/config-versions, which restarts them`);
    expect(rerun.stdout).toMatch(/^ {2}6\. .+ ok +3 file\(s\) applied; config versions set \(pods restart\): shop-web$/m);
  });

  test.concurrent('a Deployment without the annotation (deployed before it existed, or rolled back to such a template) is patched; a workload without configObjects or healthPath is skipped there and checked by replicas only', async () => {
    const s = sandbox((plan) => Object.assign(plan.workloads[1], { healthPath: null, configObjects: [] }));
    const r = await s.run([kubectl(getConfigVersions('shop-web')), ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls).toEqual([
      ...UPGRADE_TO_STEP_5,
      ...APPLY_MANIFESTS,
      ...CONFIG_CHECK_SHOP_WEB,
      patchConfigVersions('shop-web', 'shop-web', SHOP_WEB_CONFIG),
      ...ROLLOUTS,
      ...VERIFY_SHOP_WEB,
      `kubectl -n orders-api get deployment orders-api -o ${REPLICAS}`,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('deployment/shop-web: its pods started with config (none recorded)');
  });

  test.concurrent('the Auto Scaling service-linked role is created only when get-role says NoSuchEntity', async () => {
    // The AWS stack fails at once, to look at step 0 alone (step 1 is its first call).
    const failAws: Rule = { tool: 'cdktf', exitCode: 1 };
    const present = await sandbox().run([failAws, { tool: 'aws', match: 'iam get-role', stdout: '{"Role": {}}' }]);
    expect(present.calls).toEqual([...ROLE_PRESENT, CDKTF_AWS]);
    expect(present.status).toBe(1);
    const absent = await sandbox().run([failAws, { tool: 'aws', match: 'iam get-role', exitCode: 254, stderr: NO_SUCH_ROLE }]);
    expect(absent.calls).toEqual([...ROLE_CREATED, CDKTF_AWS]);
    const byTerraform = await sandbox((plan) => (plan.autoScalingServiceLinkedRole = 'terraform')).run([failAws]);
    expect(byTerraform.calls).toEqual([CDKTF_AWS]);
    expect(byTerraform.stdout).toMatch(summary(0, 'skipped'));
  });

  test.concurrent('any other get-role error (AccessDenied, throttling) fails step 0 naming it: nothing is created, exit 1', async () => {
    const denied = await sandbox().run([
      {
        tool: 'aws',
        match: 'iam get-role',
        exitCode: 254,
        stderr: 'An error occurred (AccessDenied) when calling the GetRole operation: User: arn:aws:sts::111122223333:assumed-role/deploy/gh is not authorized to perform: iam:GetRole\n',
      },
    ]);
    expect(denied.calls).toEqual(ROLE_PRESENT);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain('step 0 (Auto Scaling service-linked role) failed: aws iam get-role --role-name AWSServiceRoleForAutoScaling failed with AccessDenied (aws exited 254)');
    expect(denied.stdout).toMatch(summary(0, 'failed'));
    expect(denied.stdout).toContain(`result: exit 1, ${EXIT_1}`);
    const throttled = await sandbox().run([{ tool: 'aws', match: 'iam get-role', exitCode: 255, stderr: 'An error occurred (Throttling) when calling the GetRole operation (reached max retries: 2): Rate exceeded\n' }]);
    expect(throttled.calls).toEqual(ROLE_PRESENT);
    expect(throttled.status).toBe(1);
    expect(throttled.stderr).toContain('failed with Throttling (aws exited 255)');
  });

  test.concurrent('an expected Secret that is missing is a warning after the bootstrap stack, listed in the summary: the deploy goes on, exit 0', async () => {
    const s = sandbox();
    const r = await s.run(
      [kubectl('get secret orders-api-alert-receivers', { exitCode: 1, stderr: 'Error from server (NotFound): secrets "orders-api-alert-receivers" not found\n' }), ...upgrade()],
      { args: upgradeArgs(s) },
    );
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, ...VERIFY_ORDERS_API]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('deploy: WARNING: secret/orders-api-alert-receivers in orders-api is missing (keys pagerduty-routing-key)');
    expect(r.stderr).toContain('kubectl -n orders-api create secret generic orders-api-alert-receivers --from-literal=pagerduty-routing-key=<value>');
    expect(r.stdout).toMatch(/^ {2}3\. .+ ok +.*WARNING: 1 expected Secret\(s\) missing or incomplete$/m);
    expect(r.stdout).toMatch(/^warnings \(1\):\n {2}WARNING: secret\/orders-api-alert-receivers in orders-api is missing \(keys pagerduty-routing-key\)$/m);
    expect(r.stdout).toMatch(/result: exit 0, deployed/);
  });

  test.concurrent('an expected Secret lacking a key is a warning too, listed in the summary of a run that fails later; its values are never printed', async () => {
    const s = sandbox((plan) => plan.expectedSecrets[0].keys.push('slack-url'));
    // The backup cannot start: the run ends in step 4, right after the check.
    const r = await s.run([kubectl('create job shop-database-backup-predeploy-', { exitCode: 1 }), ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls.slice(-3)).toEqual([EXPECTED_SECRET_CHECK, ...backup('4243').slice(0, 2)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deploy: WARNING: secret/orders-api-alert-receivers in orders-api lacks the key(s) slack-url');
    expect(r.stdout).toContain('  WARNING: secret/orders-api-alert-receivers in orders-api lacks the key(s) slack-url');
    expect(r.stdout + r.stderr).not.toContain(PAGERDUTY_KEY_BASE64);
  });

  test.concurrent('verification: an HPA that scaled right after the rollout passes; a Deployment scaled to 0 is checked by replicas only', async () => {
    const s = sandbox();
    const r = await s.run(
      [
        // shop-web: the HPA asked for 4 after the rollout, 2 are up so far.
        kubectl(`get deployment shop-web -o ${escape(REPLICAS)}`, { stdout: '4,2,2' }),
        kubectl(`get deployment orders-api -o ${escape(REPLICAS)}`, { stdout: '0,,' }),
        ...upgrade(),
      ],
      { args: upgradeArgs(s) },
    );
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, `kubectl -n orders-api get deployment orders-api -o ${REPLICAS}`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('deployment/shop-web: 4 desired, 2 updated, 2 available');
  });

  test.concurrent('verification: no updated or no available replica fails and rolls back: exit 2', async () => {
    const s = sandbox();
    const r = await s.run([kubectl(`get deployment orders-api -o ${escape(REPLICAS)}`, { stdout: '2,0,2' }), ...upgrade()], { args: upgradeArgs(s) });
    expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ...ROLLOUTS, ...VERIFY_SHOP_WEB, `kubectl -n orders-api get deployment orders-api -o ${REPLICAS}`, ...ROLLBACK]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('deployment/orders-api has 0 updated and 2 available replica(s) of 2: at least one of each is needed');
  });

  describe('the deadline (deadlineMinutes; DEPLOY_DEADLINE_SECONDS_OVERRIDE shortens it)', () => {
    /** Waits only where the test wants them: no add-ons, no databases. */
    const lean = (plan: Record<string, any>) => Object.assign(plan, { deadlineMinutes: 10, addOns: [], databases: [] });

    test.concurrent('a migration Job that does not finish is given up on at the deadline, minus the margin kept for a rollback: exit 1', async () => {
      const s = sandbox(lean);
      // 126 s: after the 120 s margin and the steps before (1–3 s of fake calls), a wait of a few
      // seconds is left. Polls every 0.25 s, to keep the fake calls few.
      const r = await s.run([kubectl(getJob(MIGRATION), { times: 1 }), kubectl(getJob(MIGRATION), { stdout: ',,' }), ...firstDeploy()], {
        env: { DEPLOY_DEADLINE_SECONDS_OVERRIDE: '126', DEPLOY_POLL_SECONDS: '0.25' },
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`waiting for job/${MIGRATION} in orders-api \\(timeout [1-6]s, cut from 600s by the deploy's deadline\\)`));
      expect(r.stderr).toMatch(
        new RegExp(`step 5 \\(migrations\\) failed: job/${MIGRATION} in orders-api did not complete within [1-6]s \\(last state: running\\): the deploy's deadline of 10 minutes is reached \\(shortened to 126 s by DEPLOY_DEADLINE_SECONDS_OVERRIDE\\)`),
      );
      expect(r.calls).toContain(MIGRATION_APPLY);
      expect(r.calls[r.calls.length - 1]).toBe(`kubectl -n orders-api logs job/${MIGRATION} --all-containers --tail=200`);
      expect(r.stdout).toMatch(summary(6, 'skipped'));
      expect(r.stdout).toContain(`result: exit 1, ${EXIT_1}`);
    });

    test.concurrent('past the deadline in steps 6–8 the rollback still runs, each rollout given at least 60 s: exit 2', async () => {
      const s = sandbox((plan) => Object.assign(lean(plan), { migrations: [] }));
      const r = await s.run(upgrade(), { args: upgradeArgs(s), env: { DEPLOY_DEADLINE_SECONDS_OVERRIDE: '0' } });
      expect(r.calls).toEqual([
        ...ROLE_PRESENT,
        ...AWS_STACK,
        SECRET_CHECK,
        CDKTF_BOOTSTRAP,
        EXPECTED_SECRET_CHECK,
        ...MANIFESTS,
        // Step 7 does not wait at all: nothing is left of the deadline.
        UNDO_SHOP_WEB,
        'kubectl -n shop-web rollout status deployment/shop-web --timeout=60s',
        UNDO_ORDERS_API,
        'kubectl -n orders-api rollout status deployment/orders-api --timeout=60s',
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("step 7 (rollout) failed: the deploy's deadline of 10 minutes is reached (shortened to 0 s by DEPLOY_DEADLINE_SECONDS_OVERRIDE)");
      expect(r.stdout).toMatch(summary(9, 'ok'));
    });
  });

  describe('SIGINT/SIGTERM (a cancelled job): forwarded once, the script waits for the tools, no rollback', () => {
    test.concurrent('during the AWS stack: cdktf gets SIGINT alone (not the SIGTERM after it), is waited for, exit 1', async () => {
      const s = sandbox();
      const r = await s.run([{ tool: 'cdktf', match: 'deploy shop-production-aws', hang: true, exitDelayMs: 700 }, ...firstDeploy()], {
        signals: [
          { signal: 'SIGINT', afterCall: '^cdktf deploy shop-production-aws' },
          { signal: 'SIGTERM', delayMs: 100 },
        ],
      });
      expect(r.calls).toEqual([...ROLE_CREATED, CDKTF_AWS]);
      // "exited" is recorded 700 ms after the signal: the script was still there to wait for it.
      expect(r.signals).toEqual(['cdktf got SIGINT', 'cdktf exited']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('deploy: SIGINT: stopping. Forwarding it to the running tool(s) (cdktf)');
      expect(r.stdout).toMatch(summary(1, 'stopped'));
      expect(r.stdout).toMatch(summary(2, 'skipped'));
      expect(r.stdout).toContain(`result: exit 1, stopped by SIGINT: ${EXIT_1}`);
    });

    test.concurrent('during a rollout: nothing is rolled back, the workloads may be mid-rollout, exit 3', async () => {
      const s = sandbox();
      const r = await s.run([kubectl('rollout status deployment/shop-web', { hang: true }), ...upgrade()], {
        args: upgradeArgs(s),
        signals: [{ signal: 'SIGTERM', afterCall: '^kubectl -n shop-web rollout status' }],
      });
      expect(r.calls).toEqual([...UPGRADE_TO_STEP_5, ...MANIFESTS, ROLLOUT_SHOP_WEB]);
      expect(r.signals).toEqual(['kubectl got SIGTERM', 'kubectl exited']);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('the workloads may be mid-rollout and nothing was rolled back');
      expect(r.stdout).toMatch(summary(7, 'stopped'));
      expect(r.stdout).toMatch(/^ {2}9\. .+ skipped not attempted \(stopped by SIGTERM\)$/m);
      expect(r.stdout).toMatch(/result: exit 3, STOPPED BY SIGTERM after the manifests were applied/);
    });
  });

  test.concurrent('an unreachable API stops the deploy with the plan\'s hint: exit 1', async () => {
    const s = sandbox();
    const r = await s.run([kubectl('^version', { exitCode: 1, stderr: 'Unable to connect to the server: dial tcp 10.0.12.7:443: i/o timeout\n' }), ...firstDeploy()]);
    expect(r.calls).toEqual([...ROLE_CREATED, ...AWS_STACK]);
    expect(r.calls[r.calls.length - 1]).toBe(KUBECTL_VERSION);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(productionPlan().apiAccessHint);
  });

  test.concurrent('the backup Job name stays a DNS label: the CronJob part is cut, the run id from GITHUB_RUN_ID', async () => {
    const cronJob = 'shop-database-logical-backup-to-s3-with-a-very-long-name-xyz'; // 60 characters
    const s = sandbox((plan) => (plan.databases[0].backupCronJob = cronJob));
    // The backup fails, to stop right after it.
    const r = await s.run([kubectl('get job shop-database-logical', { times: 1 }), kubectl('get job shop-database-logical', { stdout: ',1,True' }), ...firstDeploy()], {
      args: [s.planPath],
      env: { GITHUB_RUN_ID: '16011234567' },
    });
    const job = `${cronJob.slice(0, 63 - '-predeploy-16011234567'.length)}-predeploy-16011234567`;
    expect(job).toHaveLength(63);
    expect(r.calls.slice(-3)).toEqual([
      `kubectl -n database-jobs create job ${job} --from=cronjob/${cronJob}`,
      jobStatus('database-jobs', job),
      `kubectl -n database-jobs logs job/${job} --all-containers --tail=200`,
    ]);
    expect(r.status).toBe(1);
  });

  describe('an invalid plan or invalid arguments: exit 64 before any tool runs', () => {
    test.concurrent('names each wrong field with its value', async () => {
      const s = sandbox((plan) => {
        plan.workloads[1].servicePort = '8080';
        plan.addOns[0].timeoutSeconds = 0;
        plan.migrations[0].job = 'Orders_Migrate';
        plan.manifestFiles.push('../../manifests/production/missing.k8s.yaml');
        delete plan.rolloutTimeoutSeconds;
        plan.databases[0].backupCronJob = null;
        plan.manifestSelector = '';
        plan.expectedSecrets[0].keys = ['routing key'];
        plan.deadlineMinutes = 5;
      });
      fs.rmSync(path.join(s.out, 'manifests/production/missing.k8s.yaml'));
      const r = await s.run([]);
      expect(r.status).toBe(64);
      expect(r.calls).toEqual([]);
      expect(r.stderr).toContain('workloads[1].servicePort must be a port number (an integer from 1 to 65535); got "8080"');
      expect(r.stderr).toContain('addOns[0].timeoutSeconds must be a positive integer (seconds); got 0');
      expect(r.stderr).toContain('migrations[0].job must be a DNS label (lowercase letters, digits and "-", at most 63 characters); got "Orders_Migrate"');
      expect(r.stderr).toContain('manifestFiles[3] must be an existing file');
      expect(r.stderr).toContain('rolloutTimeoutSeconds must be a positive integer (seconds); got nothing (the field is missing)');
      expect(r.stderr).toContain('databases[0].backupCronJob must be a DNS label (the CronJob the backup before the deploy is made from); got null');
      expect(r.stderr).toContain('manifestSelector must be a non-empty string; got ""');
      expect(r.stderr).toContain('expectedSecrets[0].keys[0] must be a Secret key (letters, digits, "-", "_" and "."); got "routing key"');
      expect(r.stderr).toContain('deadlineMinutes must be an integer from 10 to 360 (minutes); got 5');
    });

    test.concurrent('a plan of the earlier format (no manifestSelector, expectedSecrets, deadlineMinutes)', async () => {
      const s = sandbox((plan) => {
        delete plan.manifestSelector;
        delete plan.expectedSecrets;
        delete plan.deadlineMinutes;
      });
      const r = await s.run([]);
      expect(r.status).toBe(64);
      expect(r.calls).toEqual([]);
      expect(r.stderr).toContain('manifestSelector must be a non-empty string; got nothing (the field is missing)');
      expect(r.stderr).toContain('expectedSecrets must be a list; got nothing (the field is missing)');
      expect(r.stderr).toContain('deadlineMinutes must be an integer from 10 to 360 (minutes); got nothing (the field is missing)');
    });

    test.concurrent('but a database without a backup CronJob is valid when it takes no backup before the deploy', async () => {
      const s = sandbox((plan) => Object.assign(plan.databases[0], { backupCronJob: null, backupBeforeDeploy: false }));
      const r = await s.run([{ tool: 'cdktf', exitCode: 1 }]);
      expect(r.calls).toEqual([...ROLE_PRESENT, CDKTF_AWS]);
      expect(r.status).toBe(1);
    });

    test.concurrent('another format version', async () => {
      const s = sandbox((plan) => (plan.formatVersion = 2));
      const r = await s.run([]);
      expect(r.status).toBe(64);
      expect(r.stderr).toContain('formatVersion must be 1 (the format this script reads); got 2');
    });

    test.concurrent('no plan, an unknown option, a run id that is no DNS label', async () => {
      const s = sandbox();
      for (const args of [[], [s.planPath, '--dry-run'], [s.planPath, '--run-id', 'Run_7'], ['/nonexistent/deploy.json']]) {
        const r = await s.run([], { args });
        expect(r.status).toBe(64);
        expect(r.calls).toEqual([]);
      }
      const badOverride = await s.run([], { env: { DEPLOY_DEADLINE_SECONDS_OVERRIDE: '5m' } });
      expect(badOverride.status).toBe(64);
      expect(badOverride.stderr).toContain('DEPLOY_DEADLINE_SECONDS_OVERRIDE must be a whole number of seconds ≥ 0; got "5m"');
    });
  });
});

