#!/usr/bin/env bash
# Kills a pre-training with kill -9 at random moments, resumes it each time, and checks that the final
# weights are bit-identical to those of an uninterrupted run of the same command.
#   bench/kill9.sh [kills (default 100)] [work folder (default: a new one under /tmp)]
# The run (the Fashion-MNIST MAE spec on the demo data, KILL9_EPOCHS epochs (10), a checkpoint every 3 steps) writes checkpoints so
# often that many kills land during a write: those leave a .tmp file, which the script counts before the
# resume removes it. Prints one line per kill and a summary; exits non-zero on any failed resume or a
# difference in the final checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-100}"
work="${2:-$(mktemp -d /tmp/mim4j-kill9.XXXXXX)}"
mkdir -p "$work"
RANDOM="${KILL9_SEED:-1}"
run=(--recipe mae --spec experiments/fashion-mnist/mae.json --data demo --batch 64 --epochs "${KILL9_EPOCHS:-10}" --checkpoint-every 3 --keep 2
     --pictures-every 0)
./mim4j pretrain --help > /dev/null   # builds once, outside the timed attempts

echo "uninterrupted run into $work/whole ..."
./mim4j pretrain "${run[@]}" --output "$work/whole" > "$work/whole.log" 2>&1
final="$(basename "$(ls "$work"/whole/checkpoint-*.safetensors | sort | tail -1)")"

broken="$work/broken"
# a run killed before its first checkpoint starts again with the same command, as a user would; else --resume
start_or_resume() {
  if ls "$broken"/checkpoint-*.safetensors > /dev/null 2>&1; then
    exec ./mim4j pretrain --resume "$broken" --data demo
  else
    exec ./mim4j pretrain "${run[@]}" --output "$broken"
  fi
}
killed=0; during_write=0; failed=0; attempt=0
while [ "$killed" -lt "$kills" ]; do
  attempt=$((attempt + 1))
  log="$work/attempt-$attempt.log"
  start_or_resume > "$log" 2>&1 &
  pid=$!
  # wait until the run trains (it prints its first step), then a random 0 to 3 s
  until grep -q "^step " "$log" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  sleep "$((RANDOM % 3)).$(printf '%03d' $((RANDOM % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    killed=$((killed + 1))
    tmp="$(find "$broken" -maxdepth 1 -name '.*.tmp' | wc -l)"
    if [ "$tmp" -gt 0 ]; then during_write=$((during_write + 1)); fi
    newest="$(ls "$broken"/checkpoint-*.safetensors 2>/dev/null | sort | tail -1 || true)"
    echo "kill $killed (attempt $attempt): newest $(basename "${newest:-none}")$([ "$tmp" -gt 0 ] && echo ", during a checkpoint write")"
  else
    set +e; wait "$pid"; status=$?; set -e
    if [ "$status" -ne 0 ]; then
      failed=$((failed + 1)); echo "attempt $attempt FAILED with exit $status: $(tail -2 "$log")"
      if [ "$failed" -ge 3 ]; then echo "giving up after $failed failed attempts"; exit 1; fi
    else
      echo "attempt $attempt finished the run before its kill"; break
    fi
  fi
done

echo "finishing the run ..."
set +e
(start_or_resume) > "$work/last.log" 2>&1 || { failed=$((failed + 1)); echo "last resume FAILED: $(tail -2 "$work/last.log")"; }
set -e
steps_whole="$(grep -c '"event": "step"' "$work/whole/metrics.jsonl")"
steps_broken="$(grep -c '"event": "step"' "$broken/metrics.jsonl")"
unique_broken="$(grep '"event": "step"' "$broken/metrics.jsonl" | sed 's/.*"step": \([0-9]*\),.*/\1/' | sort -u | wc -l)"
# epoch means and evaluations too: the same lines, in the same order, as the uninterrupted run's
epochs_same=$(diff <(grep -v '"event": "step"' "$work/whole/metrics.jsonl") <(grep -v '"event": "step"' "$broken/metrics.jsonl") > /dev/null && echo yes || echo NO)
if cmp -s "$work/whole/$final" "$broken/$final"; then same="bit-identical"; else same="DIFFERENT"; failed=$((failed + 1)); fi
echo "kills: $killed ($during_write during a checkpoint write), failed resumes: $failed, attempts: $attempt"
echo "final checkpoint $final: $same to the uninterrupted run's"
echo "metrics.jsonl step lines: $steps_broken ($unique_broken distinct) against $steps_whole uninterrupted; epoch lines identical: $epochs_same"
[ "$failed" -eq 0 ] && [ "$steps_broken" -eq "$steps_whole" ] && [ "$unique_broken" -eq "$steps_whole" ] \
  && [ "$epochs_same" = yes ]
