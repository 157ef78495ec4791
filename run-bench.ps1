#!/usr/bin/env pwsh
# The benchmark sweep: builds RfcnPerf in Release, then runs the bench with a profile (quick by default) and
# BenchmarkDotNet's own options passed through. All logic lives in bench/RfcnPerf.Bench (C#).
#   ./run-bench.ps1                      quick profile (about 10 minutes on 2 cores)
#   ./run-bench.ps1 full                 every catalog model (about an hour)
#   ./run-bench.ps1 quick --filter '*RealTime*'     BenchmarkDotNet arguments pass through
# Results: results/<UTC timestamp>-<profile>/summary.md. Exit code non-zero when anything failed.
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine('run-bench: the .NET SDK is required (global.json pins the version)')
    exit 2
}

Write-Host 'run-bench: building (Release)'
dotnet build bench/RfcnPerf.Bench/RfcnPerf.Bench.csproj -c Release -nologo -v quiet
if ($LASTEXITCODE -ne 0) {
    [Console]::Error.WriteLine('run-bench: FAILED: the build failed (see above)')
    exit 2
}

dotnet bench/RfcnPerf.Bench/bin/Release/net10.0/RfcnPerf.Bench.dll @args
$status = $LASTEXITCODE
if ($status -ne 0) {
    [Console]::Error.WriteLine("run-bench: FAILED with exit code $status (reasons above)")
}
exit $status
