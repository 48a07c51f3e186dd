import { CheckSeverity, ConstructRule } from '../../rule';

/** Database jobs that encrypt their connections but cannot verify the server. */
export const DB_JOBS_TLS_UNVERIFIED: ConstructRule = {
  kind: 'construct',
  id: 'GW-DB-JOBS-TLS-UNVERIFIED',
  severity: CheckSeverity.WARNING,
  title: "Database jobs that do not verify the server's certificate",
  rationale:
    'Without the RDS certificate bundle the jobs connect with sslmode=require: encrypted, but a host that answers for the ' +
    "database's name could take the IAM token and the dump. The jobs' pods reach no internet to download the bundle.",
  fix:
    "Download https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem once, commit it, and pass its contents as DatabaseJobsChart's rdsCertificateBundle (sslmode verify-full).",
};
