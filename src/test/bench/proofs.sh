#!/usr/bin/env bash
# What the audit log's public-key proofs cost: Ed25519 sign and verify rates against HMAC, and the
# offline export verifier's records/s on plain and decrypted exports (in memory and a temporary
# directory; no server, no database). Usage: src/test/bench/proofs.sh [records]  (default 200000)
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.ProofBench -Dexec.args="${1:-200000}"
