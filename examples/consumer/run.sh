#!/usr/bin/env bash
# The consumer example as a user runs it, from the artifacts that `./mvnw install` puts in ~/.m2: pre-trains a
# checkpoint with the tool (1 epoch of the demo), then builds this separate project through the BOM and encodes
# images/ with it. Then checks its dependency trees: no trainer, no JFreeChart, and for another platform
# (-Djavacpp.platform=macosx-arm64) that platform's natives and none of linux-x86_64's.
# Run from anywhere: examples/consumer/run.sh (after ./mvnw -B install, or with --install to run it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [[ "${1:-}" == "--install" ]]; then
    ./mvnw -B -q install -DskipTests
fi
consumer=examples/consumer/pom.xml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

./mim4j pretrain --epochs 1 --output "$work/run" > "$work/pretrain.log"
OMP_WAIT_POLICY=PASSIVE ./mvnw -B -q -f "$consumer" -Djavacpp.platform=linux-x86_64 compile exec:java \
    -Dexec.args="$work/run examples/consumer/images" | tee "$work/out.txt"
grep -q "^features: 4 x 128 (cls pooling)$" "$work/out.txt" || { echo "consumer: unexpected output" >&2; exit 1; }

./mvnw -B -q -f "$consumer" -Djavacpp.platform=linux-x86_64 dependency:tree -DoutputFile="$work/tree.txt"
if grep -E "mim4j-training|jfreechart" "$work/tree.txt"; then
    echo "consumer: the tree of an inference-only project holds the trainer or JFreeChart" >&2
    exit 1
fi
./mvnw -B -q -f "$consumer" -Djavacpp.platform=macosx-arm64 dependency:tree -DoutputFile="$work/mac.txt"
grep -q "pytorch:jar:macosx-arm64" "$work/mac.txt" || { echo "consumer: no macosx-arm64 natives for macosx-arm64" >&2; exit 1; }
if grep "linux-x86_64" "$work/mac.txt"; then
    echo "consumer: linux-x86_64 natives in the tree for macosx-arm64" >&2
    exit 1
fi
echo "consumer: built and ran from the installed artifacts; trees for linux-x86_64 and macosx-arm64 as expected"
