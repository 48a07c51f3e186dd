import * as fs from 'fs';
import * as path from 'path';
import { App as ManifestApp, Names, Yaml } from 'cdk8s';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentTier } from '../core/environment';
import { GroundworkStack } from '../core/groundwork-stack';
import { checkIntegerInRange, invalidCombination, invalidProp } from '../core/private/errors';
import { findConstructsOfType } from '../core/private/find-constructs';
import { DatabaseJobsChart } from '../database-jobs/database-jobs-chart';
import { AlertRoutingScope, MonitoringChart } from '../monitoring-stack/monitoring-chart';
import { DeployPlanProps } from './deploy-plan-props';
import { MIGRATION_LABEL, MIGRATION_OF_LABEL } from './private/workload-contract';
import { AppWorkloadChart } from './workload-chart';

// The props live in a file of their own; this module still exports them.
export { DeployPlanProps } from './deploy-plan-props';


/** One Helm release the pipeline installs. */
interface AddOnRelease {
  release: string;
  chart: string;
  repository: string;
  version: string;
  namespace: string;
  valuesFile: string;
  valuesFromOutputs: Record<string, string>;
  timeoutSeconds: number;
}

function secretsOf(charts: MonitoringChart[]) {
  return charts.flatMap((chart) =>
    Object.entries(chart.alertmanagerSecretKeys).map(([name, keys]) => ({ namespace: chart.alertmanagerConfigNamespace, name, keys })),
  );
}

const LOAD_BALANCER_CONTROLLER_CHART_VERSION = '1.14.1';
const KUBE_PROMETHEUS_STACK_CHART_VERSION = '75.15.1';
// Helm chart versions are SemVer 2; a pin is one exact version, never a range.
const EXACT_CHART_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const ADD_ON_TIMEOUT_SECONDS = 600;
const DATABASE_JOB_WAIT_SECONDS = 1800;

/**
 * What the deploy pipeline needs to deploy one environment, derived from the constructs so the
 * pipeline uses the names synth wrote: `deploy.json` (read by `scripts/deploy.mjs`, which the package installs as the `groundwork-deploy` command) and the Helm
 * values of the cluster add-ons, in `cdktf.out/deploy/<environment>/`.
 *
 * The order it describes (see docs/deploy-plan.md): the EC2 Auto Scaling service-linked role
 * when missing; the AWS stack; the add-ons (the AWS Load Balancer Controller with the cluster's
 * name, VPC and role; kube-prometheus-stack with the monitoring chart's values; metrics-server
 * is an EKS add-on of the AWS stack); the bootstrap stack and each database's users Job; a
 * logical backup (staging and production); each service's migration; the workloads, restarting
 * those whose Terraform-managed config changed; rollout, health checks, and rollback on failure.
 *
 * @example
 * const plan = new DeployPlan(awsStack, 'DeployPlan', { cluster, bootstrap, manifests });
 * manifests.synth();
 * plan.write(); // cdktf.out/deploy/production/deploy.json
 */
export class DeployPlan extends Construct {
  /** The directory the plan is written to. */
  public readonly outdir: string;
  /** The AWS Load Balancer Controller chart version installed. */
  public readonly loadBalancerControllerChartVersion: string;
  /** The kube-prometheus-stack chart version installed. */
  public readonly kubePrometheusStackChartVersion: string;
  /** Whether a logical backup runs before the migrations. */
  public readonly backupBeforeDeploy: boolean;
  /** The deploy job's deadline, in minutes. */
  public readonly deadlineMinutes: number;

  private readonly props: DeployPlanProps;
  private readonly rolloutTimeoutSeconds: number;
  private readonly healthCheckTimeoutSeconds: number;

  constructor(scope: Construct, id: string, props: DeployPlanProps) {
    super(scope, id);
    this.props = props;
    const stack = GroundworkStack.ofConstruct(props.cluster);
    this.loadBalancerControllerChartVersion = this.checkChartVersion('loadBalancerControllerChartVersion', props.loadBalancerControllerChartVersion, LOAD_BALANCER_CONTROLLER_CHART_VERSION);
    this.kubePrometheusStackChartVersion = this.checkChartVersion('kubePrometheusStackChartVersion', props.kubePrometheusStackChartVersion, KUBE_PROMETHEUS_STACK_CHART_VERSION);
    this.backupBeforeDeploy = props.backupBeforeDeploy ?? stack.environment !== EnvironmentTier.DEVELOPMENT;
    this.rolloutTimeoutSeconds = props.rolloutTimeoutSeconds ?? 600;
    checkIntegerInRange(this, 'rolloutTimeoutSeconds', this.rolloutTimeoutSeconds, 30, 3600);
    this.healthCheckTimeoutSeconds = props.healthCheckTimeoutSeconds ?? 30;
    checkIntegerInRange(this, 'healthCheckTimeoutSeconds', this.healthCheckTimeoutSeconds, 1, 300);
    this.deadlineMinutes = props.deadlineMinutes ?? 90;
    checkIntegerInRange(this, 'deadlineMinutes', this.deadlineMinutes, 10, 360);
    const app = App.of(props.cluster);
    this.outdir = props.outdir ?? path.join(app.outdir, 'deploy', stack.environment);
  }

