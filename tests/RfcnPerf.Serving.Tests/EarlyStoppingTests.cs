using System.Text.Json;
using RfcnPerf.Serving.Load;
using RfcnPerf.Testing;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// Early stopping's minimum query counts against the rules' formula computed with SciPy
/// (tests/data/loadgen-oracle/min-queries.json from tools/loadgen-oracle/min_queries_table.py).
/// </summary>
public sealed class EarlyStoppingTests
{
    public static TheoryData<double, long, long> Table()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "data", "loadgen-oracle", "min-queries.json")));
        var data = new TheoryData<double, long, long>();
        foreach (var row in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            data.Add(row.GetProperty("percentile").GetDouble(), row.GetProperty("over_bound").GetInt64(), row.GetProperty("min_queries").GetInt64());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Minimum_queries_equal_the_rules_formula(double percentile, long overBound, long expected)
    {
        // A fresh finder (empty cache) and one that has walked t up from 0, as LoadGen's loops do.
        Assert.Equal(expected, new EarlyStopping().MinQueries(overBound, percentile));
        var walked = new EarlyStopping();
        for (long t = 0; t < overBound; t++)
        {
            walked.MinQueries(t, percentile);
        }

        Assert.Equal(expected, walked.MinQueries(overBound, percentile));
    }

    [Fact]
    public void The_issue_table_64_459_662()
    {
        var finder = new EarlyStopping();
        Assert.Equal(64, finder.MinQueries(1, 0.90));
        Assert.Equal(459, finder.MinQueries(0, 0.99));
        Assert.Equal(662, finder.MinQueries(1, 0.99));
    }
}
