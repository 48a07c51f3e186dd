import { CheckSeverity, ConstructRule } from '../../rule';

/** A replication group whose AUTH token lives in the Terraform state. */
export const REDIS_TOKEN_IN_STATE: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-TOKEN-IN-STATE',
  severity: CheckSeverity.WARNING,
  title: 'Redis AUTH token stored in the Terraform state',
  rationale: 'Anyone who can read the state can read the token and connect to the cache.',
  fix: 'Use RedisAuth.iamUserGroup() for auth on RedisHA, or keep the state backend encrypted and access-controlled.',
};