  /**
   * Writes `deploy.json` and the add-ons' Helm values to `outdir`, after the manifests were
   * synthesized (the plan names their files). Returns the files written.
   */
  public write(): string[] {
    const { cluster, bootstrap, manifests } = this.props;
    const stack = GroundworkStack.ofConstruct(cluster);
    const workloads = findConstructsOfType(manifests, AppWorkloadChart);
    const databases = findConstructsOfType(manifests, DatabaseJobsChart);
    const monitoring = findConstructsOfType(manifests, MonitoringChart);

    const migrationBudget = this.deadlineMinutes * 60 - 2 * this.rolloutTimeoutSeconds - ADD_ON_TIMEOUT_SECONDS;
    for (const chart of workloads) {
      if (chart.migrationTimeoutSeconds !== undefined && chart.migrationTimeoutSeconds > migrationBudget) {
        invalidProp(
          chart,
          'migration.timeoutSeconds',
          `leave time within the deploy's deadline of ${this.deadlineMinutes} minutes (${this.node.path} deadlineMinutes) for the add-ons ` +
            `(${ADD_ON_TIMEOUT_SECONDS} s), the rollout and a rollback (${this.rolloutTimeoutSeconds} s each): at most ${migrationBudget} s`,
          chart.migrationTimeoutSeconds,
        );
      }
    }

    fs.mkdirSync(this.outdir, { recursive: true });
    const written: string[] = [];
    const writeFile = (name: string, content: string) => {
      const file = path.join(this.outdir, name);
      fs.writeFileSync(file, content);
      written.push(file);
      return name;
    };
    const relative = (file: string) => path.relative(this.outdir, file).split(path.sep).join('/');
    // Listed once: every chart's file and the plan's manifestFiles come from this one read.
    const files = this.manifestFiles(manifests);
    const manifestFile = (chart: Construct) => relative(this.manifestFileOf(files, manifests.outdir, chart));

    const outputPrefix = cluster._outputPrefix();
    const addOns: AddOnRelease[] = [];
    if (cluster.loadBalancerControllerRoleArn !== undefined) {
      addOns.push({
        release: 'aws-load-balancer-controller',
        chart: 'aws-load-balancer-controller',
        repository: 'https://aws.github.io/eks-charts',
        version: this.loadBalancerControllerChartVersion,
        namespace: 'kube-system',
        valuesFile: writeFile('aws-load-balancer-controller-values.yaml', Yaml.stringify(this.loadBalancerControllerValues())),
        // Known only once the AWS stack is applied.
        valuesFromOutputs: {
          'vpcId': `${outputPrefix}_vpc_id`,
          'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn': `${outputPrefix}_load_balancer_controller_role_arn`,
        },
        timeoutSeconds: ADD_ON_TIMEOUT_SECONDS,
      });
    }
    const clusterMonitoring = monitoring.filter((chart) => chart.kubePrometheusStackValuesYaml !== undefined);
    if (clusterMonitoring.length > 1) {
      invalidCombination(this, `the manifests hold ${clusterMonitoring.length} monitoring charts with cluster-wide monitoring (${clusterMonitoring.map((c) => c.node.path).join(', ')}); one kube-prometheus-stack release takes the values of one`);
    }
    for (const chart of clusterMonitoring) {
      addOns.push({
        // The release's own monitors carry `release: <name>`: the selector labels must name it.
        release: chart.operatorSelectorLabels.release ?? 'kube-prometheus-stack',
        chart: 'kube-prometheus-stack',
        repository: 'https://prometheus-community.github.io/helm-charts',
        version: this.kubePrometheusStackChartVersion,
        namespace: chart.monitoringNamespace,
        valuesFile: writeFile('kube-prometheus-stack-values.yaml', chart.kubePrometheusStackValuesYaml!),
        valuesFromOutputs: {},
        timeoutSeconds: ADD_ON_TIMEOUT_SECONDS,
      });
    }

    const plan = {
      formatVersion: 1,
      environment: stack.environment,
      region: stack.region,
      clusterName: cluster.clusterName,
      cdktfOut: relative(App.of(cluster).outdir),
      stacks: { aws: stack.node.id, bootstrap: bootstrap.node.id },
      autoScalingServiceLinkedRole: cluster.createsAutoScalingServiceLinkedRole ? 'terraform' : 'ensure',
      apiAccessHint: this.apiAccessHint(),
      // The cluster's Alertmanager mounts these: checked before kube-prometheus-stack is installed.
      requiredSecrets: secretsOf(monitoring.filter((chart) => chart.alertRoutingScope === AlertRoutingScope.CLUSTER)),
      // A service's own routing reads these in its namespace, which the bootstrap stack creates:
      // checked after it, and only a warning (the service runs without its alert routing).
      expectedSecrets: secretsOf(monitoring.filter((chart) => chart.alertRoutingScope === AlertRoutingScope.NAMESPACE)),
      addOns,
      databases: databases.map((chart) => ({
        manifestFile: manifestFile(chart),
        namespace: chart.jobsNamespace,
        usersJob: chart.usersJobName,
        backupCronJob: chart.backupCronJobName ?? null,
        backupBeforeDeploy: this.backupBeforeDeploy && chart.backupCronJobName !== undefined,
        // The users Job takes seconds; a backup before a deploy must not hold it for the jobs' whole deadline.
        timeoutSeconds: Math.min(chart.jobDeadlineMinutes * 60, DATABASE_JOB_WAIT_SECONDS),
      })),
      migrations: workloads
        .filter((chart) => chart.migrationJobName !== undefined)
        .map((chart) => ({
          service: chart.appName,
          namespace: chart.namespaceName,
          job: chart.migrationJobName!,
          manifestFile: manifestFile(chart),
          // The Job, its NetworkPolicy and the settings ConfigMap it reads.
          selector: `${MIGRATION_OF_LABEL}=${chart.appName}`,
          serviceSelector: `${MIGRATION_OF_LABEL}=${chart.appName}`,
          timeoutSeconds: chart.migrationTimeoutSeconds!,
        })),
      manifestFiles: files.map(relative),
      // A Job's template is immutable: step 6 leaves the migrations (applied in step 5) alone.
      manifestSelector: `!${MIGRATION_LABEL}`,
      workloads: workloads.map((chart) => ({
        service: chart.appName,
        namespace: chart.namespaceName,
        deployment: chart.deploymentName,
        serviceName: chart.serviceName,
        servicePort: chart.servicePort,
        healthPath: chart.healthCheckPath,
        configObjects: [...chart.terraformConfigObjects],
      })),
      rolloutTimeoutSeconds: this.rolloutTimeoutSeconds,
      healthCheckTimeoutSeconds: this.healthCheckTimeoutSeconds,
      deadlineMinutes: this.deadlineMinutes,
    };
    writeFile('deploy.json', `${JSON.stringify(plan, undefined, 2)}\n`);
    return written;
  }

