#!/usr/bin/env bash
# Fuzzes one reader with Jazzer: bench/fuzz.sh <target> [runs] [seconds]
#   targets: spec-json safetensors pth idx cifar image checkpoint
#   runs:    inputs to try (default 1000000); seconds: the longest the campaign may take (default 3600)
# Each input must give a value or the reader's documented exception within 1 s; anything else (another
# exception, an OutOfMemoryError, a hang, a crash of the JVM) is a finding, which Jazzer writes into the
# target's regression folder (src/test/resources/.../<Test>Inputs/<method>/), where CI replays it.
# The corpus the campaign grows stays in <module>/.cifuzz-corpus/ (not committed); --keep-corpus copies it
# into the regression folder too. Prints the executions, coverage and findings at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
if [ "${1:-}" = "--keep-corpus" ]; then keep=true; shift; fi
target="${1:?usage: bench/fuzz.sh [--keep-corpus] <spec-json|safetensors|pth|idx|cifar|image|checkpoint> [runs] [seconds]}"
runs="${2:-1000000}"
seconds="${3:-3600}"
case "$target" in
  spec-json)   module=dsl;      class=dev.mim4j.dsl.SpecJsonFuzzTest;                 method=readsASpecOrExplainsWhyNot ;;
  safetensors) module=models;   class=dev.mim4j.models.weights.SafetensorsFuzzTest;   method=opensTheFileOrExplainsWhyNot ;;
  pth)         module=models;   class=dev.mim4j.models.weights.PthFuzzTest;           method=readsTheWeightsOrExplainsWhyNot ;;
  idx)         module=training; class=dev.mim4j.training.data.IdxFuzzTest;            method=readsADatasetOrExplainsWhyNot ;;
  cifar)       module=training; class=dev.mim4j.training.data.CifarFuzzTest;          method=readsADatasetOrExplainsWhyNot ;;
  image)       module=training; class=dev.mim4j.training.data.ImageDecodeFuzzTest;    method=decodesAnImageOrExplainsWhyNot ;;
  checkpoint)  module=training; class=dev.mim4j.training.CheckpointMetadataFuzzTest;  method=readsTheRunOrExplainsWhyNot ;;
  *) echo "unknown target '$target'; one of spec-json safetensors pth idx cifar image checkpoint" >&2; exit 2 ;;
esac
log="$module/target/fuzz-$target.log"
mkdir -p "$module/target"
set +e
JAZZER_FUZZ=1 ./mvnw -B test-compile surefire:test@fuzz-regression -pl "$module" -am -Dtest="${class##*.}#$method" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.argLine="-Xmx2g -XX:-OmitStackTraceInFastThrow" \
  -Djazzer.instrumentation_includes='dev.mim4j.**:com.fasterxml.jackson.**' \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="-runs=$runs" -Djazzer.internal.arg.2="-max_total_time=$seconds" \
  -Djazzer.internal.arg.3=-timeout=1 -Djazzer.internal.arg.4=-rss_limit_mb=8192 > "$log" 2>&1
status=$?
set -e
corpus="$module/.cifuzz-corpus/$class/$method"
inputs="$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
if $keep && [ -d "$corpus" ]; then cp -n "$corpus"/* "$inputs"/ 2>/dev/null || true; fi
echo "target $target ($class#$method), log $log"
grep -E "^#[0-9]+\s+(INITED|DONE)" "$log" || true
grep -E "^Done [0-9]+ runs" "$log" || true
echo "corpus: $(ls "$corpus" 2>/dev/null | wc -l) inputs in $corpus; regression folder: $(ls "$inputs" | wc -l) inputs"
grep -E "== Java Exception|FuzzerSecurityIssue|Crash|crash-|timeout|OutOfMemory" "$log" | head -20 || true
exit $status
