-- Makes one user (psql variable proxy_user) a role RDS Proxy signs in as: a password role, out
-- of rds_iam (PostgreSQL on RDS refuses password sign-in to its members), with the password the
-- users Job keeps in the user's secret (file PROXY_PASSWORD_FILE, read here: never an argument).
-- Services still sign in with IAM, at the proxy. Run after users.sql, which created the role;
-- run again, it changes nothing but setting the same password (not a grant: nothing duplicates).
-- RDS logs no statement by default, so the password stays out of the logs.
\set ON_ERROR_STOP on
\set proxy_password `cat "$PROXY_PASSWORD_FILE"`

SELECT format('REVOKE rds_iam FROM %I', :'proxy_user')
WHERE EXISTS (
  SELECT 1 FROM pg_auth_members m
  WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'rds_iam') AND m.member = (SELECT oid FROM pg_roles WHERE rolname = :'proxy_user')
)
\gexec

SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'proxy_user', :'proxy_password')
\gexec
\unset proxy_password
