#!/usr/bin/env bash
# The evaluation command (dev.warden.eval.EvalMain): compare two prompt versions on a golden set,
# or run one version on several models. Without --base-url the answers come from the rule model.
#   src/test/evals/run.sh compare --prompt ticket-triage --baseline 1.0.0 --candidate 1.1.0
#   src/test/evals/run.sh run --prompt ticket-triage@1.1.0 --models gpt-4o-mini,gpt-4.1-nano \
#       --prices gpt-4o-mini=0.15/0.60,gpt-4.1-nano=0.10/0.40 --min-pass-rate 0.9
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p target
mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.6.3:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.warden.eval.EvalMain -Dexec.args="$*"
