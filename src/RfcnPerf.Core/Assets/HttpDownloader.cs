using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace RfcnPerf.Core.Assets;

/// <summary>One file to download: where from, its exact size and sha256 (as published), and a display name.</summary>
/// <param name="Url">HTTP(S) address.</param>
/// <param name="SizeBytes">Expected size (0: unknown, then only the sha256 is checked).</param>
/// <param name="Sha256">Expected sha256, lower-case hex.</param>
public sealed record DownloadSpec(Uri Url, long SizeBytes, string Sha256)
{
    /// <summary>The file name the URL ends with.</summary>
    public string FileName => Path.GetFileName(Url.AbsolutePath);
}

/// <summary>
/// Downloads a file over HTTP into <c>DEST.part</c>, resuming an earlier partial download with a Range request
/// (starting over when the server ignores it), verifies size and sha256, and only then renames it to DEST. A file
/// that fails verification is deleted and reported; an interrupted transfer keeps its <c>.part</c> for the next
/// attempt. Every failure is one <see cref="RfcnPerfException"/> line naming the URL and what happened.
/// </summary>
public static class HttpDownloader
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(20),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = true,
    })
    {
        // A stalled server is caught per read below; the whole transfer of a 800 MB zip may take long.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    /// <summary>Reads without progress for this long fail the transfer (it can be resumed).</summary>
    public static TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Downloads <paramref name="spec"/> to <paramref name="destination"/> (verified); returns at once when the
    /// destination already holds the verified file. <paramref name="progress"/> receives (bytes so far, total or -1).
    /// </summary>
    public static void Download(DownloadSpec spec, string destination, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        if (FileHash.Matches(destination, spec.SizeBytes, spec.Sha256))
        {
            return;
        }

        var part = destination + ".part";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
            if (File.Exists(destination))
            {
                File.Delete(destination);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RfcnPerfException($"cannot write the download of {spec.FileName} to {Path.GetDirectoryName(Path.GetFullPath(destination))}: {ex.Message}", ex);
        }

        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (spec.SizeBytes > 0 && have > spec.SizeBytes)
        {
            File.Delete(part);
            have = 0;
        }

        if (spec.SizeBytes <= 0 || have < spec.SizeBytes)
        {
            Transfer(spec, part, have, progress, cancellationToken);
        }

        Verify(spec, part);
        File.Move(part, destination, overwrite: true);
    }

    private static void Transfer(DownloadSpec spec, string part, long have, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, spec.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        HttpResponseMessage response;
        try
        {
            response = SharedClient.Value.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RfcnPerfException($"cannot reach {spec.Url}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RfcnPerfException($"cannot reach {spec.Url}: connection timed out", ex);
        }

        using (response)
        {
            var append = false;
            if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The partial file is already whole (or the server's copy is shorter): verification decides.
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RfcnPerfException($"download of {spec.Url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != have)
                {
                    throw new RfcnPerfException($"download of {spec.Url}: asked to resume at byte {have}, the server answered with range {range}");
                }

                append = true;
            }

            var total = spec.SizeBytes > 0 ? spec.SizeBytes : (response.Content.Headers.ContentLength is { } length ? length + (append ? have : 0) : -1);
            var done = append ? have : 0;
            progress?.Invoke(done, total);
            FileStream output;
            try
            {
                output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RfcnPerfException($"cannot write {part}: {ex.Message}", ex);
            }

            using (output)
            {
                Stream input;
                try
                {
                    input = response.Content.ReadAsStream(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw Interrupted(spec, done, total, ex);
                }

                using (input)
                {
                    var buffer = new byte[1 << 16];
                    while (true)
                    {
                        int read;
                        using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                        {
                            stall.CancelAfter(StallTimeout);
                            try
                            {
                                read = input.ReadAsync(buffer, stall.Token).AsTask().GetAwaiter().GetResult();
                            }
                            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                            {
                                throw Interrupted(spec, done, total, new IOException($"no data for {StallTimeout.TotalSeconds:0} s", ex));
                            }
                            catch (Exception ex) when (ex is IOException or HttpRequestException)
                            {
                                throw Interrupted(spec, done, total, ex);
                            }
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        try
                        {
                            output.Write(buffer, 0, read);
                        }
                        catch (IOException ex)
                        {
                            throw new RfcnPerfException($"cannot write {part}: {ex.Message}", ex);
                        }

                        done += read;
                        progress?.Invoke(done, total);
                    }
                }
            }

            if (total > 0 && done < total)
            {
                throw Interrupted(spec, done, total, new IOException("the server closed the connection"));
            }
        }
    }

    private static void Verify(DownloadSpec spec, string part)
    {
        var info = new FileInfo(part);
        if (spec.SizeBytes > 0 && info.Length != spec.SizeBytes)
        {
            File.Delete(part);
            throw new RfcnPerfException($"download of {spec.Url} is {info.Length} bytes, expected {spec.SizeBytes}: deleted {part}; run the command again");
        }

        string sha;
        using (var stream = File.OpenRead(part))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (!string.Equals(sha, spec.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new RfcnPerfException($"download of {spec.Url} is corrupt: sha256 {sha}, expected {spec.Sha256}; deleted {part}");
        }
    }

    private static RfcnPerfException Interrupted(DownloadSpec spec, long done, long total, Exception ex) => new(
        $"download of {spec.Url} interrupted after {Size(done)} of {(total > 0 ? Size(total) : "?")} ({Innermost(ex)}); run the same command again to resume",
        ex);

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.TrimEnd('.');
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} B");
}
