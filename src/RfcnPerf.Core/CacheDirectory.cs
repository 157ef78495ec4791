namespace RfcnPerf.Core;

/// <summary>
/// Where RfcnPerf keeps what it fetches or builds (models, derived models, batchified copies, measured peaks): one
/// rule for every namespace of Core, so sessions can place their batchified copies without knowing the asset store.
/// </summary>
public static class CacheDirectory
{
    /// <summary><c>RFCNPERF_CACHE</c>, else <c>$XDG_CACHE_HOME/rfcnperf</c>, else <c>~/.cache/rfcnperf</c>.</summary>
    public static string Default()
    {
        if (Environment.GetEnvironmentVariable("RFCNPERF_CACHE") is { Length: > 0 } explicitDir)
        {
            return Path.GetFullPath(explicitDir);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "rfcnperf");
    }
}
