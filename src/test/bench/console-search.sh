#!/usr/bin/env bash
# The console's audit search on a large log: seeds a fresh PostgreSQL database
# (127.0.0.1:5432, warden_audit_console_bench, dropped and created afresh) with N audit records through
# the real chain appender, then prints p50/p95 of the search for typical filters and the chain
# verification rate. Usage: src/test/bench/console-search.sh [records, default 1000000] [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.ConsoleSearchBench -Dexec.args="${1:-1000000} ${2:-40}"
