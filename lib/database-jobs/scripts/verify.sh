#!/usr/bin/env bash
# Restore verification: checks the dump against its manifest's checksum, restores it into a
# throwaway PostgreSQL inside this pod, and compares every table's row count and the large
# objects with the manifest. Any difference or failure fails the job and says why. Runs in the
# `postgres` image (same major version as the database, or newer) after fetch-latest.sh.
#
# Environment: WORK_DIR (holds backup.dump and backup.manifest.json; the server's data goes
# there too); RESTORE_JOBS (parallel pg_restore jobs, default 2).
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env WORK_DIR
scripts=$(cd "$(dirname "$0")" && pwd)
WORK_DIR=$(cd "$WORK_DIR" && pwd)
dump="$WORK_DIR/backup.dump"
manifest="$WORK_DIR/backup.manifest.json"
source_key=$(cat "$WORK_DIR/source-key" 2>/dev/null || printf '%s' "$dump")
[ -s "$manifest" ] || fail "no manifest at $manifest (did fetch-latest.sh run?)"
[ -f "$dump" ] || fail "no dump at $dump (did fetch-latest.sh run?)"

# The throwaway server: a Unix socket in WORK_DIR only, no durability (it dies with the pod).
data="$WORK_DIR/restore-data"
rm -rf "$data"
initdb --pgdata="$data" --username=verify --auth=trust --encoding=UTF8 --no-sync >/dev/null || fail "initdb failed"
unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSSLROOTCERT
export PGHOST="$WORK_DIR" PGPORT=5432 PGUSER=verify
pg_ctl --pgdata="$data" --log="$WORK_DIR/restore-server.log" --wait --silent \
  -o "-c listen_addresses='' -c unix_socket_directories='$WORK_DIR' -c port=$PGPORT -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_wal_size=4GB" \
  start || { cat "$WORK_DIR/restore-server.log" >&2 || true; fail "the throwaway PostgreSQL did not start"; }
trap 'pg_ctl --pgdata="$data" --mode=immediate --silent stop >/dev/null 2>&1 || true' EXIT
query() { psql --no-psqlrc --quiet --no-align --tuples-only --set ON_ERROR_STOP=1 "$@"; }

# 1. The dump is the one the manifest describes.
manifest_path=$manifest
expected_sha256=$(query --dbname=postgres --set file="$manifest_path" <<<"SELECT pg_read_file(:'file')::json->>'dump_sha256';" 2>&1) ||
  fail "the manifest of $source_key is not valid JSON: $expected_sha256"
actual_sha256=$(sha256sum "$dump" | cut -d' ' -f1)
[ -n "$expected_sha256" ] || fail "the manifest of $source_key has no dump_sha256"
[ "$expected_sha256" = "$actual_sha256" ] ||
  fail "checksum mismatch for $source_key: the manifest says sha256 $expected_sha256, the dump has $actual_sha256 (truncated, corrupted or replaced)"

# 2. It restores, completely: the first error stops the restore and fails the job. The roles the
#    dump's policies and grants name exist first (without login), as on the source.
query --dbname=postgres <<<'CREATE DATABASE restored;' || fail "could not create the database to restore into"
query --dbname=postgres --set file="$manifest_path" <<<"SELECT format('CREATE ROLE %I NOLOGIN', r) FROM json_array_elements_text(coalesce(pg_read_file(:'file')::json->'roles', '[]')) r WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec" >/dev/null ||
  fail "could not create the roles the manifest lists"
log "restoring $source_key ($(stat -c %s "$dump") bytes)"
pg_restore --dbname=restored --exit-on-error --jobs="${RESTORE_JOBS:-2}" --no-owner --no-privileges \
  --no-publications --no-subscriptions --no-security-labels --no-tablespaces "$dump" ||
  fail "pg_restore of $source_key failed (its error is above): the dump does not restore"

# 3. The restored copy has exactly the rows the manifest lists.
actual="$WORK_DIR/restored.manifest.json"
large_objects=$(query --dbname=postgres --set file="$manifest_path" <<<"SELECT CASE WHEN pg_read_file(:'file')::json->>'large_objects_dumped' = 'false' THEN 'exclude' ELSE 'include' END;")
query --dbname=restored --set dump_sha256= --set dump_bytes= --set dump_key= --set large_objects="$large_objects" --file="$scripts/manifest.sql" >"$actual" ||
  fail "could not compute the manifest of the restored copy"
differences=$(query --dbname=restored --set expected_file="$manifest_path" --set actual_file="$actual" --file="$scripts/compare.sql") ||
  fail "could not compare the restored copy with the manifest of $source_key"
if [ -n "$differences" ]; then
  while IFS= read -r line; do log "mismatch: $line"; done <<<"$differences"
  fail "the restore of $source_key differs from its manifest ($(wc -l <<<"$differences") differences above)"
fi
summary=$(query --dbname=restored --set file="$actual" <<<"SELECT format('%s tables, %s rows, %s large objects', json_array_length(m->'tables'), coalesce((SELECT sum((t->>'rows')::bigint) FROM json_array_elements(m->'tables') t), 0), m->>'large_objects') FROM (SELECT pg_read_file(:'file')::json AS m) x;")
log "verified $source_key: restored $summary, as its manifest lists"
