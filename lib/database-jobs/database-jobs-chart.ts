import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
// The generated Kubernetes API classes only (see workload-chart.ts).
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { APP_NAME_LABEL, MANAGED_BY_LABEL } from '../app-cluster/private/workload-contract';
import { POD_IDENTITY_AGENT_CIDR, POD_IDENTITY_AGENT_PORT } from '../app-cluster/private/workload-service';
import type { AppService } from '../app-cluster/service';
import { WorkloadIdentity } from '../app-cluster/service';
import { reportFinding } from '../checks/report';
import { DB_JOBS_TLS_UNVERIFIED } from '../checks/rules/constructs/db-jobs-tls-unverified';
import { GroundworkStack } from '../core/groundwork-stack';
import { checkIntegerInRange, invalidCombination, invalidProp } from '../core/private/errors';
import { checkImageReference } from '../core/private/kubernetes-checks';
import { checkDns1123Label } from '../core/private/kubernetes-names';
import type { ScrapeTarget } from '../monitoring-stack/monitoring-chart';
import { LogicalBackupSource } from './database-jobs';
import { DatabaseJobsChartProps } from './database-jobs-chart-props';
import { buildJobRuleGroups } from './private/rules';

// The props live in a file of their own; this module still exports them.
export { DatabaseJobsChartProps } from './database-jobs-chart-props';


const SCRIPTS_DIR = path.join(__dirname, 'scripts');
const SCRIPT_FILES = ['common.sh', 'iam-token.sh', 'master-secret.sh', 'exporter-credentials.sh', 'backup.sh', 'upload.sh', 'fetch-latest.sh', 'verify.sh', 'users.sh', 'manifest.sql', 'compare.sql', 'users.sql', 'proxy-user.sql'];
const DEFAULT_AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.27.0';
const DEFAULT_EXPORTER_IMAGE = 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1';
const EXPORTER_PORT = 9187;
const POSTGRES_UID = 999;
const SCRIPTS_PATH = '/scripts';
const WORK_PATH = '/work';
const CREDENTIALS_PATH = '/credentials';
const CA_PATH = '/rds-ca';
const CA_FILE = 'bundle.pem';
const OPERATOR_API = 'monitoring.coreos.com/v1';
/** What every container of the jobs runs with: non-root, read-only, no capabilities, no escalation. */
const HARDENED_CONTAINER: k8s.SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The jobs as declared on the cluster (`props.jobs`). */
type JobsDeclaration = DatabaseJobsChartProps['jobs'];

/** The props of a DatabaseJobsChart after defaults, validated before any object exists. */
interface ResolvedJobsChartProps {
  readonly postgresImage: string;
  readonly awsCliImage: string;
  readonly exporterImage: string;
  readonly metricsNamespaces: string[];
  readonly scratchGiB: number;
  /** How long one run of a job may take, in minutes. */
  readonly deadlineMinutes: number;
  readonly team: string;
  readonly runbookBaseUrl: string;
  readonly bundle?: string;
  /** The service users when the chart was created (the users Job is named from them). */
  readonly serviceUsers: string[];
}

/** What the alerts of a CronJob need: its name and how old its last success may be. */
interface JobRuleGroup {
  readonly cronJob: string;
  readonly maxAgeSeconds: number;
}

/** The environment variables, containers and pod specs every job is made of. */
interface PodBuilders {
  readonly labels: (service: AppService, component: string) => { [key: string]: string };
  readonly secretEnv: (service: AppService, name: string, key: string) => k8s.EnvVar;
  readonly regionEnv: (service: AppService) => k8s.EnvVar;
  readonly databaseEnv: (service: AppService) => k8s.EnvVar[];
  readonly bucketEnv: (service: AppService) => k8s.EnvVar[];
  readonly masterSecretFile: k8s.EnvVar;
  readonly monitorPasswordFile: k8s.EnvVar;
  readonly proxyUsers: string[];
  readonly proxyEnv: k8s.EnvVar[];
  readonly container: (name: string, image: string, script: string, env: k8s.EnvVar[], cpu: string, memory: string, scratch?: boolean) => k8s.Container;
  readonly podSpec: (service: AppService, initContainers: k8s.Container[], containers: k8s.Container[]) => k8s.PodSpec;
}

