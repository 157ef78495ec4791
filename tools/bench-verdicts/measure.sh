#!/usr/bin/env bash
# The closing measurements of "every comparison says how sure it is", in one command, on a quiet machine:
#   1. two quick runs in a row (A, B): wall time of each, and every verdict the two summaries print, side by side;
#   2. a quick run with --force-intra 1 (C): an injected regression every session runs with one intra-op thread;
#   3. a quick run while a CPU hog (`yes`) runs pinned to the last CPU (D): its measurements must be flagged;
#   4. bench compare B vs A (two separate runs), C vs A with --fail-on-regression (exit 3 expected), D vs A;
#   E. (only when asked) eval run of yolov8n and yolov8n-int8: the INT8 AP delta with its bootstrap interval and the
#      time the 1,000-replicate bootstrap took.
# Usage: tools/bench-verdicts/measure.sh [--smoke] [--steps ABCD] [--out DIR] [-- extra run-bench arguments]
#   --smoke     yolov8n only and the RealTime class only (checks this script end to end; not a measurement)
#   --steps S   the runs to make, any of A B C D E (default ABCD); comparisons run for the pairs whose runs exist
#   --out DIR   where the logs and comparisons go (default: results/measure-<UTC timestamp>/)
# Needs the .NET SDK; models come from the asset store as for run-bench.sh (RFCNPERF_ASSET_MIRROR etc. are honoured).
# Prints the wall time of each run, the side-by-side verdict table, the machine-noise lines and each compare's
# verdict table with its exit code; everything is also written under the output folder (measure.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

smoke=0
steps=ABCD
out="results/measure-$(date -u +%Y%m%d-%H%M%S)"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "measure: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$steps" in *[!ABCDE]*|"") echo "measure: --steps takes letters among A B C D E, got '$steps'" >&2; exit 2 ;; esac
want() { case "$steps" in *"$1"*) return 0 ;; *) return 1 ;; esac; }
if [ "$smoke" -eq 1 ]; then
  extra=(--models yolov8n --filter '*RealTime*' "${extra[@]}")
fi

