#!/usr/bin/env bash
# Times the training step of mim4j and of the authors' code in one sitting, same threads and
# environment, and prints both JSON lines and the ratio of their images per second.
#
# Needs: python3-torch, python3-numpy, libopenblas0-pthread (Debian), checkouts of
# facebookresearch/mae and microsoft/SimMIM in MAE_REPO and SIMMIM_REPO, and the shared reference
# folder (step_bench.py) in REFERENCE (default: ../shared/reference next to this checkout).
#
# Usage: bench/side-by-side.sh mae|simmim tiny32|tiny224|base224 BATCH STEPS THREADS
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
recipe=$1 config=$2 batch=$3 steps=$4 threads=$5
reference="${REFERENCE:-$root/../shared/reference}"
: "${MAE_REPO:?set MAE_REPO to a checkout of facebookresearch/mae}"
: "${SIMMIM_REPO:?set SIMMIM_REPO to a checkout of microsoft/SimMIM}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
ours=$("$root/mim4j" bench "$recipe" "$config" --batch "$batch" --steps "$steps" --threads "$threads" | tail -n 1)
theirs=$(/usr/bin/python3 "$reference/step_bench.py" "$recipe" "$config" "$batch" "$steps" "$threads" 2>/dev/null | tail -n 1)
echo "$ours"
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{a['recipe']} {a['config']} batch {a['batch']} threads {a['threads']}: mim4j / official = "
      f"{a['img_per_s'] / b['img_per_s']:.2f}x images per second "
      f"({a['img_per_s']:.1f} vs {b['img_per_s']:.1f}); peak RSS {a['peak_rss_mb']} vs {b['peak_rss_mb']} MB")
PY