/** The ConfigMap of the scripts. */
function scriptsConfigMapOf(jobs: JobsDeclaration): string {
  return `${jobs.name}-scripts`;
}

/** The ConfigMap of the RDS certificate bundle. */
function caConfigMapOf(jobs: JobsDeclaration): string {
  return `${jobs.name}-rds-ca`;
}

/**
 * The Kubernetes side of a database's {@link DatabaseJobs}: every name, key and schedule comes
 * from the declaration on the cluster, and every value from Terraform (endpoints, bucket, key)
 * reaches the pods through the Secrets and ConfigMaps the bootstrap stack writes.
 *
 * - A ConfigMap with the scripts (`lib/database-jobs/scripts`, the files CI runs against a real
 *   PostgreSQL and S3 server), run by the official `postgres` and `amazon/aws-cli` images.
 * - The users Job, named after a hash of the users and scripts, so a change runs it again.
 * - The backup CronJob: IAM token → `pg_dump` and manifest → upload. The restore verification
 *   CronJob: download → throwaway PostgreSQL, restore, compare.
 * - Per job a NetworkPolicy: no ingress; egress to DNS, the Pod Identity agent, the database
 *   (jobs that sign in) and HTTPS (S3, Secrets Manager).
 * - TLS to the database always (the parameter group forces it); the server verified against
 *   the RDS certificate bundle when `rdsCertificateBundle` is given.
 * - Non-root, read-only root filesystems, no capabilities, no service account token; credentials
 *   in a memory-backed volume, never in the pod spec.
 * - A PrometheusRule: users Job failed, backup failed, backup too old, verification failed or
 *   not run (see README, "Backups you can restore").
 *
 * @example
 * new DatabaseJobsChart(manifests, 'orders-database-jobs', { jobs: ordersJobs, operatorSelectorLabels: { release: 'kube-prometheus-stack' } });
 */
export class DatabaseJobsChart extends Chart {
  /** Name of the users Job (changes with the users and the scripts). */
  public readonly usersJobName: string;
  /** Name of the backup CronJob, with logical backups. */
  public readonly backupCronJobName?: string;
  /** Name of the verification CronJob, with restore verification. */
  public readonly verifyCronJobName?: string;
  /**
   * Where the MonitoringChart finds the exporters (its `postgresExporter`), when the jobs run
   * one: their Service in the jobs' namespace, port `metrics`.
   */
  public readonly exporterScrapeTarget?: ScrapeTarget;
  /** The alert rule groups (`groups:`), as the PrometheusRule carries them. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Prometheus rule groups are free-form YAML (jsii: any)
  public readonly ruleGroups: any[];
  /** The jobs' namespace. */
  public readonly jobsNamespace: string;
  /** How long one run of a job may take (its `activeDeadlineSeconds`), in minutes. */
  public readonly jobDeadlineMinutes: number;

