using System.IO.Compression;

namespace RfcnPerf.Testing;

/// <summary>
/// The rfcnperf tool package as users install it: the newest artifacts/packages/rfcnperf.*.nupkg
/// (<c>dotnet pack src/RfcnPerf.Cli -c Release</c>; CI packs before its second test pass).
/// </summary>
internal static class ToolPackage
{
    /// <summary>The skip reason of a test that needs the package.</summary>
    public const string Missing =
        "needs the rfcnperf tool package with the native evaluator in artifacts/packages: run `dotnet pack src/RfcnPerf.Cli -c Release` (CI does before its second pass)";

    /// <summary>The native evaluator's file name on this OS.</summary>
    public static string NativeEvalFile => OperatingSystem.IsWindows() ? "rfcnperf-eval.exe" : "rfcnperf-eval";

    /// <summary>The newest package file, or null when none was packed.</summary>
    public static FileInfo? Newest()
    {
        var packages = new DirectoryInfo(Path.Combine(TestPaths.RepoRoot, "artifacts", "packages"));
        return packages.Exists
            ? packages.GetFiles("rfcnperf.*.nupkg").Where(f => !f.Name.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).MaxBy(f => f.LastWriteTimeUtc)
            : null;
    }

    /// <summary>
    /// Extracts the entries of the package's tools folder that <paramref name="keep"/> accepts (given their path below
    /// tools/TFM/any/) into <paramref name="dir"/>, keeping the folder layout, and gives the native evaluator its
    /// execute bits as the tool installer does; returns false when there is no package or it holds no native evaluator.
    /// </summary>
    public static bool ExtractTools(string dir, Func<string, bool> keep)
    {
        var newest = Newest();
        if (newest is null)
        {
            return false;
        }

        using var zip = ZipFile.OpenRead(newest.FullName);
        var tools = zip.Entries.Where(e => e.FullName.StartsWith("tools/", StringComparison.Ordinal) && e.Name.Length > 0).ToList();
        if (!tools.Any(e => e.Name == NativeEvalFile))
        {
            return false;
        }

        foreach (var entry in tools)
        {
            // tools/net10.0/any/<relative>
            string relative = string.Join('/', entry.FullName.Split('/').Skip(3));
            if (!keep(relative))
            {
                continue;
            }

            string path = Path.Combine(dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
        }

        string native = Path.Combine(dir, NativeEvalFile);
        if (!OperatingSystem.IsWindows() && File.Exists(native))
        {
            File.SetUnixFileMode(native, File.GetUnixFileMode(native) | UnixFileMode.UserExecute);
        }

        return true;
    }
}
