#!/usr/bin/env bash
# Creates the backup user and every service's IAM user (users.sql), signed in as the master
# user with the password RDS keeps in Secrets Manager. Runs in the `postgres` image after
# master-secret.sh wrote the secret into a memory-backed volume; nothing else sees it.
#
# Environment: PGHOST, PGPORT, PGDATABASE, PGSSLMODE, PGSSLROOTCERT, MASTER_SECRET_FILE,
# BACKUP_USER, SERVICE_USERS (comma-separated); MONITOR_USER and MONITOR_PASSWORD_FILE for the
# exporter's user; PROXY_USERS (comma-separated, each also in SERVICE_USERS) and
# PROXY_PASSWORDS_DIR for the users an RDS Proxy signs in as (proxy-user.sql).
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env PGHOST PGDATABASE MASTER_SECRET_FILE BACKUP_USER
scripts=$(dirname "$0")
[ -s "$MASTER_SECRET_FILE" ] || fail "no master secret in $MASTER_SECRET_FILE (did the credentials init container run?)"

# JSON string unescaping for the secret's two fields: the image has no JSON tool.
json_unescape() {
  local in=$1 out='' next
  while [ -n "$in" ]; do
    if [ "${in:0:1}" = '\' ]; then
      next=${in:1:1}
      case $next in
        '"' | '\' | '/') out+=$next ;;
        n) out+=$'\n' ;;
        t) out+=$'\t' ;;
        r) out+=$'\r' ;;
        b) out+=$'\b' ;;
        f) out+=$'\f' ;;
        *) fail "the master secret uses a JSON escape this script does not read (\\$next)" ;;
      esac
      in=${in:2}
    else
      out+=${in:0:1}
      in=${in:1}
    fi
  done
  printf '%s' "$out"
}
# The value of a string field of the secret, e.g. {"username":"dbadmin","password":"..."}.
secret_field() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*\"(([^\"\\\\]|\\\\.)*)\""
  [[ $secret =~ $pattern ]] || fail "the master secret has no \"$1\" field"
  json_unescape "${BASH_REMATCH[1]}"
}
secret=$(cat "$MASTER_SECRET_FILE")
PGUSER=$(secret_field username)
PGPASSWORD=$(secret_field password)
unset secret
export PGUSER PGPASSWORD

log "creating users in $PGDATABASE on $PGHOST as $PGUSER: backup user $BACKUP_USER, service users ${SERVICE_USERS:-none}"
monitor=()
if [ -n "${MONITOR_USER:-}" ]; then
  [ -s "${MONITOR_PASSWORD_FILE:-}" ] || fail "MONITOR_USER is set but there is no password in MONITOR_PASSWORD_FILE"
  # users.sql creates the role; its password is set below, as a SCRAM verifier.
  monitor=(--set monitor_user="$MONITOR_USER")
fi
psql --no-psqlrc --quiet --no-align --tuples-only --set ON_ERROR_STOP=1 \
  --set backup_user="$BACKUP_USER" --set service_users="${SERVICE_USERS:-}" --set migration_grants="${MIGRATION_GRANTS:-}" \
  --set proxy_users="${PROXY_USERS:-}" \
  "${monitor[@]}" --file="$scripts/users.sql" ||
  fail "creating the users failed (the error is above)"

# Sets a role's password from a file with psql's \password, which computes the SCRAM verifier in
# the client and sends only that: the password is in no statement (pg_stat_statements, the log)
# and on no command line. \password reads it twice, from standard input when there is no terminal.
set_password() {
  local user=$1 file=$2
  { cat "$file"; printf '\n'; cat "$file"; printf '\n'; } |
    psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --command "\\password \"$user\"" >/dev/null ||
    fail "setting the password of $user failed"
}

if [ -n "${MONITOR_USER:-}" ]; then
  set_password "$MONITOR_USER" "$MONITOR_PASSWORD_FILE"
fi

if [ -n "${PROXY_USERS:-}" ]; then
  require_env PROXY_PASSWORDS_DIR
  IFS=, read -r -a proxy_users <<<"$PROXY_USERS"
  for user in "${proxy_users[@]}"; do
    [ -s "$PROXY_PASSWORDS_DIR/$user" ] || fail "no password for the proxy user $user in $PROXY_PASSWORDS_DIR (did the credentials init container run?)"
    psql --no-psqlrc --quiet --no-align --tuples-only --set ON_ERROR_STOP=1 --set proxy_user="$user" --file="$scripts/proxy-user.sql" ||
      fail "setting up the proxy user $user failed (the error is above)"
    set_password "$user" "$PROXY_PASSWORDS_DIR/$user"
    log "proxy user ready: $user"
  done
fi