  constructor(scope: Construct, id: string, props: DatabaseJobsChartProps) {
    const jobs = props.jobs;
    super(scope, id, { namespace: jobs.namespace });

    // ---- Validate everything before any object exists ----
    const resolved = this.resolveProps(jobs, props);
    this.jobsNamespace = jobs.namespace;
    this.jobDeadlineMinutes = resolved.deadlineMinutes;
    if (resolved.bundle === undefined) {
      reportFinding(this, DB_JOBS_TLS_UNVERIFIED, 'no rdsCertificateBundle: the jobs connect with sslmode=require and do not verify the database server.');
    }
    this.checkServiceUsersUnchanged(jobs, resolved.serviceUsers);
    const environment = GroundworkStack.ofConstruct(jobs.cluster).environment;

    // ---- Scripts ----
    const scripts = this.createConfigMaps(jobs, resolved.bundle);

    // ---- Pod building blocks ----
    const pods = this.podBuilders(jobs, resolved);

    // ---- The users Job ----
    this.usersJobName = this.createUsersJob(jobs, resolved, pods, scripts);

    // ---- Logical backup ----
    const groups: { backup?: JobRuleGroup; verify?: JobRuleGroup } = {};
    if (jobs.backupService) {
      this.backupCronJobName = jobs.backupService.name;
      groups.backup = this.createBackupCronJob(jobs, jobs.backupService, resolved, pods);
    }

    // ---- Restore verification ----
    if (jobs.verifyService) {
      this.verifyCronJobName = jobs.verifyService.name;
      groups.verify = this.createVerifyCronJob(jobs, jobs.verifyService, resolved, pods);
    }

    // ---- Metrics exporter: one postgres_exporter per instance ----
    if (jobs.exporterService !== undefined && jobs.monitorUser !== undefined) {
      this.exporterScrapeTarget = this.createExporters(jobs, jobs.exporterService, jobs.monitorUser, resolved, pods);
    }

    // ---- Alerts ----
    this.ruleGroups = buildJobRuleGroups({
      namespace: jobs.namespace,
      databaseIdentifier: jobs.database.identifier,
      team: resolved.team,
      environment,
      runbookBaseUrl: resolved.runbookBaseUrl,
      usersJobPrefix: jobs.usersService.name,
      ...groups,
    });
    this.createAlertRules(jobs, props);
  }

  /** The props with their defaults, all checked before any object exists. */
  private resolveProps(jobs: JobsDeclaration, props: DatabaseJobsChartProps): ResolvedJobsChartProps {
    const postgresImage = props.postgresImage ?? `public.ecr.aws/docker/library/postgres:${jobs.engineMajorVersion}`;
    checkImageReference(this, 'postgresImage', postgresImage);
    const awsCliImage = props.awsCliImage ?? DEFAULT_AWS_CLI_IMAGE;
    checkImageReference(this, 'awsCliImage', awsCliImage);
    const exporterImage = props.exporterImage ?? DEFAULT_EXPORTER_IMAGE;
    checkImageReference(this, 'exporterImage', exporterImage);
    const metricsNamespaces = props.metricsNamespaces ?? ['monitoring'];
    if (metricsNamespaces.length === 0) invalidProp(this, 'metricsNamespaces', 'list at least one namespace (Prometheus must reach the exporter)', metricsNamespaces);
    metricsNamespaces.forEach((ns, i) => checkDns1123Label(this, `metricsNamespaces[${i}]`, ns));
    const scratchGiB = props.scratchVolumeGiB ?? 20;
    checkIntegerInRange(this, 'scratchVolumeGiB', scratchGiB, 1, 10000);
    const deadlineMinutes = jobs.jobDeadlineMinutes;
    const team = props.team ?? 'platform';
    if (!/^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/.test(team)) invalidProp(this, 'team', 'be a label value: lowercase letters, digits, "-" or "_"', team);
    const runbookBaseUrl = (props.runbookBaseUrl ?? 'https://runbooks.example.com').replace(/\/+$/, '');
    if (!/^https?:\/\/\S+$/.test(runbookBaseUrl)) invalidProp(this, 'runbookBaseUrl', 'be an http(s) URL', props.runbookBaseUrl);
    const bundle = props.rdsCertificateBundle;
    if (bundle !== undefined && !/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(bundle)) {
      invalidProp(this, 'rdsCertificateBundle', 'be PEM certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----), the RDS bundle of the region', bundle.slice(0, 40));
    }
    return {
      postgresImage,
      awsCliImage,
      exporterImage,
      metricsNamespaces,
      scratchGiB,
      deadlineMinutes,
      team,
      runbookBaseUrl,
      bundle,
      serviceUsers: jobs.serviceUsers,
    };
  }

