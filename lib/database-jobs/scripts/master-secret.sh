#!/usr/bin/env bash
# Reads the master user's credentials, which RDS manages and rotates, from Secrets Manager into
# a memory-backed volume for users.sh. Runs in the `amazon/aws-cli` image with the users Job's
# role, the only one allowed to read the secret. With MONITORING_SECRET_ARN, also the password
# of the monitoring user (postgres_exporter cannot sign in with IAM): generated here the first
# time and stored in that secret, which Terraform created without a value, so it is never in
# Terraform state nor in any manifest. With PROXY_USERS, the same for each user an RDS Proxy
# signs in as: its secret, `<PROXY_SECRET_PREFIX><user>`, holds {"username","password"} as RDS
# Proxy reads it, and the password goes to PROXY_PASSWORDS_DIR/<user>.
#
# Environment: MASTER_SECRET_ARN, AWS_REGION, MASTER_SECRET_FILE; MONITORING_SECRET_ARN and
# MONITOR_PASSWORD_FILE for the monitoring user; PROXY_USERS (comma-separated),
# PROXY_SECRET_PREFIX and PROXY_PASSWORDS_DIR for the proxy's users.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env MASTER_SECRET_ARN AWS_REGION MASTER_SECRET_FILE
umask 077
aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --region "$AWS_REGION" --query SecretString --output text >"$MASTER_SECRET_FILE" ||
  fail "could not read the master secret $MASTER_SECRET_ARN (does the pod's role allow secretsmanager:GetSecretValue and kms:Decrypt?)"

# Keeps a generated password in a secret Terraform created without a value: reads it, or the
# first time generates it and stores it. Writes the password (only) to $2. With a user name in
# $3, the secret holds {"username":"$3","password":"..."} (as RDS Proxy reads it); else the
# password alone.
keep_password() {
  local secret_id=$1 file=$2 user=${3:-} value pattern
  if value=$(aws secretsmanager get-secret-value --secret-id "$secret_id" --region "$AWS_REGION" --query SecretString --output text 2>"$file.err"); then
    if [ -n "$user" ]; then
      pattern='^\{"username":"([^"]*)","password":"([A-Za-z0-9]+)"\}$'
      [[ $value =~ $pattern ]] || fail "the secret $secret_id does not hold {\"username\",\"password\"} as this job writes it"
      [ "${BASH_REMATCH[1]}" = "$user" ] || fail "the secret $secret_id is for user ${BASH_REMATCH[1]}, not $user"
      printf '%s' "${BASH_REMATCH[2]}" >"$file"
    else
      printf '%s' "$value" >"$file"
    fi
  else
    grep -q ResourceNotFoundException "$file.err" || fail "could not read the secret $secret_id: $(cat "$file.err")"
    log "the secret $secret_id has no value yet: generating the password${user:+ of $user}"
    # 48 letters and digits from the kernel's random source: no AWS call, no permission.
    LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 48 >"$file" || true
    [ "$(wc -c <"$file")" -eq 48 ] || fail "could not generate a password"
    if [ -n "$user" ]; then
      printf '{"username":"%s","password":"%s"}' "$user" "$(cat "$file")" >"$file.json"
    else
      cp "$file" "$file.json"
    fi
    aws secretsmanager put-secret-value --secret-id "$secret_id" --region "$AWS_REGION" --secret-string "file://$file.json" >/dev/null ||
      fail "could not store the password in $secret_id (does the role allow secretsmanager:PutSecretValue?)"
    rm -f "$file.json"
  fi
  rm -f "$file.err"
}

if [ -n "${MONITORING_SECRET_ARN:-}" ]; then
  require_env MONITOR_PASSWORD_FILE
  keep_password "$MONITORING_SECRET_ARN" "$MONITOR_PASSWORD_FILE"
fi

if [ -n "${PROXY_USERS:-}" ]; then
  require_env PROXY_SECRET_PREFIX PROXY_PASSWORDS_DIR
  mkdir -p "$PROXY_PASSWORDS_DIR"
  IFS=, read -r -a proxy_users <<<"$PROXY_USERS"
  for user in "${proxy_users[@]}"; do
    [[ $user =~ ^[a-z_][a-z0-9_]*$ ]] || fail "PROXY_USERS holds \"$user\", not a PostgreSQL role name"
    keep_password "$PROXY_SECRET_PREFIX$user" "$PROXY_PASSWORDS_DIR/$user" "$user"
  done
fi
