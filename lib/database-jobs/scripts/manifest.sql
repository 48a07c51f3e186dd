-- The manifest of a database, as one line of JSON: every ordinary table (partitions included,
-- system schemas excluded) with its exact row count and size, the number of large objects, and
-- the server version. The backup runs it in the snapshot pg_dump used, so the counts describe
-- exactly the rows in the dump; the verification runs it on the restored copy and compares.
-- Materialized views and sequences are left out: a restore refreshes the one and the other is
-- not transactional, so neither can be compared.
-- On a hot standby unlogged tables hold no rows to read (pg_dump skips their data there too),
-- so they are left out. The roles are listed so that a restore can create the ones the dump's
-- policies and grants name.
-- psql variables: dump_sha256, dump_bytes, dump_key (text; empty on the restored side) and
-- large_objects (include or exclude: pg_dump --no-blobs).
\if :{?large_objects}
\else
  \set large_objects include
\endif
SELECT json_build_object(
  'format', 'groundwork-logical-backup/v1',
  'database', current_database(),
  'server_version', current_setting('server_version'),
  'server_version_num', current_setting('server_version_num')::int,
  'taken_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'dump_key', :'dump_key',
  'dump_sha256', :'dump_sha256',
  'dump_bytes', nullif(:'dump_bytes', '')::bigint,
  'large_objects', CASE WHEN :'large_objects' = 'exclude' THEN 0 ELSE (SELECT count(*) FROM pg_largeobject_metadata) END,
  'large_objects_dumped', :'large_objects' <> 'exclude',
  'unlogged_tables_skipped', pg_is_in_recovery(),
  'roles', coalesce((SELECT json_agg(rolname ORDER BY rolname) FROM pg_roles WHERE rolname !~ '^(pg_|rds)'), '[]'::json),
  'tables', coalesce((
    SELECT json_agg(json_build_object('schema', t.schema, 'table', t.name, 'rows', t.rows, 'bytes', t.bytes) ORDER BY t.schema, t.name)
    FROM (
      SELECT n.nspname AS schema,
             c.relname AS name,
             (xpath('/row/n/text()',
                    query_to_xml(format('SELECT count(*) AS n FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS rows,
             pg_total_relation_size(c.oid) AS bytes
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r'
        AND (c.relpersistence <> 'u' OR NOT pg_is_in_recovery())
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND n.nspname NOT LIKE 'pg_temp_%'
        AND n.nspname NOT LIKE 'pg_toast_temp_%'
        -- Tables an extension creates are its to fill, not the dump's.
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ) t
  ), '[]'::json)
);
