#!/usr/bin/env bash
# Audit write benchmark: per-record write latency (p50/p99, one writer) and records/s with
# concurrent writers, on embedded H2 and on PostgreSQL (127.0.0.1:5432, database
# warden_audit_bench, dropped and created afresh). Usage: src/test/bench/audit-write.sh [h2|postgresql|both]
set -euo pipefail
cd "$(dirname "$0")/../../.."
which="${1:-both}"
run() {
  mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=dev.warden.bench.AuditWriteBench -Dexec.args="$1 1 4 8 16"
}
if [ "$which" = h2 ] || [ "$which" = both ]; then run h2; fi
if [ "$which" = postgresql ] || [ "$which" = both ]; then run postgresql; fi
