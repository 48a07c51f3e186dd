#!/usr/bin/env bash
# Logical backup of one database: `pg_dump -Fc` and its manifest, both from one snapshot, so
# the manifest's row counts are exactly the rows in the dump. Runs in the `postgres` image;
# upload.sh sends both files to S3 after it. It never deletes anything: the bucket's lifecycle
# rules expire old dumps.
#
# Environment: PGHOST, PGPORT, PGDATABASE, PGUSER (the read-only backup user), PGSSLMODE,
# PGSSLROOTCERT, DB_PASSWORD_FILE (its IAM token), WORK_DIR (where the files go), KEY_PREFIX
# (`logical/<database>`), LARGE_OBJECTS (`include`, the default, or `exclude`).
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env PGHOST PGDATABASE PGUSER WORK_DIR KEY_PREFIX
load_password
scripts=$(dirname "$0")

stamp=$(date -u +%Y%m%dT%H%M%SZ)
# Dated keys sort by time, so the newest dump is the greatest key under the prefix.
stem="$KEY_PREFIX/${stamp:0:4}/${stamp:4:2}/${stamp:6:2}/$PGDATABASE-$stamp"
dump="$WORK_DIR/backup.dump"
manifest="$WORK_DIR/backup.manifest.json"
rm -f "$dump" "$manifest" "$WORK_DIR/key-stem"

# One session holds a repeatable-read snapshot open while pg_dump reads it (--snapshot), then
# computes the manifest in the same snapshot.
coproc SESSION { exec psql --no-psqlrc --quiet --no-align --tuples-only --set ON_ERROR_STOP=1; }
session_pid=$SESSION_PID
# Copies of the coprocess's pipes: bash closes SESSION[0] and SESSION[1] as soon as it reaps
# psql, which would lose the manifest when psql finishes before we read it.
exec {session_in}>&"${SESSION[1]}" {session_out}<&"${SESSION[0]}"
# A psql that died early must fail the job with our message, not kill it with SIGPIPE.
trap '' PIPE
printf '%s\n' \
  'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;' \
  'SET LOCAL idle_in_transaction_session_timeout = 0;' \
  'SET LOCAL statement_timeout = 0;' \
  'SELECT pg_export_snapshot();' >&"$session_in"
read -r snapshot <&"$session_out" || true
[ -n "${snapshot:-}" ] || fail "could not open a snapshot in $PGDATABASE on $PGHOST as $PGUSER (the psql error is above)"

large_objects=${LARGE_OBJECTS:-include}
case $large_objects in
  include) large_object_flags=() ;;
  exclude) large_object_flags=(--no-blobs) ;;
  *) fail "LARGE_OBJECTS must be include or exclude, got \"$large_objects\"" ;;
esac
log "dumping $PGDATABASE from $PGHOST as $PGUSER (snapshot $snapshot, large objects: $large_objects)"
# A migration holding a lock makes the dump fail after 10 minutes instead of hanging.
if ! pg_dump --format=custom --snapshot="$snapshot" --lock-wait-timeout=600s --no-password "${large_object_flags[@]}" --file="$dump"; then
  fail "pg_dump of $PGDATABASE failed (its error is above). 'permission denied for large object': large objects created since the users Job ran are not readable by $PGUSER; run the users Job again, or leave large objects out (largeObjects). 'row-level security': $PGUSER cannot bypass it (pg_read_all_data does not), so tables with policies cannot be dumped by it"
fi

sha256=$(sha256sum "$dump" | cut -d' ' -f1)
bytes=$(stat -c %s "$dump")
{
  printf '\\set dump_sha256 %s\n\\set dump_bytes %s\n\\set dump_key %s\n\\set large_objects %s\n' "$sha256" "$bytes" "$stem.dump" "$large_objects"
  printf '\\i %s\n' "$scripts/manifest.sql"
  printf 'COMMIT;\n\\q\n'
} >&"$session_in"
cat <&"$session_out" >"$manifest"
wait "$session_pid" || fail "the manifest query failed (its error is above)"
[ -s "$manifest" ] || fail "the manifest is empty"

printf '%s\n' "$stem" >"$WORK_DIR/key-stem"
log "dumped $PGDATABASE: $bytes bytes, sha256 $sha256; manifest written"
