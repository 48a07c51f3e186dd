import { CheckSeverity, ConstructRule } from '../../rule';

/** A service signs in to a PostgresWithBackups as a user that no database jobs of its cluster create. */
export const PG_USER_NOT_CREATED: ConstructRule = {
  kind: 'construct',
  id: 'GW-PG-USER-NOT-CREATED',
  severity: CheckSeverity.WARNING,
  title: 'Service signs in to PostgreSQL as a user nothing creates',
  rationale: 'Terraform has no connection to the database, so the IAM user a service signs in as exists only once a users Job creates it; until then every sign-in fails.',
  fix: 'Add cluster.addDatabaseJobs(id, { database }) on the cluster the service runs on, or acknowledge the finding when your own tooling creates the users.',
};
