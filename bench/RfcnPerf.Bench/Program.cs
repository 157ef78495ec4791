using RfcnPerf.Bench;

// RfcnPerf.Bench [PROFILE] [--models ...] [BenchmarkDotNet args]: Program only dispatches (docs/STYLE.md).
// The exit code is non-zero when any benchmark failed or the run could not start.
return BenchRun.Execute(args);
