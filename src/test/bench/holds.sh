#!/usr/bin/env bash
# What recovering a dead server's calls adds to each call: reserve + settle of one budget, without
# and with the hold row that lets another server release the reservation; and a call's pending row
# in the outbox (insert, then delete). Usage:
# src/test/bench/holds.sh [postgresql|h2] [calls]  (default postgresql 5000; PostgreSQL on
# 127.0.0.1:5432, database warden_audit_holds created afresh)
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.HoldsBench -Dexec.args="${1:-postgresql} ${2:-5000}"
