namespace RfcnPerf.Bench.Reporting;

/// <summary>A CSV file's header and its rows keyed by column name (<see cref="RooflineFromResults.ReadCsv"/>).</summary>
internal sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows);
