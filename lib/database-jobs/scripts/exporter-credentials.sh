#!/usr/bin/env bash
# Writes the monitoring user's password, which the users Job keeps in Secrets Manager, into a
# memory-backed volume for postgres_exporter (DATA_SOURCE_PASS_FILE). Runs in the
# `amazon/aws-cli` image with the exporter's role, which may only read that secret.
#
# Environment: MONITORING_SECRET_ARN, AWS_REGION, MONITOR_PASSWORD_FILE.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env MONITORING_SECRET_ARN AWS_REGION MONITOR_PASSWORD_FILE
umask 077
aws secretsmanager get-secret-value --secret-id "$MONITORING_SECRET_ARN" --region "$AWS_REGION" --query SecretString --output text >"$MONITOR_PASSWORD_FILE" ||
  fail "could not read the monitoring password from $MONITORING_SECRET_ARN: has the users Job run yet? (it sets the password)"
