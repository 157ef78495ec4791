using System.Security.Cryptography;

namespace RfcnPerf.Core.Assets;

/// <summary>sha256 of files, as lower-case hex.</summary>
public static class FileHash
{
    /// <summary>Hashes a file's bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when the file exists, has the expected size and the expected sha256.</summary>
    public static bool Matches(string path, long expectedSize, string expectedSha256)
    {
        var info = new FileInfo(path);
        return info.Exists
            && (expectedSize <= 0 || info.Length == expectedSize)
            && string.Equals(Sha256(path), expectedSha256, StringComparison.OrdinalIgnoreCase);
    }
}
