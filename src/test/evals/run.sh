#!/usr/bin/env bash
# Runs a prompt's golden dataset (config/evals/<prompt-id>.jsonl) against models and prints pass
# rate, tokens, cost and latency per model. Without --base-url it runs against the mock upstream.
#   src/test/evals/run.sh --prompt ticket-triage@1.0.0 --models gpt-4o-mini,gpt-4.1-nano \
#       --prices gpt-4o-mini=0.15/0.60,gpt-4.1-nano=0.10/0.40 --min-pass-rate 0.9
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p target
mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.eval.EvalMain -Dexec.args="$*"
