import { DatabaseJobs } from './database-jobs';

/** Properties of a {@link DatabaseJobsChart}. */
export interface DatabaseJobsChartProps {
  /** The jobs as declared on the cluster (`cluster.addDatabaseJobs`). */
  readonly jobs: DatabaseJobs;

  /**
   * The PostgreSQL image of the dump, the users Job and the throwaway restore server: the
   * official image, of the database's major version or newer (pg_dump refuses a server newer
   * than itself). Name your own (with extensions the dump needs, e.g. PostGIS) when the
   * official one lacks them: the restore stops at the first error.
   *
   * @default - the official image from ECR Public, `public.ecr.aws/docker/library/postgres:<major>`
   */
  readonly postgresImage?: string;

  /**
   * The AWS CLI image of the credential, upload and download steps.
   *
   * @default "public.ecr.aws/aws-cli/aws-cli:2.27.0" (the official image, from ECR Public)
   */
  readonly awsCliImage?: string;

  /**
   * The RDS certificate bundle of the database's region (PEM), from
   * `https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem`: the jobs then
   * verify the server (sslmode verify-full). It is public, so it goes in a ConfigMap. The jobs'
   * pods reach no internet, so they cannot download it themselves.
   *
   * @default - sslmode require: encrypted, server not verified (a GW-DB-JOBS-TLS-UNVERIFIED warning)
   */
  readonly rdsCertificateBundle?: string;

  /**
   * The postgres_exporter image of the metrics exporter.
   *
   * @default "quay.io/prometheuscommunity/postgres-exporter:v0.17.1" (the prometheus-community image)
   */
  readonly exporterImage?: string;

  /**
   * Namespaces whose pods may scrape the exporter (where Prometheus runs).
   *
   * @default ["monitoring"]
   */
  readonly metricsNamespaces?: string[];

  /**
   * Size of the pods' scratch volume in GiB: the dump (compressed) during a backup; the dump
   * and the restored database during a verification. Requested as ephemeral storage.
   *
   * @default 20
   */
  readonly scratchVolumeGiB?: number;

  /**
   * Emit a PrometheusRule with the jobs' alerts (kube-state-metrics series).
   *
   * @default true
   */
  readonly alerts?: boolean;

  /** The `team` label of the alerts, for routing. @default "platform" */
  readonly team?: string;

  /** Base URL of the runbooks; each alert links `<base>/<alert-name-in-kebab-case>`. @default "https://runbooks.example.com" */
  readonly runbookBaseUrl?: string;

  /**
   * Labels prometheus-operator selects PrometheusRules by (kube-prometheus-stack:
   * `{ release: "<release name>" }`).
   *
   * @default - none
   */
  readonly operatorSelectorLabels?: { [key: string]: string };
}
