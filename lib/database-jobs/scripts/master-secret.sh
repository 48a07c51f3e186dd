#!/usr/bin/env bash
# Reads the master user's credentials, which RDS manages and rotates, from Secrets Manager into
# a memory-backed volume for users.sh. Runs in the `amazon/aws-cli` image with the users Job's
# role, the only one allowed to read the secret.
#
# Environment: MASTER_SECRET_ARN, AWS_REGION, MASTER_SECRET_FILE.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env MASTER_SECRET_ARN AWS_REGION MASTER_SECRET_FILE
umask 077
aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --region "$AWS_REGION" --query SecretString --output text >"$MASTER_SECRET_FILE" ||
  fail "could not read the master secret $MASTER_SECRET_ARN (does the pod's role allow secretsmanager:GetSecretValue and kms:Decrypt?)"
