using System.IO.Compression;
using System.Security.Cryptography;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Data;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// <c>assets pull coco-val2017</c> against a loopback server serving two small zips in the official layout (images
/// from the bundled sample): a whole pull, an interrupted download that resumes with a Range request, a corrupt
/// download that is deleted and reported, a server gone midway or not there at all, a server without Range support,
/// and a target that cannot be written. After every failure nothing in the target looks complete.
/// </summary>
public sealed class CocoDownloadTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly LoopbackFileServer server = new();
    private readonly byte[] imagesZip;
    private readonly byte[] annotationsZip;
    private readonly string[] imageNames;

    public CocoDownloadTests()
    {
        imageNames = Directory.EnumerateFiles(Path.Combine(TestPaths.BundledSample, "val2017"), "*.jpg").Order(StringComparer.Ordinal).Take(3).ToArray();
        imagesZip = Zip(imageNames.Select(f => ("val2017/" + Path.GetFileName(f), File.ReadAllBytes(f))).Prepend(("val2017/", [])));
        annotationsZip = Zip([
            ("annotations/instances_val2017.json", File.ReadAllBytes(Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json"))),
            ("annotations/captions_val2017.json", "{}"u8.ToArray()),
        ]);
        server.Serve("/annotations/annotations_trainval2017.zip", annotationsZip);
        server.Serve("/zips/val2017.zip", imagesZip);
    }

    private IReadOnlyList<CocoArchive> Archives =>
    [
        new(Spec("/annotations/annotations_trainval2017.zip", annotationsZip), ["annotations/instances_val2017.json"]),
        new(Spec("/zips/val2017.zip", imagesZip), ["val2017/"]),
    ];

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void A_whole_pull_extracts_the_standard_layout_and_marks_it_complete()
    {
        var root = temp.File("coco");
        var progress = new List<(string File, long Bytes, long Total)>();

        CocoDownload.Pull(root, Archives, (f, b, t) => progress.Add((f, b, t)));

        AssertComplete(root);
        Assert.False(File.Exists(Path.Combine(root, "annotations", "captions_val2017.json")));
        Assert.Equal((imagesZip.LongLength, imagesZip.LongLength), progress.Where(p => p.File == "val2017.zip").Select(p => (p.Bytes, p.Total)).Last());
        Assert.Equal(Path.Combine(temp.Path, "coco"), CocoDownload.CompletedFolder(temp.Path));

        // A second pull finds the marker and downloads nothing.
        var requests = server.Requests.Count;
        CocoDownload.Pull(root, Archives);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public void An_interrupted_download_keeps_its_part_and_the_next_pull_resumes_with_a_range_request()
    {
        var root = temp.File("coco");
        var cut = imagesZip.Length / 3;
        server.CutAfter = (path, from) => path == "/zips/val2017.zip" && from == 0 ? cut : null;

        var ex = Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, Archives));

        Assert.Contains("/zips/val2017.zip interrupted after", ex.Message, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        var part = Path.Combine(root, ".download", "val2017.zip.part");
        Assert.Equal(cut, new FileInfo(part).Length);
        AssertNothingLooksComplete(root);

        CocoDownload.Pull(root, Archives);

        Assert.Contains(server.Requests, r => r.Path == "/zips/val2017.zip" && r.RangeStart == cut);
        AssertComplete(root);
    }

    [Fact]
    public void A_corrupt_download_is_deleted_and_reported_with_both_hashes()
    {
        var root = temp.File("coco");
        var corrupt = (byte[])imagesZip.Clone();
        corrupt[corrupt.Length / 2] ^= 0xFF;
        server.Serve("/zips/val2017.zip", corrupt);

        var ex = Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, Archives));

        Assert.Contains($"is corrupt: sha256 {Sha(corrupt)}, expected {Sha(imagesZip)}; deleted", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, ".download", "val2017.zip.part")));
        Assert.False(File.Exists(Path.Combine(root, ".download", "val2017.zip")));
        AssertNothingLooksComplete(root);

        // The good bytes come back: the next pull starts over and completes.
        server.Serve("/zips/val2017.zip", imagesZip);
        CocoDownload.Pull(root, Archives);
        AssertComplete(root);
    }

    [Fact]
    public void A_server_without_range_support_makes_the_download_start_over()
    {
        var root = temp.File("coco");
        server.CutAfter = (path, from) => path == "/zips/val2017.zip" && server.Requests.Count(r => r.Path == path) == 1 ? 1000 : null;
        Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, Archives));

        server.IgnoreRange = true;
        CocoDownload.Pull(root, Archives);

        Assert.Contains(server.Requests, r => r.Path == "/zips/val2017.zip" && r.RangeStart == 1000);
        AssertComplete(root);
    }

    [Fact]
    public void A_server_that_is_not_there_is_one_line_naming_the_url()
    {
        var root = temp.File("coco");
        int port;
        using (var gone = new LoopbackFileServer())
        {
            port = gone.Port;
        }

        var archives = new[] { new CocoArchive(new DownloadSpec(new Uri($"http://127.0.0.1:{port}/zips/val2017.zip"), imagesZip.Length, Sha(imagesZip)), ["val2017/"]) };
        var ex = Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, archives));

        Assert.StartsWith($"cannot reach http://127.0.0.1:{port}/zips/val2017.zip", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        AssertNothingLooksComplete(root);
    }

    [Fact]
    public void A_target_that_cannot_be_written_is_one_line_before_any_download()
    {
        var file = temp.File("a-file");
        File.WriteAllText(file, "not a folder");
        var root = Path.Combine(file, "coco");

        var ex = Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, Archives));

        Assert.StartsWith($"cannot write to {root}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--coco DIR", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void An_existing_folder_not_made_by_pull_is_refused_not_overwritten()
    {
        var root = temp.File("coco");
        Directory.CreateDirectory(Path.Combine(root, "val2017"));
        File.WriteAllText(Path.Combine(root, "val2017", "mine.jpg"), "user data");

        var ex = Assert.Throws<RfcnPerfException>(() => CocoDownload.Pull(root, Archives));

        Assert.Contains("already exists but", ex.Message, StringComparison.Ordinal);
        Assert.Equal("user data", File.ReadAllText(Path.Combine(root, "val2017", "mine.jpg")));
    }

    [Fact]
    public void The_official_archives_carry_the_published_sizes_and_hashes()
    {
        // tensorflow/datasets, tensorflow_datasets/url_checksums/coco.txt.
        Assert.Equal(
            [
                ("http://images.cocodataset.org/annotations/annotations_trainval2017.zip", 252_907_541L, "113a836d90195ee1f884e704da6304dfaaecff1f023f49b6ca93c4aaae470268"),
                ("http://images.cocodataset.org/zips/val2017.zip", 815_585_330L, "4f7e2ccb2866ec5041993c9cf2a952bbed69647b115d0f74da7ce8f4bef82f05"),
            ],
            CocoDownload.Official.Select(a => (a.Download.Url.ToString(), a.Download.SizeBytes, a.Download.Sha256)));
    }

    private void AssertComplete(string root)
    {
        Assert.True(File.Exists(Path.Combine(root, CocoDownload.Marker)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json")),
            File.ReadAllBytes(Path.Combine(root, "annotations", "instances_val2017.json")));
        Assert.Equal(imageNames.Select(Path.GetFileName), Directory.GetFiles(Path.Combine(root, "val2017")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(root, ".download")));
        Assert.False(Directory.Exists(Path.Combine(root, ".staging")));
    }

    private static void AssertNothingLooksComplete(string root)
    {
        Assert.False(File.Exists(Path.Combine(root, CocoDownload.Marker)));
        Assert.False(Directory.Exists(Path.Combine(root, "val2017")));
        Assert.False(File.Exists(Path.Combine(root, "annotations", "instances_val2017.json")));
    }

    private DownloadSpec Spec(string path, byte[] bytes) => new(server.Url(path), bytes.Length, Sha(bytes));

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        }

        return memory.ToArray();
    }
}
