#!/usr/bin/env bash
# Downloads the newest dump and its manifest for the restore verification. Runs in the
# `amazon/aws-cli` image before verify.sh.
#
# Environment: BUCKET, KEY_PREFIX, WORK_DIR; S3_ENDPOINT_URL for an S3-compatible server.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
require_env BUCKET KEY_PREFIX WORK_DIR

# Keys are dated, so the greatest manifest key is the newest complete backup. JSON output: with
# text output the CLI applies --query to each page of 1000 keys, not to the whole listing.
key=$(s3 s3api list-objects-v2 --bucket "$BUCKET" --prefix "$KEY_PREFIX/" \
  --query "sort(Contents[?ends_with(Key, '.manifest.json')].Key || \`[]\`)[-1]" --output json) ||
  fail "could not list s3://$BUCKET/$KEY_PREFIX/"
key=${key#\"}
key=${key%\"}
if [ -z "$key" ] || [ "$key" = null ]; then
  fail "no backup under s3://$BUCKET/$KEY_PREFIX/: the backup CronJob has not succeeded yet"
fi
dump_key="${key%.manifest.json}.dump"
s3 s3 cp "s3://$BUCKET/$key" "$WORK_DIR/backup.manifest.json" --only-show-errors || fail "download of s3://$BUCKET/$key failed"
s3 s3 cp "s3://$BUCKET/$dump_key" "$WORK_DIR/backup.dump" --only-show-errors || fail "download of s3://$BUCKET/$dump_key failed"
printf '%s\n' "$dump_key" >"$WORK_DIR/source-key"
log "downloaded s3://$BUCKET/$dump_key and its manifest"
