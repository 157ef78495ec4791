using RfcnPerf.Accuracy;
using RfcnPerf.Reporting;

namespace RfcnPerf.Fuzz;

/// <summary>Writes the generated seeds (the same ones the CsCheck tests mutate) for afl-fuzz's <c>-i</c>.</summary>
internal static class Seeds
{
    public static int Write(string dir, IReadOnlyDictionary<string, byte[]> seeds, string extension = "")
    {
        Directory.CreateDirectory(dir);
        foreach (var (name, bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(dir, name + extension), bytes);
        }

        return seeds.Count;
    }

    /// <summary>A run.json written by the real writer from the stats of an <c>eval score --json</c> file.</summary>
    public static void WriteRunJson(string scoreJson, string path)
    {
        var run = ReportJson.ReadRuns(scoreJson).Single();
        JsonReportFile.Write(path, run);
    }
}
