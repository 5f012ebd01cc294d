#!/usr/bin/env bash
# Many streams at once: starts a mock upstream that paces its events (twenty, one second apart) and
# Warden (mvn -Prun, on 9080) on H2 or a fresh PostgreSQL database (warden_bench on 127.0.0.1:5432),
# opens waves of concurrent streams directly and through Warden, and prints one markdown table:
# streams completed, time to the first event, and the Liberty JVM's threads, heap, RSS and CPU.
# Usage: src/test/bench/streams.sh [h2|postgresql] [java=<JAVA_HOME>] [waves=1000,2000] [limit=N] [tenant-in-flight=N] [no-build]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile
mvn -q -B exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.bench.StreamsBench -Dexec.args="$*"
