#!/usr/bin/env bash
# Runs every fault of issue 21 against the built tool, as a user (or a hostile one) would cause it, and prints
# one line per case: "held" when mim4j behaves as the README's "What happens when things go wrong" table says,
# "broken" otherwise, with what it did. Exits non-zero when any case is broken.
#   bench/faults.sh [work folder (default: a new one under /tmp)]
# About 2 minutes on 2 cores. Uses the demo data, and 512 random 32 px PNGs (bench/RandomImages.java).
set -uo pipefail
set -m   # background runs in their own process group, where SIGINT is not ignored as in a script's jobs
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d /tmp/mim4j-faults.XXXXXX)}"
mkdir -p "$work"
./mim4j pretrain --help > /dev/null   # builds once
[ -d "$work/images" ] || java bench/RandomImages.java "$work/images" 512 32 > /dev/null
grep -o -E 'avx512_bf16|amx[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/^/cpu flags: /; s/$/\n/'
broken=0

report() { # name, held (0/1), detail
  if [ "$2" -eq 0 ]; then echo "held    $1"; else echo "BROKEN  $1: $3"; broken=$((broken + 1)); fi
}

# runs a command (with a timeout) into $out and $status
attempt() {
  out="$(timeout "${TIMEOUT:-300}" "$@" 2>&1)"; status=$?
}

# a refusal: the exit status, the sentence, and no stack trace
refused() { # name, status, text, command...
  local name="$1" want="$2" text="$3"; shift 3
  attempt "$@"
  if [ "$status" -eq "$want" ] && grep -qF -- "$text" <<< "$out" && ! grep -qE $'^\tat |Exception in thread' <<< "$out"
  then report "$name" 0; else report "$name" 1 "exit $status: $(tail -c 300 <<< "$out")"; fi
}

# a run on a folder of 512 images (--data to add), 16 steps an epoch, a checkpoint every 4 steps
folder_run=(--recipe mae --image-size 32 --batch 32 --pictures-every 0 --checkpoint-every 4)

