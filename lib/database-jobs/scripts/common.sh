# Shared by every script of the database jobs: strict mode, logging, and how a job fails.
# Sourced, never run. The scripts run in the official `postgres` and `amazon/aws-cli` images,
# so they use bash and what those images ship, nothing else (no jq, no python).
set -euo pipefail

# A list of hosts (a replica backup gets the reader endpoints) means its first.
if [ -n "${PGHOST:-}" ]; then
  PGHOST=${PGHOST%%,*}
  export PGHOST
fi

log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${0##*/}" "$*" >&2
}

# Ends the job with a reason that reaches `kubectl logs` and the Job's failure.
fail() {
  log "FAILED: $*"
  exit 1
}

# Fails naming every variable in "$@" that is unset or empty.
require_env() {
  local missing=() name
  for name in "$@"; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  [ "${#missing[@]}" -eq 0 ] || fail "missing environment: ${missing[*]}"
}

# The password (an IAM token, or the master password) from the file an init container wrote:
# never an environment variable of the pod spec, never a command-line argument.
load_password() {
  require_env DB_PASSWORD_FILE
  [ -s "$DB_PASSWORD_FILE" ] || fail "no password in $DB_PASSWORD_FILE (did the credentials init container run?)"
  PGPASSWORD=$(cat "$DB_PASSWORD_FILE")
  export PGPASSWORD
}

# `aws` with an S3-compatible endpoint when S3_ENDPOINT_URL is set (tests, MinIO); AWS otherwise.
s3() {
  aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} "$@"
}

