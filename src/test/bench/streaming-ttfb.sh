#!/usr/bin/env bash
# Time to first event and per-event forwarding, direct to the mock upstream vs through Warden.
# Uses a running `mvn -Prun` (Warden on :9080, mock on :9089) or starts one and stops it after.
set -euo pipefail
cd "$(dirname "$0")/../../.."
started=""
# the development API key of dev-user (the quick start enables the development registry)
DEV_KEY=wk_devuserkey01_devsecret-devsecret-devsecret-01
if ! curl -sf -o /dev/null -H "Authorization: Bearer $DEV_KEY" http://localhost:9080/v1/models; then
  echo "starting Warden (mvn -Prun) ..."
  mkdir -p target
  mvn -q -B -Prun > target/bench-run.log 2>&1 &
  started=$!
  trap 'kill "$started" 2>/dev/null; wait "$started" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null -H "Authorization: Bearer $DEV_KEY" http://localhost:9080/v1/models && break
    sleep 2
  done
fi
mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.StreamingBench -Dexec.args="${*:-}"
