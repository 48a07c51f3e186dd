-- Creates the database users the library's constructs need, idempotently: run it any number
-- of times, it changes only what is missing and never grants anything twice.
-- - every service user (psql variable service_users, comma-separated) and the backup user
--   (backup_user): login roles with no password, signing in with IAM (rds_iam);
-- - the backup user reads everything (pg_read_all_data, PostgreSQL 14+) and writes nothing
--   (default_transaction_read_only), and may read the large objects that exist now: large
--   objects have privileges of their own, which pg_read_all_data does not cover.
-- Object privileges of the service users stay with the services' migrations.
\set ON_ERROR_STOP on

CREATE TEMP TABLE wanted_users AS
SELECT DISTINCT u AS name
FROM unnest(string_to_array(:'service_users' || ',' || :'backup_user', ',')) AS u
WHERE u <> '';

SELECT format('CREATE ROLE %I WITH LOGIN', w.name)
FROM wanted_users w
WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = w.name)
\gexec

SELECT format('GRANT rds_iam TO %I', w.name)
FROM wanted_users w
JOIN pg_roles member ON member.rolname = w.name
WHERE NOT EXISTS (
  SELECT 1 FROM pg_auth_members m
  WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'rds_iam') AND m.member = member.oid
)
\gexec

SELECT format('GRANT pg_read_all_data TO %I', :'backup_user')
WHERE NOT EXISTS (
  SELECT 1 FROM pg_auth_members m
  JOIN pg_roles member ON member.oid = m.member
  WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'pg_read_all_data') AND member.rolname = :'backup_user'
)
\gexec

SELECT format('ALTER ROLE %I SET default_transaction_read_only = on', :'backup_user')
WHERE NOT EXISTS (
  SELECT 1 FROM pg_db_role_setting s
  JOIN pg_roles r ON r.oid = s.setrole
  WHERE r.rolname = :'backup_user' AND s.setdatabase = 0 AND 'default_transaction_read_only=on' = ANY (s.setconfig)
)
\gexec

SELECT format('GRANT SELECT ON LARGE OBJECT %s TO %I', m.oid, :'backup_user')
FROM pg_largeobject_metadata m
WHERE NOT EXISTS (
  SELECT 1 FROM aclexplode(m.lomacl) a
  WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = :'backup_user') AND a.privilege_type = 'SELECT'
)
\gexec

SELECT format('users ready: %s', string_agg(name, ', ' ORDER BY name)) FROM wanted_users;