  private loadBalancerControllerValues(): Record<string, unknown> {
    const { cluster } = this.props;
    return {
      clusterName: cluster.clusterName,
      // Given, not discovered: with an instance metadata hop limit of 1 the pods cannot read it.
      region: GroundworkStack.ofConstruct(cluster).region,
      replicaCount: 2,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      // The role may register targets in the services' target groups and nothing else: WAF and
      // Shield stay with WafRules, and the controller must not try to manage them.
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      podDisruptionBudget: { maxUnavailable: 1 },
    };
  }

  private apiAccessHint(): string {
    const { cluster } = this.props;
    const where =
      cluster.publicEndpointCidrs.length > 0
        ? `the runner's egress address must be in publicEndpointCidrs (${cluster.publicEndpointCidrs.join(', ')})`
        : cluster.privateEndpointAccessCidrs.length > 0
          ? `the runner must be in the VPC or a network routed to it, inside privateEndpointAccessCidrs (${cluster.privateEndpointAccessCidrs.join(', ')})`
          : 'the endpoint is private and no network is allowed to it: set privateEndpointAccessCidrs (a runner in or routed to the VPC) or publicEndpointCidrs (the runners\' egress addresses)';
    return `cannot reach the Kubernetes API of ${cluster.clusterName} (${cluster.node.path}): ${where}; the deploy role must be one of adminPrincipalArns.`;
  }

  private checkChartVersion(property: string, value: string | undefined, fallback: string): string {
    if (value !== undefined && !EXACT_CHART_VERSION.test(value)) {
      invalidProp(this, property, 'be one exact chart version (SemVer such as 1.14.1); a range or "latest" is not a pin', value);
    }
    return value ?? fallback;
  }

  private manifestFiles(manifests: ManifestApp): string[] {
    if (!fs.existsSync(manifests.outdir)) invalidCombination(this, `write() needs the manifests synthesized first: ${manifests.outdir} does not exist (call manifests.synth() before)`);
    return fs
      .readdirSync(manifests.outdir)
      .filter((name) => name.endsWith('.k8s.yaml'))
      .sort()
      .map((name) => path.join(manifests.outdir, name));
  }

  /** cdk8s names a chart's file after the chart, with an index prefix when charts depend on each other. */
  private manifestFileOf(files: string[], outdir: string, chart: Construct): string {
    const chartFile = `${Names.toDnsLabel(chart)}.k8s.yaml`;
    const file = files.find((f) => {
      const name = path.basename(f);
      return name === chartFile || (/^\d{4}-/.test(name) && name.slice(5) === chartFile);
    });
    if (file === undefined) invalidCombination(this, `write() found no file for ${chart.node.path} in ${outdir}: synthesize the manifests first`);
    return file;
  }
}
