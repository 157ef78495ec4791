using BenchmarkDotNet.Running;

// Program only dispatches (docs/STYLE.md): BenchmarkSwitcher picks benchmarks from the arguments
// (--filter, --list, --job, ...). The exit code is non-zero when any benchmark failed to run.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
