-- Creates the database users the library's constructs need, idempotently: run it any number
-- of times, it changes only what is missing and never grants anything twice.
-- - every service user (psql variable service_users, comma-separated) and the backup user
--   (backup_user): login roles with no password, signing in with IAM (rds_iam), except the users
--   an RDS Proxy signs in as (proxy_users), whose passwords proxy-user.sql sets;
-- - the backup user reads everything (pg_read_all_data, PostgreSQL 14+), starts its sessions
--   read-only (default_transaction_read_only: a guard against mistakes, not a boundary, as a
--   session may turn it off; the boundary is that it holds no write privilege), and may read
--   the large objects that exist now: they have privileges of their own, which
--   pg_read_all_data does not cover.
-- - each migration user (migration_grants) may create in the public schema, and its service's
--   user gets the rows of what it creates;
-- Other object privileges of the service users stay with the services' migrations.
\set ON_ERROR_STOP on

CREATE TEMP TABLE wanted_users AS
SELECT DISTINCT u AS name
FROM unnest(string_to_array(:'service_users' || ',' || :'backup_user', ',')) AS u
WHERE u <> '';

SELECT format('CREATE ROLE %I WITH LOGIN', w.name)
FROM wanted_users w
WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = w.name)
\gexec

-- Users an RDS Proxy signs in as (psql variable proxy_users) sign in with a password, which
-- PostgreSQL on RDS refuses to rds_iam members: proxy-user.sql gives them theirs instead.
SELECT format('GRANT rds_iam TO %I', w.name)
FROM wanted_users w
JOIN pg_roles member ON member.rolname = w.name
WHERE w.name <> ALL (string_to_array(:'proxy_users', ','))
AND NOT EXISTS (
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

-- Large objects: only their owner may grant on them, and the RDS master user is not a
-- superuser. For an object it does not own, it grants as the owner: it may take the owner's
-- role when it administers it (it created the service users: PostgreSQL 16+ gives it ADMIN, and
-- membership with SET but without INHERIT is enough; before 16, CREATEROLE is). An object it
-- cannot grant on is reported, and the backup fails on it with the fix.
SELECT set_config('groundwork.backup_user', :'backup_user', false);
DO $$
DECLARE
  backup_user text := current_setting('groundwork.backup_user');
  me text := current_user;
  lo record;
  skipped int := 0;
BEGIN
  FOR lo IN
    SELECT m.oid, pg_get_userbyid(m.lomowner) AS owner
    FROM pg_largeobject_metadata m
    WHERE NOT EXISTS (
      SELECT 1 FROM aclexplode(m.lomacl) a
      WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = backup_user) AND a.privilege_type = 'SELECT'
    )
  LOOP
    BEGIN
      IF lo.owner <> me AND NOT pg_has_role(me, lo.owner, 'MEMBER') THEN
        IF current_setting('server_version_num')::int >= 160000 THEN
          EXECUTE format('GRANT %I TO %I WITH INHERIT FALSE, SET TRUE', lo.owner, me);
        ELSE
          EXECUTE format('GRANT %I TO %I', lo.owner, me);
        END IF;
      END IF;
      IF lo.owner <> me THEN
        EXECUTE format('SET LOCAL ROLE %I', lo.owner);
      END IF;
      EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO %I', lo.oid, backup_user);
      EXECUTE format('SET LOCAL ROLE %I', me);
    EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
      skipped := skipped + 1;
      RAISE WARNING 'large object % (owner %): cannot grant SELECT to % as %: %', lo.oid, lo.owner, backup_user, me, SQLERRM;
    END;
  END LOOP;
  IF skipped > 0 THEN
    RAISE WARNING '% large objects stay unreadable by %: the backup will fail on them (grant SELECT as their owner, or leave large objects out of the dump)', skipped, backup_user;
  END IF;
END
$$;

-- Migration users (psql variable migration_grants: "<migration user>:<service user>",
-- comma-separated; each is in service_users too, so it exists and signs in with IAM). A migration
-- user owns what its service's migrations create: it may create in the public schema (which
-- PostgreSQL 15+ no longer allows every role), and its service's user gets the rows of every
-- table and sequence it creates there (default privileges), never the right to change the
-- schema. The default privileges are set as the migration user, which the master user may
-- become as for large objects below: SET without INHERIT on 16+, plain membership before.
CREATE TEMP TABLE migration_grants AS
SELECT split_part(g, ':', 1) AS migrator, split_part(g, ':', 2) AS app
FROM unnest(string_to_array(:'migration_grants', ',')) AS g
WHERE g <> '';

SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', g.migrator)
FROM migration_grants g
WHERE NOT has_schema_privilege(g.migrator, 'public', 'CREATE')
\gexec

SELECT format('GRANT USAGE ON SCHEMA public TO %I', g.app)
FROM migration_grants g
WHERE NOT has_schema_privilege(g.app, 'public', 'USAGE')
\gexec

SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
  THEN format('GRANT %I TO %I WITH INHERIT FALSE, SET TRUE', g.migrator, current_user)
  ELSE format('GRANT %I TO %I', g.migrator, current_user)
END
FROM migration_grants g
WHERE NOT CASE WHEN current_setting('server_version_num')::int >= 160000
  THEN pg_has_role(current_user, g.migrator, 'SET')
  ELSE pg_has_role(current_user, g.migrator, 'MEMBER')
END
\gexec

-- As the migration user (SET ROLE needs only the SET option on 16+; ALTER DEFAULT PRIVILEGES
-- FOR ROLE would need INHERIT there), for what it creates: setting the same default privileges
-- again changes nothing, no duplicate entries.
SELECT format('SET ROLE %I', g.migrator),
       format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', g.app),
       format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', g.app),
       'RESET ROLE'
FROM migration_grants g
\gexec

-- The exporter's user (postgres_exporter has no IAM sign-in): pg_monitor only. Its password, which
-- the users Job keeps in Secrets Manager, users.sh sets at every run with psql's \password (a
-- SCRAM verifier, never the password, reaches the server).
\if :{?monitor_user}
  SELECT format('CREATE ROLE %I WITH LOGIN', :'monitor_user')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'monitor_user')
  \gexec
  SELECT format('GRANT pg_monitor TO %I', :'monitor_user')
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles member ON member.oid = m.member
    WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'pg_monitor') AND member.rolname = :'monitor_user'
  )
  \gexec
  INSERT INTO wanted_users VALUES (:'monitor_user');
\endif

SELECT format('users ready: %s', string_agg(name, ', ' ORDER BY name)) FROM wanted_users;
