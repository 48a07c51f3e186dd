#!/usr/bin/env bash
# Writes the IAM authentication token for PGUSER into a memory-backed volume: valid 15 minutes,
# enough to open the connection, which then lives on. Signing is local (no AWS call); it runs
# in the `amazon/aws-cli` image with the pod's role.
#
# Environment: PGHOST, PGPORT, PGUSER, AWS_REGION, DB_PASSWORD_FILE.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env PGHOST PGPORT PGUSER AWS_REGION DB_PASSWORD_FILE
umask 077
aws rds generate-db-auth-token --hostname "$PGHOST" --port "$PGPORT" --username "$PGUSER" --region "$AWS_REGION" >"$DB_PASSWORD_FILE" ||
  fail "could not sign an IAM authentication token for $PGUSER (does the pod's role allow rds-db:connect?)"
