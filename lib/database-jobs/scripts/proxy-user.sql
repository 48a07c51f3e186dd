-- Makes one user (psql variable proxy_user) a role RDS Proxy signs in as: a login role out of
-- rds_iam, since PostgreSQL on RDS refuses password sign-in to its members. users.sh then sets
-- its password with psql's \password, which sends only a SCRAM verifier: the password itself is
-- never in a statement (pg_stat_statements, the server log). Services still sign in with IAM, at
-- the proxy. Run after users.sql, which created the role; run again, it changes nothing.
\set ON_ERROR_STOP on

-- From PostgreSQL 16 on, REVOKE removes only the grants the current role made: revoke each
-- grant as the role that made it (the master user may act as the roles it administers).
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
  THEN format('REVOKE rds_iam FROM %I GRANTED BY %I', :'proxy_user', pg_get_userbyid(m.grantor))
  ELSE format('REVOKE rds_iam FROM %I', :'proxy_user')
END
FROM pg_auth_members m
WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'rds_iam')
AND m.member = (SELECT oid FROM pg_roles WHERE rolname = :'proxy_user')
\gexec

-- A grant that stays (one this role may not revoke) would leave the proxy unable to sign in.
SELECT set_config('groundwork.proxy_user', :'proxy_user', false) \gset
DO $$
BEGIN
  IF pg_has_role(current_setting('groundwork.proxy_user'), 'rds_iam', 'MEMBER') THEN
    RAISE EXCEPTION '% is still a member of rds_iam: revoke it as the role that granted it, then run the users Job again',
      current_setting('groundwork.proxy_user');
  END IF;
END
$$;

SELECT format('ALTER ROLE %I WITH LOGIN', :'proxy_user')
\gexec
