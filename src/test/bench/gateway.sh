#!/usr/bin/env bash
# The gateway in one run: starts a mock upstream and Warden (mvn -Prun, on 9080) on H2 and/or a
# fresh PostgreSQL database (warden_bench on 127.0.0.1:5432), measures start-to-ready, throughput,
# latency, CPU per request, RSS and streaming time to first event, through Warden and directly
# against the mock, stops everything and prints one markdown table per database.
# Usage: src/test/bench/gateway.sh [h2|postgresql|both] [quick] [no-build] [profile] [soak=N]
set -euo pipefail
cd "$(dirname "$0")/../../.."
which="${1:-both}"
shift || true
mvn -q -B test-compile
run() {
  mvn -q -B exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=dev.warden.bench.GatewayBench -Dexec.args="$1 ${*:2}"
}
case "$which" in
  h2 | postgresql) run "$which" "$@" ;;
  both) run h2 "$@" && run postgresql "$@" ;;
  *) echo "usage: $0 [h2|postgresql|both] [quick] [no-build] [profile] [soak=N]" >&2; exit 2 ;;
esac
