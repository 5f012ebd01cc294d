#!/usr/bin/env bash
# Audit capacity with one and with two servers on PostgreSQL, first with one chain, then with the
# default number of chains
# (127.0.0.1:5432, database warden_audit_servers, dropped and created afresh): records/s of all
# servers together. Usage: src/test/bench/audit-servers.sh [writers per server] [records per writer]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.AuditServersBench -Dexec.args="${1:-8} ${2:-1000}"
