#!/usr/bin/env bash
# The README's speed table in one sitting: mim4j's training step against the authors' code (step_bench.py),
# MAE and SimMIM at tiny32, tiny224 and base224, in fp32 and in bf16 (the official side under
# torch.autocast("cpu", bfloat16)), each side at its best of 1 and 2 threads; mim4j's phase medians; and the
# machine's fp32 and bf16 matmul rates in both libtorches, with the fraction of that rate each mim4j step
# reaches (from the step's analytic FLOPs). Prints the CPU flags, one line per run, and the table as Markdown.
#
# Needs what bench/side-by-side.sh needs: python3-torch, python3-numpy, libopenblas0-pthread (Debian), and
# checkouts of facebookresearch/mae and microsoft/SimMIM in MAE_REPO and SIMMIM_REPO.
#   bench/speed-table.sh [work folder (default: a new one under /tmp)]
# About 30 minutes on 2 cores (measured: the README's table).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/mim4j-speed.XXXXXX)}"
mkdir -p "$work"
reference="${REFERENCE:-$root/../shared/reference}"
: "${MAE_REPO:?set MAE_REPO to a checkout of facebookresearch/mae}"
: "${SIMMIM_REPO:?set SIMMIM_REPO to a checkout of microsoft/SimMIM}"
export MAE_REPO SIMMIM_REPO OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$root/mim4j" bench --help > /dev/null   # builds once
flags="$(grep -o -E 'avx512_bf16|amx[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; flags: ${flags:-no native bf16}"
runs="$work/runs.jsonl"
: > "$runs"

for precision in fp32 bf16; do
  for threads in 1 2; do
    line=$("$root/mim4j" bench-matmul --threads "$threads" $([ "$precision" = bf16 ] && echo --bf16))
    echo "{\"side\": \"mim4j\", \"kind\": \"matmul\", \"precision\": \"$precision\", \"line\": $line}" >> "$runs"
    echo "mim4j matmul $precision, $threads threads: $line"
  done
done

for recipe in mae simmim; do
  for config in tiny32 tiny224 base224; do
    case "$config" in tiny32) batch=32 steps=10;; tiny224) batch=32 steps=5;; base224) batch=16 steps=3;; esac
    for precision in fp32 bf16; do
      for threads in 1 2; do
        bf=$([ "$precision" = bf16 ] && echo --bf16 || true)
        ours=$("$root/mim4j" bench "$recipe" "$config" --batch "$batch" --steps "$steps" --threads "$threads" $bf \
          2> /dev/null | tail -n 1)
        theirs=$(BF16=$([ "$precision" = bf16 ] && echo 1 || echo 0) /usr/bin/python3 "$reference/step_bench.py" \
          "$recipe" "$config" "$batch" "$steps" "$threads" 2> /dev/null | tail -n 1)
        for side in mim4j official; do
          json=$([ "$side" = mim4j ] && echo "$ours" || echo "$theirs")
          echo "{\"side\": \"$side\", \"kind\": \"step\", \"precision\": \"$precision\", \"line\": $json}" >> "$runs"
        done
        echo "$recipe $config $precision $threads threads: mim4j $(sed 's/.*"img_per_s": \([0-9.]*\).*/\1/' <<< "$ours")" \
          "official $(sed 's/.*"img_per_s": \([0-9.]*\).*/\1/' <<< "$theirs") img/s"
      done
    done
  done
done

/usr/bin/python3 - "$runs" "$flags" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
flags = sys.argv[2].strip() or "no native bf16"
CONFIGS = {"tiny32": (32, 4, 3, 192, 12, 128, 4, 8), "tiny224": (224, 16, 3, 192, 12, 128, 4, 32),
           "base224": (224, 16, 3, 768, 12, 512, 8, 32)}

def layer(tokens, width):  # qkv, projection and a 4x MLP, and attention's two products
    return 24 * tokens * width ** 2 + 4 * tokens ** 2 * width

def step_flops(recipe, config):
    """Forward and backward (3x the forward) FLOPs of one image's step, from the matrix products alone."""
    img, p, c, d, depth, dd, ddepth, _ = CONFIGS[config]
    n = (img // p) ** 2
    patch = 2 * n * p * p * c * d
    if recipe == "mae":
        visible = n // 4 + 1
        forward = patch + depth * layer(visible, d) + 2 * (n + 1) * d * dd + ddepth * layer(n + 1, dd) \
            + 2 * n * dd * p * p * c
    else:
        forward = patch + depth * layer(n + 1, d) + 2 * n * d * p * p * c
    return 3 * forward

def best(side, recipe, config, precision):
    lines = [r["line"] for r in runs if r["kind"] == "step" and r["side"] == side and r["precision"] == precision
             and r["line"]["recipe"] == recipe and r["line"]["config"] == config]
    return max(lines, key=lambda l: l["img_per_s"])

rate = {p: max(r["line"]["gflops"] for r in runs if r["kind"] == "matmul" and r["precision"] == p)
        for p in ("fp32", "bf16")}
print(f"\nmatmul rate (2048^3, best of 1 and 2 threads, mim4j's libtorch): fp32 {rate['fp32']:.0f}, "
      f"bf16 {rate['bf16']:.0f} GFLOP/s; cpu flags: {flags}\n")
print("| recipe, config, batch | precision | mim4j img/s (threads) | official img/s (threads) | mim4j / official |"
      " mim4j step: forward / backward / optimiser s | of the matmul rate | peak RSS MB, mim4j / official |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for recipe in ("mae", "simmim"):
    for config in ("tiny32", "tiny224", "base224"):
        for precision in ("fp32", "bf16"):
            ours, theirs = best("mim4j", recipe, config, precision), best("official", recipe, config, precision)
            ph = ours.get("phases_median_s", {})
            fraction = step_flops(recipe, config) * ours["img_per_s"] / 1e9 / rate[precision]
            print(f"| {recipe} {config}, {ours['batch']} | {precision} | {ours['img_per_s']:.1f} ({ours['threads']}) |"
                  f" {theirs['img_per_s']:.1f} ({theirs['threads']}) | **{ours['img_per_s'] / theirs['img_per_s']:.2f}** |"
                  f" {ph.get('forward', 0):.3f} / {ph.get('backward', 0):.3f} / {ph.get('optimizer', 0):.3f} |"
                  f" {100 * fraction:.0f}% | {ours['peak_rss_mb']} / {theirs['peak_rss_mb']} |")
PY
