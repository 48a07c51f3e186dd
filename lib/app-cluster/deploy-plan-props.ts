import { App as ManifestApp } from 'cdk8s';
import type { AppCluster } from './app-cluster';
import type { ClusterBootstrapStack } from './bootstrap-stack';

/** Properties of a {@link DeployPlan}. */
export interface DeployPlanProps {
  /** The environment's cluster; its stack is the AWS stack the pipeline deploys first. */
  readonly cluster: AppCluster;

  /** The cluster's bootstrap stack, deployed after the add-ons. */
  readonly bootstrap: ClusterBootstrapStack;

  /**
   * The environment's manifests: its workload charts (and their migrations), database jobs charts
   * and monitoring charts. Synthesize them before {@link DeployPlan.write}.
   */
  readonly manifests: ManifestApp;

  /**
   * Where the plan and the add-ons' Helm values are written.
   *
   * @default - `<cdktf outdir>/deploy/<environment>`
   */
  readonly outdir?: string;

  /**
   * The AWS Load Balancer Controller chart version (eks-charts), exact.
   *
   * @default "1.14.1" (controller v2.14.1)
   */
  readonly loadBalancerControllerChartVersion?: string;

  /**
   * The kube-prometheus-stack chart version (prometheus-community), exact. Only installed when a
   * MonitoringChart of the manifests runs the cluster-wide monitoring.
   *
   * @default "75.15.1"
   */
  readonly kubePrometheusStackChartVersion?: string;

  /**
   * Take a logical backup of every database with database jobs (through its backup CronJob)
   * before the migrations run.
   *
   * @default - true in staging and production, false in development
   */
  readonly backupBeforeDeploy?: boolean;

  /**
   * How long each Deployment may take to roll out (`kubectl rollout status --timeout`), and
   * again to roll back.
   *
   * @default 600
   */
  readonly rolloutTimeoutSeconds?: number;

  /**
   * How long the health check of each service may take.
   *
   * @default 30
   */
  readonly healthCheckTimeoutSeconds?: number;

  /**
   * The deploy job's own deadline (`timeout-minutes` of the workflow job). A migration that could
   * run past it, with the rollout and a rollback after it, fails synth.
   *
   * @default 90
   */
  readonly deadlineMinutes?: number;
}
