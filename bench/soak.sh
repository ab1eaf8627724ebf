#!/usr/bin/env bash
# A long pre-training of step_bench.py's tiny32 MAE (ViT-Ti, 32x32 images, patch 4) on 8,192 random PNGs,
# batch 8, with a checkpoint at each epoch's end (1,024 steps): watches the JVM's resident memory and open
# file handles every 5 s, and compares the step time and memory from step 1,000 to the end.
#   bench/soak.sh [steps (default 10000)] [work folder (default: a new one under /tmp)]
# Passes when the median step time of the last 1,000 steps is within 3% of steps 1,000-2,000, the median
# resident memory of every 1,000 steps after step 1,000 stays within 3% of its value at step 1,000 (a leak
# grows them; a transient does not), and the open files do not grow. The single-sample extremes are printed
# too. With an existing work folder whose run finished, only the analysis runs again.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-10000}"
work="${2:-$(mktemp -d /tmp/mim4j-soak.XXXXXX)}"
mkdir -p "$work"
if [ ! -f "$work/run.done" ]; then
  [ -d "$work/images" ] || java bench/RandomImages.java "$work/images" 8192 32
  sed -e 's/"height": 28/"height": 32/; s/"width": 28/"width": 32/; s/"channels": 1/"channels": 3/' \
      -e 's/"patchSize": 7/"patchSize": 4/; s/"width": 128/"width": 192/; s/"depth": 6/"depth": 12/' \
      -e '0,/"heads": 4/s//"heads": 3/; s/"width": 64/"width": 128/; s/"depth": 2/"depth": 4/' \
      experiments/fashion-mnist/mae.json > "$work/tiny32.json"   # step_bench.py's tiny32, in the demo spec's form
  epochs=$(( (steps + 1023) / 1024 ))
  ./mim4j pretrain --help > /dev/null
  ./mim4j pretrain --recipe mae --spec "$work/tiny32.json" --data "$work/images" --batch 8 --epochs "$epochs" --pictures-every 0 \
    --keep 2 --output "$work/run" > "$work/run.log" 2>&1 &
  pid=$!
  echo "seconds,rss_kb,open_files" > "$work/process.csv"
  start=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    files=$( (ls "/proc/$pid/fd" 2>/dev/null || true) | wc -l)
    echo "$(( $(date +%s) - start )),$rss,$files" >> "$work/process.csv"
    sleep 5
  done
  wait "$pid"
  touch "$work/run.done"
fi
metrics="$work/run/metrics.jsonl"
# per step: images/s and resident MiB, as the loop measured them
grep '"event": "step"' "$metrics" | sed 's/.*"step": \([0-9]*\),.*"images_per_s": \([0-9.]*\),.*"rss_mb": \([0-9]*\),.*/\1 \2 \3/' \
  > "$work/steps.txt"
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
last=$(tail -1 "$work/steps.txt" | cut -d' ' -f1)
early=$(awk '$1 >= 1000 && $1 < 2000 {print 8 / $2}' "$work/steps.txt" | median)
late=$(awk -v l="$last" '$1 > l - 1000 {print 8 / $2}' "$work/steps.txt" | median)
rss_at=$(awk '$1 == 1000 {print $3}' "$work/steps.txt")
rss_max=$(awk '$1 >= 1000 {print $3}' "$work/steps.txt" | sort -g | tail -1)
rss_min=$(awk '$1 >= 1000 {print $3}' "$work/steps.txt" | sort -g | sed -n 1p)   # not head: sort's SIGPIPE fails the script
# the median of each 1,000-step window from step 1,000
windows=$(for w in $(seq 1000 1000 $((last - 1))); do
  awk -v a="$w" '$1 >= a && $1 < a + 1000 {print $3}' "$work/steps.txt" | median
done | tr '\n' ' ')
files_early=$( (awk -F, 'NR > 1 && $3 > 0 {print $3}' "$work/process.csv" | head -20 | sort -g | tail -1) || true)
files_late=$( (awk -F, 'NR > 1 && $3 > 0 {print $3}' "$work/process.csv" | tail -20 | sort -g | tail -1) || true)
awk -v s="$last" -v e="$early" -v l="$late" -v r="$rss_at" -v hi="$rss_max" -v lo="$rss_min" -v w="$windows" \
    -v fe="$files_early" -v fl="$files_late" 'BEGIN {
  dt = (l - e) / e * 100
  n = split(w, m, " "); wlo = m[1]; whi = m[1]
  for (i = 1; i <= n; i++) { if (m[i] < wlo) wlo = m[i]; if (m[i] > whi) whi = m[i] }
  up = (whi - r) / r * 100; down = (wlo - r) / r * 100
  printf "steps: %d\nmedian step time: %.4f s (steps 1000-2000), %.4f s (last 1000): %+.1f%%\n", s, e, l, dt
  printf "resident memory: %d MiB at step 1000; medians of each 1000 steps after it %d to %d MiB (%+.1f%% / %+.1f%%);", r, wlo, whi, down, up
  printf " single samples %d to %d MiB (%+.1f%% / %+.1f%%)\n", lo, hi, (lo - r) / r * 100, (hi - r) / r * 100
  printf "open files: %d (first minutes), %d (last minutes)\n", fe, fl
  ok = (dt <= 3 && dt >= -3 && up <= 3 && down >= -3 && fl <= fe)
  print (ok ? "PASS" : "FAIL")
  exit (ok ? 0 : 1)
}'