# starts a run in the background into $pid, its log $1, and waits until it has trained $2 steps
start_run() { # log, steps, args...
  local log="$1" steps="$2"; shift 2
  ./mim4j pretrain "$@" > "$log" 2>&1 &
  pid=$!
  until grep -q "\"step\": $steps," "${metrics:-/dev/null}" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# 1. a data folder renamed during the run
cp -r "$work/images" "$work/moving"
metrics="$work/renamed/metrics.jsonl"
start_run "$work/renamed.log" 2 "${folder_run[@]}" --data "$work/moving" --epochs 50 --output "$work/renamed"
mv "$work/moving" "$work/moved"
wait "$pid"; status=$?
lines="$(wc -l < "$work/renamed.log")"
if [ "$status" -eq 2 ] && grep -q "is gone (moved or deleted during the run)" "$work/renamed.log" && [ "$lines" -lt 50 ]
then report "1. data folder renamed mid-run: stops at once with a sentence" 0
else report "1. data folder renamed mid-run" 1 "exit $status, $lines lines of output"; fi

# a run to read and damage: 1 epoch of the demo (39 steps), checkpoints at 13, 26, 39
./mim4j pretrain --epochs 1 --checkpoint-every 13 --output "$work/run" > "$work/run.log" 2>&1
newest="$work/run/checkpoint-00000039.safetensors"
cp "$newest" "$work/newest.copy"

# 2. an output that is the checkpoint read, a device, an existing file
refused "2. features --output over the checkpoint it reads: refused, checkpoint intact" 2 "which this command reads" \
  ./mim4j features --checkpoint "$newest" --output "$newest"
cmp -s "$newest" "$work/newest.copy" || report "2. the checkpoint after features --output" 1 "it changed"
refused "2. features --output /dev/full: refused" 2 "is not a regular file" \
  ./mim4j features --checkpoint "$newest" --output /dev/full
echo existing > "$work/existing.safetensors"
refused "2. features --output over an existing file without --force: refused" 2 "exists already" \
  ./mim4j features --checkpoint "$newest" --output "$work/existing.safetensors"
./mim4j plot "$work/run" > /dev/null 2>&1
refused "2. plot over an earlier plot without --force: refused" 2 "exists already (from an earlier plot)" \
  ./mim4j plot "$work/run"

# 3. 64 random bytes in the middle of the newest checkpoint
cp -r "$work/run" "$work/damaged"
damaged="$work/damaged/checkpoint-00000039.safetensors"
size="$(stat -c %s "$damaged")"
head -c 64 /dev/urandom | dd of="$damaged" bs=1 seek=$((size / 2)) conv=notrunc status=none
refused "3. knn on a damaged checkpoint: refused, naming the tensor" 2 "does not match the checksum written with it" \
  ./mim4j knn --checkpoint "$damaged"
attempt ./mim4j pretrain --resume "$work/damaged" --epochs 2
if [ "$status" -eq 0 ] && grep -q "resuming from checkpoint-00000026.safetensors" <<< "$out" \
   && [ -f "$damaged.damaged" ] && [ -f "$work/damaged/checkpoint-00000078.safetensors" ]
then report "3. --resume of a folder whose newest is damaged: goes on from the newest good one, says so, keeps the bytes" 0
else report "3. --resume past a damaged checkpoint" 1 "exit $status: $(tail -c 300 <<< "$out")"; fi

# 4. the loader's thread runs out of heap
MIM4J_JAVA_OPTS="-Xmx40m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" TIMEOUT=180 \
  refused "4. OutOfMemoryError in a loader thread: one sentence, no hang" 2 "the Java heap ran out" \
  ./mim4j pretrain --batch 8192 --epochs 1 --output "$work/oom"

# 5. a forged recipe: the header's checksum refuses it before anything is built
cp "$newest" "$work/forged.safetensors"
sed -i 's/\\"depth\\": 6,/\\"depth\\": 9,/' "$work/forged.safetensors"
TIMEOUT=30 refused "5. a checkpoint whose recipe was changed: refused by its header checksum in seconds, nothing built" 2 "does not match the checksum" \
  ./mim4j knn --checkpoint "$work/forged.safetensors"

# 6. SIGTERM and SIGINT during a run
for signal in TERM INT; do
  metrics="$work/signal-$signal/metrics.jsonl"
  start_run "$work/signal-$signal.log" 3 --epochs 1 --output "$work/signal-$signal"
  kill -"$signal" "$pid"; wait "$pid"; status=$?
  want=$([ "$signal" = TERM ] && echo 143 || echo 130)
  if [ "$status" -eq "$want" ] && grep -q "stopped by SIG$signal after step" "$work/signal-$signal.log" \
     && grep -q "continue with: mim4j pretrain --resume" "$work/signal-$signal.log" \
     && ls "$work/signal-$signal"/checkpoint-*.safetensors > /dev/null 2>&1
  then report "6. SIG$signal: finishes the step, saves it, exits $want with how to resume" 0
  else report "6. SIG$signal" 1 "exit $status: $(tail -2 "$work/signal-$signal.log")"; fi
done

# 7. half the images deleted during the run
cp -r "$work/images" "$work/halved"
metrics="$work/halved-run/metrics.jsonl"
start_run "$work/halved.log" 2 "${folder_run[@]}" --data "$work/halved" --epochs 50 --output "$work/halved-run"
ls "$work/halved"/*.png | awk 'NR % 2 == 0' | xargs rm -f
wait "$pid"; status=$?
if [ "$status" -eq 2 ] && grep -q "could not be read, more than the 1% allowed" "$work/halved.log"
then report "7. half the images deleted mid-run: stops past --max-bad-images (1%)" 0
else report "7. half the images deleted mid-run" 1 "exit $status: $(tail -2 "$work/halved.log")"; fi

# 8. a rate no float holds, a heap too small
refused "8. --lr 1e300: one sentence" 2 "more than the optimiser's float holds" ./mim4j pretrain --lr 1e300 --output "$work/lr"
MIM4J_JAVA_OPTS=-Xmx32m refused "8. -Xmx32m: one sentence" 2 "the Java heap ran out" \
  ./mim4j pretrain --epochs 1 --output "$work/small-heap"

# 9. terminal escape codes in text a refusal quotes
attempt ./mim4j pretrain --recipe mae --spec "$work/run"$'\e[2J'".json"
if [ "$status" -eq 2 ] && ! grep -q $'\e' <<< "$out" && grep -qF '\u001b[2J' <<< "$out"
then report "9. escape codes in a quoted path: written as \\u001b" 0
else report "9. escape codes" 1 "exit $status: $out"; fi

# 10. a class folder that is a link
mkdir -p "$work/linked"; ln -sfn "$work/images" "$work/linked/c0"
metrics=""
attempt ./mim4j pretrain "${folder_run[@]}" --data "$work/linked" --epochs 1 --output "$work/linked-run"
if [ "$status" -eq 0 ]; then report "10. a class folder that is a link: read through the link" 0
else report "10. class folder link" 1 "exit $status: $(tail -c 300 <<< "$out")"; fi

# 11. messages that say what is wrong
refused "11. plot on a checkpoint" 2 "not a metrics file: it is not UTF-8 text" ./mim4j plot "$newest"
refused "11. knn on /dev/zero" 2 "not a regular file (a device, a FIFO or a socket)" ./mim4j knn --checkpoint /dev/zero
refused "11. --output under a folder that cannot be made" 2 "could not be written (no such file or folder" \
  ./mim4j features --checkpoint "$newest" --output /proc/nowhere/features.safetensors
refused "11. --format idx on a folder" 2 "is a folder, but --format idx reads an IDX images file" \
  ./mim4j pretrain --data "$work/images" --format idx
sed 's/"height": 28/"height": 1048576/; s/"width": 28/"width": 1048576/' experiments/fashion-mnist/mae.json > "$work/huge.json"
refused "11. a forged 1048576 x 1048576 image size" 2 "more than the 2,147,483,639 a Java array" \
  ./mim4j pretrain --recipe mae --spec "$work/huge.json"

# 12. flags that would be ignored
refused "12. --labels with folder data" 2 "goes with IDX images" \
  ./mim4j pretrain --data "$work/images" --labels "$work/images/image-00000.png"
refused "12. knn --image-size 64 on a 28 px checkpoint" 2 "does not fit the encoder" \
  ./mim4j knn --checkpoint "$newest" --image-size 64
refused "12. --threads 1000" 2 "cores this machine gives the JVM" ./mim4j knn --checkpoint "$newest" --threads 1000

# 13. --resume DIR of a folder run, without --data
./mim4j pretrain "${folder_run[@]}" --data "$work/images" --epochs 1 --output "$work/folder-run" > /dev/null 2>&1
attempt ./mim4j pretrain --resume "$work/folder-run" --epochs 2
if [ "$status" -eq 0 ] && grep -q "done: 32 steps" <<< "$out"
then report "13. --resume DIR of a folder run without --data: goes on with the recorded data" 0
else report "13. --resume DIR without --data" 1 "exit $status: $(tail -c 300 <<< "$out")"; fi

echo "$broken broken"
[ "$broken" -eq 0 ]
