#!/usr/bin/env bash
# Data parallelism on one machine: the same pre-training at the same global batch as 2 processes x 1 core
# ("mim4j launch --nproc 2") against 1 process on every core (2 libtorch threads, and the default: 1 libtorch
# thread with OpenBLAS on every core), for the demo model and for ViT-S/4 on the demo data. Each run is stopped
# with SIGTERM after STEPS steps; the figures are medians over its steps from the third on, from metrics.jsonl:
# images a second, and the share of the step the gradients' all-reduce took. Prints the CPU's flags with them.
#   bench/scaling.sh [work folder (default: a new one under /tmp)]     (about 6 minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/mim4j-scaling.XXXXXX)}"
steps="${STEPS:-12}"
mkdir -p "$work"
"$root/mim4j" --version > /dev/null   # builds once
flags="$(grep -o -E 'avx512_bf16|amx[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; flags: ${flags:-no native bf16}"

# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run NAME GLOBAL_BATCH ARGS...: runs "mim4j ARGS --output <folder>" until step $steps, then prints a row
run() {
  local name="$1" global="$2"; shift 2
  local out="$work/$name"
  rm -rf "$out"
  "$root/mim4j" "$@" --pictures-every 0 --output "$out" > "$work/$name.log" 2>&1 &
  local pid=$!
  until grep -q "\"step\": $steps," "$out/metrics.jsonl" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || { echo "$name ended early:"; tail -5 "$work/$name.log"; return 1; }
    sleep 1
  done
  kill -TERM "$pid"; wait "$pid" || true
  local steady; steady="$(grep '"event": "step"' "$out/metrics.jsonl" | awk -v s="$steps" -F'"step": ' '{ split($2, a, ","); if (a[1] >= 3 && a[1] <= s) print }')"
  local rate; rate="$(grep -o '"images_per_s": [0-9.]*' <<< "$steady" | awk '{ print $2 }' | median)"
  local share; share="$(grep -o '"images_per_s": [0-9.]*, "loader_wait_s": [0-9.]*, "reduce_s": [0-9.]*' <<< "$steady" \
      | awk -v g="$global" '{ print $6 / (g / $2) }' | median)"
  printf '| %s | %s | %.1f | %.1f%% |\n' "$name" "$global" "$rate" "$(awk -v s="$share" 'BEGIN { print 100 * s }')"
}

echo "| run | global batch | images/s | all-reduce share of the step |"
echo "| --- | --- | --- | --- |"
run demo-1x1thread 256 pretrain --batch 256 --epochs 1
run demo-1x2threads 256 pretrain --batch 256 --epochs 1 --threads 2
run demo-2x1thread 256 launch --nproc 2 pretrain --batch 128 --epochs 1
run S4-1x1thread 64 pretrain --model S/4 --batch 64 --epochs 1
run S4-1x2threads 64 pretrain --model S/4 --batch 64 --epochs 1 --threads 2
run S4-2x1thread 64 launch --nproc 2 pretrain --model S/4 --batch 32 --epochs 1
