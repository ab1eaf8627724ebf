#!/usr/bin/env bash
# Fills the disk under a pre-training: its output folder is a tmpfs with room for one checkpoint but not two
# (mounted as root, or else inside a user namespace with unshare -rm; where neither is allowed the script
# says so and exits 3). Checks that the run stops with one sentence naming the file, that no half-written
# file is left, and that the last good checkpoint still resumes elsewhere.
#   bench/diskfull.sh [work folder (default: a new one under /tmp)]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d /tmp/mim4j-diskfull.XXXXXX)}"
mkdir -p "$work"
run=(--recipe mae --spec experiments/fashion-mnist/mae.json --data demo --batch 64 --epochs 1 --checkpoint-every 20 --keep 1
     --pictures-every 0)
./mim4j pretrain --help > /dev/null

# one checkpoint's size, from a short run on the ordinary disk
./mim4j pretrain "${run[@]}" --output "$work/probe" > "$work/probe.log" 2>&1
size_kb=$(( $(stat -c %s "$(ls "$work"/probe/checkpoint-*.safetensors | head -1)") / 1024 ))
room_kb=$(( size_kb * 3 / 2 ))
full="$work/full"
mkdir -p "$full"
if mount -t tmpfs -o "size=${room_kb}k" tmpfs "$full" 2>/dev/null; then
  how="a ${room_kb} KiB tmpfs"
  trap 'umount "$full" 2>/dev/null || true' EXIT
  set +e; ./mim4j pretrain "${run[@]}" --output "$full" > "$work/full.log" 2>&1; status=$?; set -e
elif unshare -rm true 2>/dev/null; then
  how="a ${room_kb} KiB tmpfs in a user namespace"
  set +e
  unshare -rm bash -c 'mount -t tmpfs -o "size=$1k" tmpfs "$2" && shift 2 && exec "$@"' _ "$room_kb" "$full" \
    ./mim4j pretrain "${run[@]}" --output "$full" > "$work/full.log" 2>&1
  status=$?
  set -e
else
  echo "cannot fill a disk here: mounting a tmpfs needs root or user namespaces (unshare -rm)" >&2
  exit 3
fi
checkpoints=$(find "$full" -maxdepth 1 -name 'checkpoint-*.safetensors' | wc -l)
leftovers=$(find "$full" -maxdepth 1 -name '.*.tmp' | wc -l)
echo "checkpoint: ${size_kb} KiB; disk: $how"
echo "exit code $status; message: $(grep -h 'mim4j pretrain:' "$work/full.log" || true)"
echo "checkpoints left: $checkpoints ($(find "$full" -maxdepth 1 -name 'checkpoint-*' -printf '%f ')); temporary files left: $leftovers"
last="$(find "$full" -maxdepth 1 -name 'checkpoint-*.safetensors' | sort | tail -1)"
[ -n "$last" ] || { echo "no checkpoint was left"; exit 1; }
cp "$last" "$work/"
set +e; ./mim4j pretrain --resume "$work/$(basename "$last")" --output "$work/resumed" --data demo > "$work/resumed.log" 2>&1
resumed=$?; set -e
echo "the last good checkpoint $(basename "$last") resumes elsewhere: $([ $resumed -eq 0 ] && echo yes || echo NO) ($(grep -h '^done' "$work/resumed.log" || true))"
[ "$status" -eq 2 ] && [ "$checkpoints" -ge 1 ] && [ "$leftovers" -eq 0 ] && [ "$resumed" -eq 0 ]
