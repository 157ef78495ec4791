#!/usr/bin/env bash
# The benchmark sweep: builds RfcnPerf in Release, then runs the bench with a profile (quick by default) and
# BenchmarkDotNet's own options passed through. All logic lives in bench/RfcnPerf.Bench (C#).
#   ./run-bench.sh                      quick profile (about 10 minutes on 2 cores)
#   ./run-bench.sh full                 every catalog model (about an hour)
#   ./run-bench.sh quick --filter '*RealTime*'     BenchmarkDotNet arguments pass through
# Results: results/<UTC timestamp>-<profile>/summary.md. Exit code non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null || { echo "run-bench: the .NET SDK is required (global.json pins the version)" >&2; exit 2; }

echo "run-bench: building (Release)"
if ! dotnet build bench/RfcnPerf.Bench/RfcnPerf.Bench.csproj -c Release -nologo -v quiet; then
  echo "run-bench: FAILED: the build failed (see above)" >&2
  exit 2
fi

status=0
dotnet bench/RfcnPerf.Bench/bin/Release/net10.0/RfcnPerf.Bench.dll "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run-bench: FAILED with exit code $status (reasons above)" >&2
fi
exit "$status"
