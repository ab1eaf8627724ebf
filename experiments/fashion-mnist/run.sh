#!/usr/bin/env bash
# The Fashion-MNIST experiment of the README: MAE and SimMIM pre-training on the 60,000 train
# images, kNN and linear probe on the 10,000 test images beside a randomly initialised encoder and
# raw pixels (of the last block, and of the block that a train-split validation picks), fine-tuning
# from the MAE and the SimMIM weights against the same ViT from scratch, the MAE mask-ratio sweep, and
# SimMIM on a Swin sized for 28x28 images (simmim-swin.json: patch 2, width 32, depths 2-2, heads 2-4,
# window 7; 4x4 mask blocks), evaluated the same way (step swin).
# Every number of the README's table is a line of $OUT/results.jsonl.
#
# Needs: a JDK (as ./mim4j does) and the Fashion-MNIST IDX files in DATA (Debian: apt-get install
# dataset-fashion-mnist).
# Run it with nothing else on the machine: the wall times are part of the results.
#
# The models are declared in mae.json and simmim.json next to this script (SpecJson recipes): one
# ViT for both, the demo's 6 blocks 128 wide with 7x7 patches (4x4 = 16 tokens); MAE masks 75% of
# the patches and decodes with 2 blocks 64 wide, SimMIM masks 60% of 7x7 blocks and decodes linearly.
#
# Usage: experiments/fashion-mnist/run.sh [step ...]
#   steps: mae simmim probes blocks finetune sweep swin maskfeat (default: all, in that order). A step whose output
#   exists is skipped, so an interrupted experiment continues where it stopped.
# Settings (environment, defaults are the README's): DATA, OUT, SEED, MAE_EPOCHS, SIMMIM_EPOCHS,
#   MAE_LR, SIMMIM_LR, PROBE_EPOCHS, PROBE_LR, FINETUNE_EPOCHS, SWEEP_EPOCHS, SWIN_EPOCHS,
#   MASKFEAT_EPOCHS, MASKFEAT_LR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
OUT="${OUT:-$root/runs/fashion-mnist}"
SEED="${SEED:-0}"
MAE_EPOCHS="${MAE_EPOCHS:-50}"
SIMMIM_EPOCHS="${SIMMIM_EPOCHS:-45}"
MAE_LR="${MAE_LR:-1.5e-3}"
SIMMIM_LR="${SIMMIM_LR:-2e-3}"
PROBE_EPOCHS="${PROBE_EPOCHS:-30}"
PROBE_LR="${PROBE_LR:-10}"
FINETUNE_EPOCHS="${FINETUNE_EPOCHS:-5}"
SWEEP_EPOCHS="${SWEEP_EPOCHS:-5}"
SWIN_EPOCHS="${SWIN_EPOCHS:-10}"
MASKFEAT_EPOCHS="${MASKFEAT_EPOCHS:-36}"
MASKFEAT_LR="${MASKFEAT_LR:-2e-3}"

train_images="$DATA/train-images-idx3-ubyte.gz"
train_labels="$DATA/train-labels-idx1-ubyte.gz"
test_images="$DATA/t10k-images-idx3-ubyte.gz"
test_labels="$DATA/t10k-labels-idx1-ubyte.gz"
for f in "$train_images" "$train_labels" "$test_images" "$test_labels"; do
    [[ -f $f ]] || { echo "missing $f: install dataset-fashion-mnist or set DATA" >&2; exit 2; }
done
mkdir -p "$OUT"
results="$OUT/results.jsonl"
split=(--train-data "$train_images" --train-labels "$train_labels"
       --test-data "$test_images" --test-labels "$test_labels")
mim4j() { "$root/mim4j" "$@"; }

