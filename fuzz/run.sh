#!/usr/bin/env bash
# Coverage-guided fuzzing of one reader with SharpFuzz + AFL++.
#   fuzz/run.sh TARGET [MINUTES]      TARGET: gt | results | gt-segm | gt-keypoints | results-segm | results-keypoints |
#                                     score | compare | onnx | image | tfserving | kserve | grpc-predict
#                                     (MINUTES default 10)
#   fuzz/run.sh TARGET replay [DIR]   replays DIR (default: that target's crashes and hangs) with stack traces
# Needs: afl++ (Debian: apt-get install -y afl++) and the pinned SharpFuzz.CommandLine tool (dotnet tool restore).
# Publishes fuzz/RfcnPerf.Fuzz into fuzz/out/bin, writes the seeds (before instrumenting: instrumented code only
# runs under afl-fuzz), instruments our libraries and Google.Protobuf with sharpfuzz (System.Text.Json, part of
# the shared framework, is not instrumented: the request targets' coverage is our parsers' code),
# then runs one AFL instance at nice 19 for MINUTES. Findings land in fuzz/out/findings/TARGET/default/
# (crashes/, hangs/, queue/, fuzzer_stats); the last lines printed are execs, corpus size, crashes, hangs.
# The managed heap of the target is capped (DOTNET_GCHeapHardLimit, 512 MiB) so a declared length that makes a
# reader allocate without bound is an OutOfMemoryException, i.e. a crash, not a slow swap.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh gt|results|gt-segm|gt-keypoints|results-segm|results-keypoints|score|compare|onnx|image|tfserving|kserve|grpc-predict [MINUTES | replay [DIR]]}"
case "$target" in gt|results|gt-segm|gt-keypoints|results-segm|results-keypoints|score|compare|onnx|image|tfserving|kserve|grpc-predict) ;; *) echo "fuzz/run.sh: unknown target '$target'" >&2; exit 2 ;; esac
out=fuzz/out
bin="$out/bin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_GCHeapHardLimit=0x20000000

if [ "${2:-}" = "replay" ]; then
  dir="${3:-}"
  if [ -z "$dir" ]; then
    set -- "$out/findings/$target/default/crashes" "$out/findings/$target/default/hangs"
  else
    set -- "$dir"
  fi
  dotnet build fuzz/RfcnPerf.Fuzz -c Release -v q -nologo >/dev/null
  exec dotnet fuzz/RfcnPerf.Fuzz/bin/Release/net10.0/RfcnPerf.Fuzz.dll "$target" "$@"
fi

minutes="${2:-10}"
command -v afl-fuzz >/dev/null || { echo "fuzz/run.sh: afl-fuzz not found (Debian: apt-get install -y afl++)" >&2; exit 2; }

echo "== publish"
dotnet tool restore >/dev/null
rm -rf "$bin"
dotnet publish fuzz/RfcnPerf.Fuzz -c Release -o "$bin" -v q -nologo >/dev/null
echo "== seeds"
seeds="$out/seeds/$target"
rm -rf "$seeds" && mkdir -p "$seeds"
case "$target" in
  onnx|image|tfserving|kserve|grpc-predict) dotnet "$bin/RfcnPerf.Fuzz.dll" seeds "$out/seeds" ;;
  compare) cp fuzz/seeds/score/* "$seeds"/ ;;
  *) cp fuzz/seeds/"$target"/* "$seeds"/ ;;
esac
echo "== instrument"
for dll in RfcnPerf.Coco RfcnPerf.Onnx RfcnPerf.Core RfcnPerf.Accuracy RfcnPerf.Serving Google.Protobuf; do
  dotnet sharpfuzz "$bin/$dll.dll" >/dev/null
done

dict=()
case "$target" in gt|results|gt-segm|gt-keypoints|results-segm|results-keypoints|score|compare) dict=(-x fuzz/dict/coco.dict) ;; tfserving|kserve) dict=(-x fuzz/dict/serving.dict) ;; esac

echo "== afl-fuzz $target for $minutes min"
findings="$out/findings/$target"
rm -rf "$findings" && mkdir -p "$out/findings"
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  nice -n 19 afl-fuzz -i "$seeds" -o "$findings" -t 5000 -m none -V $((minutes * 60)) "${dict[@]}" \
  -- dotnet "$bin/RfcnPerf.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 || { tail -30 "$out/$target.log" >&2; exit 1; }

stats="$findings/default/fuzzer_stats"
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "target $target: $(grep -E '^execs_done' "$stats" | tr -s ' '), $(grep -E '^(corpus_count|paths_total)' "$stats" | tr -s ' '), \
$(grep -E '^run_time' "$stats" | tr -s ' ') s, crashes $crashes, hangs $hangs"
[ "$crashes" -eq 0 ] && [ "$hangs" -eq 0 ] || echo "replay them: fuzz/run.sh $target replay"