command -v dotnet >/dev/null || { echo "measure: the .NET SDK is required" >&2; exit 2; }
command -v jq >/dev/null || { echo "measure: jq is required (apt-get install jq)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "measure: taskset is required (util-linux)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
report="$out/measure.md"
: > "$report"
say() { echo "$@" | tee -a "$report"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say "# bench verdict measurements ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
say ""
say "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- extra run-bench arguments: ${extra[*]:-(none)}"
t0=$(date +%s)
dotnet build bench/RfcnPerf.Bench/RfcnPerf.Bench.csproj -c Release -nologo -v quiet > "$out/build.log" 2>&1 || { echo "measure: bench build failed (see $out/build.log)" >&2; exit 2; }
dotnet build src/RfcnPerf.Cli/RfcnPerf.Cli.csproj -c Release -nologo -v quiet >> "$out/build.log" 2>&1 || { echo "measure: CLI build failed (see $out/build.log)" >&2; exit 2; }
say "- build: $(( $(date +%s) - t0 )) s (not counted in the run times)"
bench=(dotnet "$root/bench/RfcnPerf.Bench/bin/Release/net10.0/RfcnPerf.Bench.dll")
cli=(dotnet "$root/src/RfcnPerf.Cli/bin/Release/net10.0/rfcnperf.dll")

hog=""
stop_hog() { if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi; }
trap stop_hog EXIT

# run NAME ARGS...: one quick run; sets dir_NAME to its results folder.
run() {
  local name=$1; shift
  local start end status=0
  start=$(date +%s.%N)
  "${bench[@]}" quick "$@" "${extra[@]}" > "$out/run-$name.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  local dir
  dir=$(sed -n 's/^run-bench: results: //p' "$out/run-$name.log" | tail -1)
  if [ -z "$dir" ] || [ ! -f "$dir/summary.json" ]; then
    echo "measure: run $name wrote no summary.json (exit $status; see $out/run-$name.log)" >&2
    exit 1
  fi
  printf -v "dir_$name" '%s' "$dir"
  say "- run $name ($*): $(awk -v s="$start" -v e="$end" 'BEGIN { t = e - s; printf "%d min %02d s", t / 60, t % 60 }'), exit $status, $(jq -r '.cases' "$dir/summary.json") cases, load $(jq -r '.loadBefore // "n/a"' "$dir/summary.json") -> $(jq -r '.loadAfter // "n/a"' "$dir/summary.json"); $dir"
}

say ""
say "## Runs"
say ""
dir_A="" dir_B="" dir_C="" dir_D=""
if want A; then run A; fi
if want B; then run B; fi
if want C; then run C --force-intra 1; fi
if want D; then
  last=$(( $(nproc) - 1 ))
  taskset -c "$last" yes > /dev/null &
  hog=$!
  say "- CPU hog: \`yes\` pinned to CPU $last (pid $hog) during run D"
  run D
  stop_hog
fi
if want E; then
  start=$(date +%s)
  status=0
  "${cli[@]}" eval run --model yolov8n --model yolov8n-int8 --visualize 0 --out-dir "$out/eval" > "$out/eval.log" 2>&1 || status=$?
  say "- eval run E (yolov8n, yolov8n-int8): $(( $(date +%s) - start )) s, exit $status; $(grep -m1 'paired bootstrap' "$out/eval.log" || echo 'no bootstrap line')"
  grep -m1 'yolov8n-int8 vs yolov8n' "$out/eval/report.md" 2>/dev/null | sed 's/^/  /' | tee -a "$report" || true
fi

if [ -n "$dir_A" ] && [ -n "$dir_B" ]; then
say ""
say "## Verdicts of A and B side by side (each run's own interleaved comparisons)"
say ""
{
  echo "| model | question | A ratio [95% interval] | A verdict | B ratio [95% interval] | B verdict | agree |"
  echo "|---|---|---|---|---|---|---|"
  jq -r -n --slurpfile a "$dir_A/summary.json" --slurpfile b "$dir_B/summary.json" '
    def cell: "\(.ratio * 1000 | round / 1000) [\(.lower * 1000 | round / 1000), \(.upper * 1000 | round / 1000)]";
    ($a[0].comparisons // []) as $ca | ($b[0].comparisons // []) as $cb
    | ([$ca[], $cb[]] | map({model, question}) | unique)[] as $k
    | ($ca | map(select(.model == $k.model and .question == $k.question)) | first) as $x
    | ($cb | map(select(.model == $k.model and .question == $k.question)) | first) as $y
    | "| \($k.model) | \($k.question) | \(if $x then ($x | cell) else "-" end) | \($x.verdict // "-") | \(if $y then ($y | cell) else "-" end) | \($y.verdict // "-") | \(if $x == null or $y == null then "missing" elif $x.verdict == $y.verdict then "yes" elif $x.verdict == "unknown" or $y.verdict == "unknown" then "one unknown" else "NO" end) |"'
} | tee -a "$report"
fi

say ""
say "## Machine noise per run (from summary.md)"
for name in A B C D; do
  d="dir_$name"
  [ -n "${!d}" ] || continue
  say ""
  say "Run $name:"
  grep -E 'machine noise' "${!d}/summary.md" | sed 's/^/    /' | tee -a "$report" || say "    (no noise line)"
done

# compare NAME BASE RUN [ARGS...]: bench compare with its verdict table and exit code.
compare() {
  local name=$1 base=$2 other=$3; shift 3
  local status=0
  "${cli[@]}" bench compare "$base" "$other" --out-dir "$out/compare-$name" "$@" > "$out/compare-$name.log" 2> "$out/compare-$name.err" || status=$?
  say ""
  say "## bench compare $name $* (exit $status)"
  say ""
  # The per-case table: its header, then its rows (the lines ending in a verdict).
  grep -m1 -E '^\| model \| precision \| configuration' "$out/compare-$name.log" | tee -a "$report" || true
  grep -E '^\|.*\| (same|faster|slower|unknown[^|]*) \|$' "$out/compare-$name.log" | tee -a "$report" || true
  sed 's/^/    stderr: /' "$out/compare-$name.err" | tee -a "$report"
}

if [ -n "$dir_A" ]; then
  if [ -n "$dir_B" ]; then compare "B-vs-A" "$dir_A" "$dir_B"; fi
  if [ -n "$dir_C" ]; then compare "C-vs-A" "$dir_A" "$dir_C" --fail-on-regression; fi
  if [ -n "$dir_D" ]; then compare "D-vs-A" "$dir_A" "$dir_D"; fi
fi

say ""
say "Full outputs: $out (comparison.md of each compare in compare-*/, logs run-*.log)."