# Runs a command with its output in $OUT/logs/STEP.log and appends one line to results: the step,
# its wall time, the command and the command's own JSON line (its last line starting with '{').
# A failing command stops the experiment without a results line, so that a rerun retries it.
record() {
    local step=$1; shift
    local log="$OUT/logs/$step.log" start end status=0 line command
    mkdir -p "$OUT/logs"
    echo "$step: $*" >&2
    start=$(date +%s.%N)
    "$@" > "$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    if (( status != 0 )); then
        tail -n 5 "$log" >&2
        echo "$step failed with exit code $status; its output is in $log" >&2
        exit "$status"
    fi
    line=$(grep '^{' "$log" | tail -n 1 || true)
    command="$*"
    command=${command//\\/\\\\}
    command=${command//\"/\\\"}
    printf '{"step": "%s", "wall_seconds": %.1f, "command": "%s", "result": %s}\n' \
        "$step" "$(awk "BEGIN {print $end - $start}")" "$command" "${line:-null}" | tee -a "$results" >&2
}

done_step() { [[ -f $results ]] && grep -q "\"step\": \"$1\"" "$results"; }

pretrain() {
    local recipe=$1 preset=$2 epochs=$3 lr=$4
    done_step "pretrain-$recipe" && return
    record "pretrain-$recipe" mim4j pretrain --recipe "$preset" --spec "$here/$recipe.json" --data "$train_images" \
        --labels "$train_labels" --epochs "$epochs" --lr "$lr" --seed "$SEED" --output "$OUT/$recipe"
    mim4j plot "$OUT/$recipe"
}

evaluate() {
    local name=$1; shift
    done_step "knn-$name" || record "knn-$name" mim4j knn "$@" --pooling mean --seed "$SEED" --batch 256 "${split[@]}"
    done_step "linprobe-$name" || record "linprobe-$name" mim4j linprobe "$@" --pooling mean --seed "$SEED" \
        --epochs "$PROBE_EPOCHS" --lr "$PROBE_LR" --extract-batch 256 "${split[@]}"
}

probes() {
    evaluate pixels --pixels
    for recipe in mae simmim; do
        evaluate "$recipe" --checkpoint "$OUT/$recipe"
        evaluate "$recipe-random-init" --random-init --like "$OUT/$recipe"
    done
}

# The value of a results line's "top1", for the step named $1.
top1() { grep "\"step\": \"$1\"" "$results" | tail -n 1 | sed -E 's/.*"top1":([0-9.Ee-]+).*/\1/'; }

# Masked-image models often keep their best features in a middle block. Which block is chosen on the
# train split alone (kNN of its last fifth against its first four fifths, every block in turn); only
# the chosen block is then evaluated on the test split, trained and random, like the last block above.
blocks() {
    done_step knn-val-pixels || record knn-val-pixels mim4j knn --pixels --pooling mean --batch 256 \
        --train-data "$train_images" --train-labels "$train_labels" --split 0.8
    for recipe in mae simmim; do
        best_block "$recipe"
    done
}

# The validation of blocks for one recipe's run, and the test results of the block it picks.
best_block() {
    local recipe=$1 depth block best=0 best_top1=0 value
    depth=$(grep -m 1 '"depth"' "$here/$recipe.json" | tr -dc '0-9')
    for ((block = 1; block <= depth; block++)); do
        done_step "knn-val-$recipe-block$block" || record "knn-val-$recipe-block$block" mim4j knn \
            --checkpoint "$OUT/$recipe" --block "$block" --pooling mean --seed "$SEED" --batch 256 \
            --train-data "$train_images" --train-labels "$train_labels" --split 0.8
        value=$(top1 "knn-val-$recipe-block$block")
        if awk "BEGIN {exit !($value > $best_top1)}"; then best=$block best_top1=$value; fi
    done
    echo "$recipe: block $best has the best validation kNN ($best_top1)" >&2
    if (( best < depth )); then   # the last block's test results are the probes step's
        evaluate "$recipe-block$best" --checkpoint "$OUT/$recipe" --block "$best"
        evaluate "$recipe-random-init-block$best" --random-init --like "$OUT/$recipe" --block "$best"
    fi
}

finetune() {
    done_step finetune-mae || record finetune-mae mim4j finetune --checkpoint "$OUT/mae" \
        --epochs "$FINETUNE_EPOCHS" --seed "$SEED" --output "$OUT/finetune-mae" "${split[@]}"
    done_step finetune-simmim || record finetune-simmim mim4j finetune --checkpoint "$OUT/simmim" \
        --epochs "$FINETUNE_EPOCHS" --seed "$SEED" --output "$OUT/finetune-simmim" "${split[@]}"
    done_step finetune-scratch || record finetune-scratch mim4j finetune --scratch --checkpoint "$OUT/mae" \
        --epochs "$FINETUNE_EPOCHS" --seed "$SEED" --output "$OUT/finetune-scratch" "${split[@]}"
}

sweep() {
    done_step sweep || record sweep mim4j sweep --spec "$here/mae.json" --epochs "$SWEEP_EPOCHS" --lr "$MAE_LR" --seed "$SEED" \
        --probe-epochs "$PROBE_EPOCHS" --probe-lr "$PROBE_LR" --output "$OUT/sweep" "${split[@]}"
}

# SimMIM on Swin: 196 patch tokens in windows of 49 make a step slower than the ViT's 16 tokens, so
# fewer epochs fit the hour; pooled by the mean of the last stage's 7x7 grid.
swin() {
    pretrain simmim-swin simmim "$SWIN_EPOCHS" "$SIMMIM_LR"
    evaluate simmim-swin --checkpoint "$OUT/simmim-swin"
    evaluate simmim-swin-random-init --random-init --like "$OUT/simmim-swin"
}

# MaskFeat (the samples' recipe of one's own: HOG of 9 bins per 7x7 patch, a linear head, 40% of the
# patches replaced by a mask token, MSE; maskfeat.json), pre-trained with its preset's settings on the
# same ViT, then evaluated as MAE and SimMIM are, its best block picked on the train split alone.
maskfeat() {
    pretrain maskfeat maskfeat "$MASKFEAT_EPOCHS" "$MASKFEAT_LR"
    evaluate maskfeat --checkpoint "$OUT/maskfeat"
    best_block maskfeat
}

steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(mae simmim probes blocks finetune sweep swin maskfeat)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
for step in "${steps[@]}"; do
    case $step in
        mae) pretrain mae mae "$MAE_EPOCHS" "$MAE_LR" ;;
        simmim) pretrain simmim simmim "$SIMMIM_EPOCHS" "$SIMMIM_LR" ;;
        probes) probes ;;
        blocks) blocks ;;
        finetune) finetune ;;
        sweep) sweep ;;
        swin) swin ;;
        maskfeat) maskfeat ;;
        *) echo "unknown step '$step': one of mae simmim probes blocks finetune sweep swin maskfeat" >&2; exit 2 ;;
    esac
done
echo "results: $results"
