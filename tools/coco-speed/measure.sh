#!/usr/bin/env bash
# Whole-process wall time and peak memory of `rfcnperf eval score` and its peers on the same files, the commands
# taking turns (A B C A B C ...) so a drifting machine load hits them alike; prints the median and range per command.
#
# usage: tools/coco-speed/measure.sh RUNS GT.json DT.json [bbox|segm|keypoints]
# environment:
#   RFCNPERF          the rfcnperf command (default: rfcnperf on PATH, i.e. the installed tool)
#   RFCNPERF_EVAL     also time the native evaluator directly (path to rfcnperf-eval), if set
#   PYCOCOTOOLS       a folder to put on PYTHONPATH holding pycocotools (built from source: see README.md), if set
#   FASTER_COCO_EVAL  a folder to put on PYTHONPATH holding faster_coco_eval (built from source), if set
# Files must be decompressed JSON (every tool reads them as they are). Needs GNU time (/usr/bin/time) and python3.
set -euo pipefail
runs=${1:?runs}; gt=${2:?GT.json}; dt=${3:?DT.json}; type=${4:-bbox}
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
rfcnperf=${RFCNPERF:-rfcnperf}

names=("rfcnperf eval score")
cmds=("$rfcnperf eval score --annotations $gt --results $dt --iou-type $type")
if [ -n "${RFCNPERF_EVAL:-}" ]; then
  names+=("rfcnperf-eval (direct)"); cmds+=("$RFCNPERF_EVAL eval score --annotations $gt --results $dt --iou-type $type")
fi
if [ -n "${FASTER_COCO_EVAL:-}" ]; then
  names+=("faster-coco-eval"); cmds+=("env PYTHONPATH=$FASTER_COCO_EVAL $python $here/score_peer.py faster-coco-eval $gt $dt $type")
fi
if [ -n "${PYCOCOTOOLS:-}" ]; then
  names+=("pycocotools"); cmds+=("env PYTHONPATH=$PYCOCOTOOLS $python $here/score_peer.py pycocotools $gt $dt $type")
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((r = 0; r <= runs; r++)); do          # run 0 warms the page cache and is not counted
  for i in "${!cmds[@]}"; do
    /usr/bin/time -f "$r $i %e %M" -a -o "$log" ${cmds[$i]} >/dev/null 2>&1 || { echo "failed: ${cmds[$i]}" >&2; exit 1; }
  done
done

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $runs counted runs each (median [min-max])"
printf '| %s | %s | %s |\n|---|---:|---:|\n' "command" "wall s" "peak MiB"
for i in "${!cmds[@]}"; do
  "$python" - "$log" "$i" "${names[$i]}" <<'PY'
import statistics, sys
log, idx, name = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.split() for l in open(log) if l.split()[:2] != [] and l.split()[1] == idx and l.split()[0] != "0"]
wall = [float(r[2]) for r in rows]
rss = [int(r[3]) / 1024 for r in rows]
print("| %s | %.3f [%.3f-%.3f] | %.0f [%.0f-%.0f] |" % (name, statistics.median(wall), min(wall), max(wall), statistics.median(rss), min(rss), max(rss)))
PY
done
