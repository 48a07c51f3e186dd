#!/usr/bin/env bash
# Uploads the dump and then its manifest (a manifest means its dump is complete) to the
# backup bucket, encrypted with the bucket's KMS key, whose policy refuses any other. Runs in
# the `amazon/aws-cli` image after backup.sh.
#
# Environment: BUCKET, KMS_KEY_ARN, WORK_DIR; S3_ENDPOINT_URL for an S3-compatible server.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env BUCKET KMS_KEY_ARN WORK_DIR
[ -s "$WORK_DIR/key-stem" ] || fail "no finished dump in $WORK_DIR (backup.sh did not complete)"
stem=$(cat "$WORK_DIR/key-stem")
sse=(--sse aws:kms --sse-kms-key-id "$KMS_KEY_ARN")

s3 s3 cp "$WORK_DIR/backup.dump" "s3://$BUCKET/$stem.dump" "${sse[@]}" --only-show-errors ||
  fail "upload of s3://$BUCKET/$stem.dump failed"
s3 s3 cp "$WORK_DIR/backup.manifest.json" "s3://$BUCKET/$stem.manifest.json" "${sse[@]}" --content-type application/json --only-show-errors ||
  fail "upload of s3://$BUCKET/$stem.manifest.json failed"
log "uploaded s3://$BUCKET/$stem.dump ($(stat -c %s "$WORK_DIR/backup.dump") bytes) and its manifest"
