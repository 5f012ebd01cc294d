#!/usr/bin/env bash
# PII redaction benchmark: single-thread MB/s on a multi-MB mixed corpus, p50/p99 on short prompts.
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dexec.mainClass=dev.warden.bench.PiiBench "$@"