  /** The users Job is named from this list: a grant made after the chart would be missing from it. */
  private checkServiceUsersUnchanged(jobs: JobsDeclaration, serviceUsers: string[]): void {
    this.node.addValidation({
      validate: () =>
        jobs.serviceUsers.join(',') === serviceUsers.join(',')
          ? []
          : [`${this.node.path}: the services granted ${jobs.database.node.path} changed after this chart was created (users ${serviceUsers.join(', ') || 'none'} then, ${jobs.serviceUsers.join(', ')} now); create the chart after every connectTo`],
    });
  }

  /** The ConfigMaps of the scripts and of the RDS certificate bundle; returns the scripts. */
  private createConfigMaps(jobs: JobsDeclaration, bundle: string | undefined): { [file: string]: string } {
    const scripts = Object.fromEntries(SCRIPT_FILES.map((file) => [file, fs.readFileSync(path.join(SCRIPTS_DIR, file), 'utf8')]));
    new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { name: scriptsConfigMapOf(jobs), labels: { 'app.kubernetes.io/part-of': jobs.name, [MANAGED_BY_LABEL]: 'cdk8s' } },
      data: scripts,
    });

    if (bundle !== undefined) {
      new k8s.KubeConfigMap(this, 'RdsCertificateBundle', {
        metadata: { name: caConfigMapOf(jobs), labels: { 'app.kubernetes.io/part-of': jobs.name, [MANAGED_BY_LABEL]: 'cdk8s' } },
        data: { [CA_FILE]: bundle },
      });
    }
    return scripts;
  }

  /** The environment variables, containers and pod specs every job is made of. */
  private podBuilders(jobs: JobsDeclaration, resolved: ResolvedJobsChartProps): PodBuilders {
    const { bundle, scratchGiB } = resolved;
    const labels = (service: AppService, component: string) => ({
      [APP_NAME_LABEL]: service.name,
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': jobs.name,
      [MANAGED_BY_LABEL]: 'cdk8s',
    });
    const secretEnv = (service: AppService, name: string, key: string): k8s.EnvVar => ({
      name,
      valueFrom: { secretKeyRef: { name: service.connectionSecretName, key } },
    });
    const regionEnv = (service: AppService): k8s.EnvVar => ({
      name: 'AWS_REGION',
      valueFrom: { configMapKeyRef: { name: service.infrastructureConfigMapName, key: 'AWS_REGION' } },
    });
    const common: k8s.EnvVar[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'WORK_DIR', value: WORK_PATH },
      ...(bundle !== undefined
        ? [{ name: 'PGSSLMODE', value: 'verify-full' }, { name: 'PGSSLROOTCERT', value: `${CA_PATH}/${CA_FILE}` }]
        : [{ name: 'PGSSLMODE', value: 'require' }]),
      { name: 'DB_PASSWORD_FILE', value: `${CREDENTIALS_PATH}/password` },
      // A database that does not answer fails the job in 30 s, not at its deadline.
      { name: 'PGCONNECT_TIMEOUT', value: '30' },
    ];
    const masterSecretFile: k8s.EnvVar = { name: 'MASTER_SECRET_FILE', value: `${CREDENTIALS_PATH}/master-secret.json` };
    const monitorPasswordFile: k8s.EnvVar = { name: 'MONITOR_PASSWORD_FILE', value: `${CREDENTIALS_PATH}/monitor-password` };
    // The users an RDS Proxy signs in as: their passwords, kept in their secrets, pass from the
    // credentials container to the users container through the memory-backed volume.
    const proxyUsers = jobs.proxyUsers;
    const proxyEnv: k8s.EnvVar[] =
      proxyUsers.length > 0
        ? [{ name: 'PROXY_USERS', value: proxyUsers.join(',') }, { name: 'PROXY_PASSWORDS_DIR', value: `${CREDENTIALS_PATH}/proxy-users` }]
        : [];
    const container = (name: string, image: string, script: string, env: k8s.EnvVar[], cpu: string, memory: string, scratch = false): k8s.Container => ({
      name,
      image,
      command: ['/bin/bash', `${SCRIPTS_PATH}/${script}`],
      env: [...common, ...env],
      resources: {
        requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory), ...(scratch ? { 'ephemeral-storage': k8s.Quantity.fromString(`${scratchGiB}Gi`) } : {}) },
        limits: { memory: k8s.Quantity.fromString(memory) },
      },
      securityContext: HARDENED_CONTAINER,
      volumeMounts: [
        { name: 'scripts', mountPath: SCRIPTS_PATH, readOnly: true },
        { name: 'work', mountPath: WORK_PATH },
        { name: 'credentials', mountPath: CREDENTIALS_PATH },
        { name: 'tmp', mountPath: '/tmp' },
        ...(bundle !== undefined ? [{ name: 'rds-ca', mountPath: CA_PATH, readOnly: true }] : []),
      ],
    });
    const podSpec = (service: AppService, initContainers: k8s.Container[], containers: k8s.Container[]): k8s.PodSpec => ({
      serviceAccountName: service.serviceAccountName,
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      securityContext: {
        // The postgres image's own user; the AWS CLI runs as any user.
        runAsNonRoot: true,
        runAsUser: POSTGRES_UID,
        runAsGroup: POSTGRES_UID,
        fsGroup: POSTGRES_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      initContainers,
      containers,
      volumes: [
        { name: 'scripts', configMap: { name: scriptsConfigMapOf(jobs), defaultMode: 0o555 } },
        { name: 'work', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${scratchGiB}Gi`) } },
        // Tokens and the master password: memory only, gone with the pod.
        { name: 'credentials', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('4Mi') } },
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
        ...(bundle !== undefined ? [{ name: 'rds-ca', configMap: { name: caConfigMapOf(jobs), defaultMode: 0o444 } }] : []),
      ],
    });
    const databaseEnv = (service: AppService): k8s.EnvVar[] => [
      // A replica backup reads the first reader host; the scripts take the first of a list.
      secretEnv(service, 'PGHOST', jobs.backupSource === LogicalBackupSource.REPLICA && service === jobs.backupService ? 'DATABASE_READER_HOSTS' : 'DATABASE_HOST'),
      secretEnv(service, 'PGPORT', 'DATABASE_PORT'),
      secretEnv(service, 'PGDATABASE', 'DATABASE_NAME'),
    ];
    const bucketEnv = (service: AppService): k8s.EnvVar[] => [
      secretEnv(service, 'BUCKET', 'BACKUP_BUCKET'),
      secretEnv(service, 'KMS_KEY_ARN', 'BACKUP_KMS_KEY_ARN'),
      secretEnv(service, 'KEY_PREFIX', 'BACKUP_KEY_PREFIX'),
    ];
    return { labels, secretEnv, regionEnv, databaseEnv, bucketEnv, masterSecretFile, monitorPasswordFile, proxyUsers, proxyEnv, container, podSpec };
  }

  /** A job's NetworkPolicy: no ingress unless given; egress to DNS, HTTPS, the Pod Identity agent and the database. */
  private createNetworkPolicy(
    jobs: JobsDeclaration,
    pods: PodBuilders,
    service: AppService,
    databaseEgress: boolean,
    ingress?: k8s.NetworkPolicyIngressRule[],
  ): void {
    const egress: k8s.NetworkPolicyEgressRule[] = [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
      },
      // S3 (the gateway endpoint routes to S3's public addresses) and the VPC's interface
      // endpoints (Secrets Manager). With pod security groups, the group narrows this to
      // S3's prefix list and the VPC.
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] },
    ];
    if (service.identity === WorkloadIdentity.POD_IDENTITY) {
      egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT_PORT) }] });
    }
    if (databaseEgress) {
      const grant = service.connections.find((g) => g.store === jobs.database)!;
      egress.push({ to: grant.subnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(grant.port) }] });
    }
    new k8s.KubeNetworkPolicy(this, `${service.node.id}NetworkPolicy`, {
      metadata: { name: service.name, labels: pods.labels(service, 'network-policy') },
      spec: { podSelector: { matchLabels: { [APP_NAME_LABEL]: service.name } }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
    });
  }

  /** A CronJob that runs in UTC, never twice at once, and gives up at the jobs' deadline. */
  private createCronJob(
    id: string,
    pods: PodBuilders,
    service: AppService,
    schedule: string,
    component: string,
    spec: k8s.PodSpec,
    deadlineMinutes: number,
  ): void {
    const podLabels = pods.labels(service, component);
    new k8s.KubeCronJob(this, id, {
      metadata: { name: service.name, labels: podLabels },
      spec: {
        schedule,
        timeZone: 'Etc/UTC',
        // A run still going when the next is due is left to finish; the next one is skipped.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: podLabels },
          spec: { backoffLimit: 1, activeDeadlineSeconds: deadlineMinutes * 60, template: { metadata: { labels: podLabels }, spec } },
        },
      },
    });
  }

  /** The users Job and its NetworkPolicy; returns the Job's name. */
  private createUsersJob(jobs: JobsDeclaration, resolved: ResolvedJobsChartProps, pods: PodBuilders, scripts: { [file: string]: string }): string {
    const { container, databaseEnv, labels, masterSecretFile, monitorPasswordFile, podSpec, proxyEnv, proxyUsers, regionEnv, secretEnv } = pods;
    const { awsCliImage, postgresImage } = resolved;
    // Named after a hash of its whole spec: a Job's template cannot change, so any change (the
    // users, the scripts, the images, the certificate bundle) is a new Job that runs again.
    const users = jobs.usersService;
    const usersSpec: k8s.JobSpec = {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      // Deleted a week after it finishes; applying the manifests again runs it again, harmlessly.
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels: labels(users, 'users') },
        spec: podSpec(
          users,
          [
            container('credentials', awsCliImage, 'master-secret.sh', [
              masterSecretFile,
              regionEnv(users),
              secretEnv(users, 'MASTER_SECRET_ARN', 'DATABASE_MASTER_SECRET_ARN'),
              ...(jobs.monitorUser !== undefined ? [secretEnv(users, 'MONITORING_SECRET_ARN', 'MONITORING_SECRET_ARN'), monitorPasswordFile] : []),
              ...(proxyUsers.length > 0 ? [...proxyEnv, secretEnv(users, 'PROXY_SECRET_PREFIX', 'PROXY_SECRET_PREFIX')] : []),
            ], '50m', '256Mi'),
          ],
          [
            container('users', postgresImage, 'users.sh', [
              masterSecretFile,
              ...databaseEnv(users),
              { name: 'BACKUP_USER', value: jobs.backupUser },
              { name: 'SERVICE_USERS', value: resolved.serviceUsers.join(',') },
              ...(jobs.migrationGrants.length > 0 ? [{ name: 'MIGRATION_GRANTS', value: jobs.migrationGrants.join(',') }] : []),
              ...(jobs.monitorUser !== undefined ? [{ name: 'MONITOR_USER', value: jobs.monitorUser }, monitorPasswordFile] : []),
              ...proxyEnv,
            ], '50m', '128Mi'),
          ],
        ),
      },
    };
    const usersHash = createHash('sha256')
      .update(JSON.stringify([usersSpec, scripts]))
      .digest('hex')
      .slice(0, 8);
    const usersJobName = `${users.name}-${usersHash}`;
    new k8s.KubeJob(this, 'UsersJob', { metadata: { name: usersJobName, labels: labels(users, 'users') }, spec: usersSpec });
    this.createNetworkPolicy(jobs, pods, users, true);
    return usersJobName;
  }

  /** The backup CronJob (IAM token, dump, upload) and its NetworkPolicy; returns its alert group. */
  private createBackupCronJob(jobs: JobsDeclaration, backup: AppService, resolved: ResolvedJobsChartProps, pods: PodBuilders): JobRuleGroup {
    const { bucketEnv, container, databaseEnv, podSpec, regionEnv, secretEnv } = pods;
    const { awsCliImage, postgresImage, deadlineMinutes } = resolved;
    this.createCronJob('BackupCronJob', pods, backup, jobs.backupSchedule!, 'backup', podSpec(
      backup,
      [
        container('credentials', awsCliImage, 'iam-token.sh', [regionEnv(backup), ...databaseEnv(backup), secretEnv(backup, 'PGUSER', 'DATABASE_USER')], '50m', '256Mi'),
        container('dump', postgresImage, 'backup.sh', [
          ...databaseEnv(backup),
          secretEnv(backup, 'PGUSER', 'DATABASE_USER'),
          secretEnv(backup, 'KEY_PREFIX', 'BACKUP_KEY_PREFIX'),
          { name: 'LARGE_OBJECTS', value: jobs.largeObjects ? 'include' : 'exclude' },
        ], '500m', '512Mi', true),
      ],
      [container('upload', awsCliImage, 'upload.sh', [regionEnv(backup), ...bucketEnv(backup)], '250m', '512Mi')],
    ), deadlineMinutes);
    this.createNetworkPolicy(jobs, pods, backup, true);
    return { cronJob: backup.name, maxAgeSeconds: (jobs.backupMaxIntervalMinutes! + deadlineMinutes) * 60 };
  }

  /** The restore verification CronJob (download, restore, compare) and its NetworkPolicy; returns its alert group. */
  private createVerifyCronJob(jobs: JobsDeclaration, verify: AppService, resolved: ResolvedJobsChartProps, pods: PodBuilders): JobRuleGroup {
    const { bucketEnv, container, podSpec, regionEnv } = pods;
    const { awsCliImage, postgresImage, deadlineMinutes } = resolved;
    // The throwaway server keeps its shared memory in /dev/shm, 64 MiB by default in a pod:
    // too little for a parallel restore of a large database.
    const verifyContainer = container('verify', postgresImage, 'verify.sh', [{ name: 'RESTORE_JOBS', value: '2' }], '1', '2Gi', true);
    const verifyPod = podSpec(verify, [container('download', awsCliImage, 'fetch-latest.sh', [regionEnv(verify), ...bucketEnv(verify)], '250m', '512Mi')], [
      { ...verifyContainer, volumeMounts: [...verifyContainer.volumeMounts!, { name: 'shared-memory', mountPath: '/dev/shm' }] },
    ]);
    this.createCronJob('VerifyCronJob', pods, verify, jobs.verificationSchedule!, 'restore-verification', {
      ...verifyPod,
      volumes: [...verifyPod.volumes!, { name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('512Mi') } }],
    }, deadlineMinutes);
    this.createNetworkPolicy(jobs, pods, verify, false);
    return { cronJob: verify.name, maxAgeSeconds: (jobs.verificationMaxIntervalMinutes! + deadlineMinutes) * 60 };
  }

  /** One postgres_exporter Deployment per instance, their Service and NetworkPolicy; returns where to scrape them. */
  private createExporters(
    jobs: JobsDeclaration,
    exporter: AppService,
    monitorUser: string,
    resolved: ResolvedJobsChartProps,
    pods: PodBuilders,
  ): ScrapeTarget {
    const { container, labels, monitorPasswordFile, podSpec, regionEnv, secretEnv } = pods;
    const { bundle, metricsNamespaces } = resolved;
    const instances = [
      { key: 'primary', hostKey: 'DATABASE_HOST' },
      ...Array.from({ length: jobs.database.readReplicaCount }, (_, i) => ({ key: `replica-${i + 1}`, hostKey: `DATABASE_READER_HOST_${i + 1}` })),
    ];
    const tls = bundle !== undefined ? `sslmode=verify-full&sslrootcert=${CA_PATH}/${CA_FILE}` : 'sslmode=require';
    for (const instance of instances) {
      const podLabels = { ...labels(exporter, 'metrics'), 'app.kubernetes.io/instance': instance.key };
      const exporterContainer: k8s.Container = {
        name: 'postgres-exporter',
        image: resolved.exporterImage,
        env: [
          secretEnv(exporter, 'DB_HOST', instance.hostKey),
          secretEnv(exporter, 'DB_PORT', 'DATABASE_PORT'),
          secretEnv(exporter, 'DB_NAME', 'DATABASE_NAME'),
          // Kubernetes expands $(VAR) from the variables above; no credential in the URI.
          { name: 'DATA_SOURCE_URI', value: `$(DB_HOST):$(DB_PORT)/$(DB_NAME)?${tls}` },
          { name: 'DATA_SOURCE_USER', value: monitorUser },
          { name: 'DATA_SOURCE_PASS_FILE', value: `${CREDENTIALS_PATH}/monitor-password` },
        ],
        ports: [{ name: 'metrics', containerPort: EXPORTER_PORT }],
        readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, failureThreshold: 5 },
        resources: {
          requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
          // A CPU limit too: a scrape must never starve the node (kube-score asks for one).
          limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
        },
        securityContext: { ...HARDENED_CONTAINER, runAsUser: 65534, runAsGroup: 65534 },
        volumeMounts: [
          { name: 'credentials', mountPath: CREDENTIALS_PATH, readOnly: true },
          ...(bundle !== undefined ? [{ name: 'rds-ca', mountPath: CA_PATH, readOnly: true }] : []),
        ],
      };
      const pod = podSpec(
        exporter,
        [container('credentials', resolved.awsCliImage, 'exporter-credentials.sh', [regionEnv(exporter), secretEnv(exporter, 'MONITORING_SECRET_ARN', 'DATABASE_MONITORING_SECRET_ARN'), monitorPasswordFile], '50m', '256Mi')],
        [exporterContainer],
      );
      new k8s.KubeDeployment(this, `Exporter-${instance.key}`, {
        metadata: { name: `${exporter.name}-${instance.key}`, labels: podLabels },
        spec: {
          // One scraper per instance: a second replica would double every series.
          replicas: 1,
          selector: { matchLabels: { [APP_NAME_LABEL]: exporter.name, 'app.kubernetes.io/instance': instance.key } },
          template: {
            metadata: { labels: podLabels },
            // The exporter image's own user (nobody), outside the range of host users.
            spec: { ...pod, restartPolicy: 'Always', securityContext: { ...pod.securityContext, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 } },
          },
        },
      });
    }
    new k8s.KubeService(this, 'ExporterService', {
      metadata: { name: exporter.name, labels: labels(exporter, 'metrics') },
      spec: {
        selector: { [APP_NAME_LABEL]: exporter.name },
        ports: [{ name: 'metrics', port: EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }],
      },
    });
    this.createNetworkPolicy(jobs, pods, exporter, true, [
      {
        from: metricsNamespaces.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(EXPORTER_PORT) }],
      },
    ]);
    return { namespace: jobs.namespace, serviceLabels: { [APP_NAME_LABEL]: exporter.name }, portName: 'metrics', admittedNamespaces: [...metricsNamespaces] };
  }

  /** The PrometheusRule carrying {@link ruleGroups}, unless alerts are off. */
  private createAlertRules(jobs: JobsDeclaration, props: DatabaseJobsChartProps): void {
    if (props.alerts ?? true) {
      new ApiObject(this, 'AlertRules', {
        apiVersion: OPERATOR_API,
        kind: 'PrometheusRule',
        metadata: { name: `${jobs.name}-jobs`, labels: { 'app.kubernetes.io/part-of': jobs.name, [MANAGED_BY_LABEL]: 'cdk8s', ...(props.operatorSelectorLabels ?? {}) } },
        spec: { groups: this.ruleGroups },
      });
    } else if (props.operatorSelectorLabels !== undefined) {
      invalidCombination(this, 'operatorSelectorLabels select the PrometheusRule, but alerts is false: leave them out or turn alerts on');
    }
  }
}
