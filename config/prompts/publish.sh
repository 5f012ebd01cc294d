#!/bin/sh
# Publishes every prompt template not yet in prompts.lock: appends "<id> <version> <sha256>".
# Never rewrites a published entry; a changed published template is reported and nothing is
# written (publish the new text as a new version instead). Run from anywhere.
set -eu
cd "$(dirname "$0")"
touch prompts.lock
changed=0
for f in */*; do
  [ -f "$f" ] || continue
  id=${f%%/*}; version=${f#*/}
  hash=$(sha256sum "$f" | cut -d' ' -f1)
  locked=$(awk -v i="$id" -v v="$version" '$1==i && $2==v {print $3}' prompts.lock)
  if [ -z "$locked" ]; then
    echo "$id $version $hash" >> prompts.lock
    echo "published $id $version"
  elif [ "$locked" != "$hash" ]; then
    echo "CHANGED after publishing: $id $version (publish it as a new version)" >&2
    changed=1
  fi
done
exit $changed
