#!/usr/bin/env bash
# Reads the master user's credentials, which RDS manages and rotates, from Secrets Manager into
# a memory-backed volume for users.sh. Runs in the `amazon/aws-cli` image with the users Job's
# role, the only one allowed to read the secret. With MONITORING_SECRET_ARN, also the password
# of the monitoring user (postgres_exporter cannot sign in with IAM): generated here the first
# time and stored in that secret, which Terraform created without a value, so it is never in
# Terraform state nor in any manifest.
#
# Environment: MASTER_SECRET_ARN, AWS_REGION, MASTER_SECRET_FILE; MONITORING_SECRET_ARN and
# MONITOR_PASSWORD_FILE for the monitoring user.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env MASTER_SECRET_ARN AWS_REGION MASTER_SECRET_FILE
umask 077
aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --region "$AWS_REGION" --query SecretString --output text >"$MASTER_SECRET_FILE" ||
  fail "could not read the master secret $MASTER_SECRET_ARN (does the pod's role allow secretsmanager:GetSecretValue and kms:Decrypt?)"

if [ -n "${MONITORING_SECRET_ARN:-}" ]; then
  require_env MONITOR_PASSWORD_FILE
  if ! aws secretsmanager get-secret-value --secret-id "$MONITORING_SECRET_ARN" --region "$AWS_REGION" --query SecretString --output text >"$MONITOR_PASSWORD_FILE" 2>"$MONITOR_PASSWORD_FILE.err"; then
    grep -q ResourceNotFoundException "$MONITOR_PASSWORD_FILE.err" ||
      fail "could not read the monitoring secret $MONITORING_SECRET_ARN: $(cat "$MONITOR_PASSWORD_FILE.err")"
    log "the monitoring secret has no value yet: generating the monitoring user's password"
    # 48 letters and digits from the kernel's random source: no AWS call, no permission.
    LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 48 >"$MONITOR_PASSWORD_FILE" || true
    [ "$(wc -c <"$MONITOR_PASSWORD_FILE")" -eq 48 ] || fail "could not generate a password"
    aws secretsmanager put-secret-value --secret-id "$MONITORING_SECRET_ARN" --region "$AWS_REGION" --secret-string "file://$MONITOR_PASSWORD_FILE" >/dev/null ||
      fail "could not store the monitoring password in $MONITORING_SECRET_ARN (does the role allow secretsmanager:PutSecretValue?)"
  fi
  rm -f "$MONITOR_PASSWORD_FILE.err"
fi
