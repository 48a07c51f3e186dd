-- Compares the manifest written at backup time (psql variable expected_file: its path, read by
-- the throwaway server, whose superuser we are) with the manifest of the restored copy
-- (variable actual_file: its path). Prints one line per difference and nothing when they agree.
WITH expected AS (
  SELECT pg_read_file(:'expected_file')::json AS m
), actual AS (
  SELECT pg_read_file(:'actual_file')::json AS m
), expected_tables AS (
  SELECT t->>'schema' AS schema, t->>'table' AS name, (t->>'rows')::bigint AS rows
  FROM expected, json_array_elements(expected.m->'tables') t
), actual_tables AS (
  SELECT t->>'schema' AS schema, t->>'table' AS name, (t->>'rows')::bigint AS rows
  FROM actual, json_array_elements(actual.m->'tables') t
)
SELECT line FROM (
  SELECT 1 AS sort, format('table %I.%I: %s rows in the manifest, %s restored', e.schema, e.name, e.rows, a.rows) AS line
  FROM expected_tables e JOIN actual_tables a USING (schema, name)
  WHERE e.rows IS DISTINCT FROM a.rows
  UNION ALL
  SELECT 2, format('table %I.%I: in the manifest, missing from the restore', e.schema, e.name)
  FROM expected_tables e LEFT JOIN actual_tables a USING (schema, name) WHERE a.name IS NULL
  UNION ALL
  SELECT 3, format('table %I.%I: restored, but not in the manifest', a.schema, a.name)
  FROM actual_tables a LEFT JOIN expected_tables e USING (schema, name) WHERE e.name IS NULL
  UNION ALL
  SELECT 4, format('large objects: %s in the manifest, %s restored', expected.m->>'large_objects', actual.m->>'large_objects')
  FROM expected, actual WHERE (expected.m->>'large_objects') IS DISTINCT FROM (actual.m->>'large_objects')
) differences
ORDER BY sort, line;
