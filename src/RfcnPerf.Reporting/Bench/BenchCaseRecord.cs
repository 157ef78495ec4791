namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// One case of a run as summary.json records it: its stable key, names for people, and where its raw samples are
/// (BenchmarkDotNet's full JSON export of the case's class, and the case's entry in it).
/// </summary>
/// <param name="Key">The stable key cases are matched by across runs.</param>
/// <param name="Model">Catalog or file name of the model (display only).</param>
/// <param name="Export">Path of the BenchmarkDotNet <c>*-report-full.json</c> holding the case, relative to the run folder.</param>
/// <param name="Entry">The case's <c>DisplayInfo</c> in that file (locates it within this run only).</param>
/// <param name="Samples">Measured iterations (Workload/Actual) the case has.</param>
public sealed record BenchCaseRecord(BenchCaseKey Key, string Model, string Export, string Entry, int Samples);
