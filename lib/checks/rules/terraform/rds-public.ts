import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-RDS-PUBLIC: an RDS instance reachable from the internet. */
export const RDS_PUBLIC: TerraformRule = {
  kind: 'terraform',
  id: 'GW-RDS-PUBLIC',
  severity: CheckSeverity.ERROR,
  title: 'RDS instance publicly accessible',
  rationale: 'A public database endpoint is one leaked or weak credential away from the internet.',
  fix: 'Set publicly_accessible = false and reach the database from inside the VPC.',
  equivalents: ['checkov CKV_AWS_17'],
  resourceTypes: ['aws_db_instance'],
  check(db) {
    return db.config.publicly_accessible === true ? 'publicly_accessible is true' : undefined;
  },
};
