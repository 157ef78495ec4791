using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class AssetStoreTests : IDisposable
{
    // sha256("abc"), FIPS 180-2 appendix B.1.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static CatalogModel Nanodet => MirrorModels.NanodetFp32;

    [Theory]
    [InlineData(3L, AbcSha256, true)]
    [InlineData(3L, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true)]
    // Size 0 or below means "size unknown": only the hash is checked.
    [InlineData(0L, AbcSha256, true)]
    [InlineData(4L, AbcSha256, false)]
    [InlineData(3L, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae", false)]
    public void FileHash_matches_on_size_and_sha256(long size, string sha, bool expected)
    {
        var path = temp.File("abc.txt");
        File.WriteAllText(path, "abc");

        Assert.Equal(AbcSha256, FileHash.Sha256(path));
        Assert.Equal(expected, FileHash.Matches(path, size, sha));
    }

    [Fact]
    public void FileHash_does_not_match_a_missing_file()
    {
        Assert.False(FileHash.Matches(temp.File("missing"), 3, AbcSha256));
    }

    public static TheoryData<string> CorruptEntries => ["garbage", "truncated", "empty"];

    [SkippableTheory]
    [MemberData(nameof(CorruptEntries))]
    public void Resolve_deletes_a_corrupt_cache_entry_and_returns_the_verified_mirror_copy(string kind)
    {
        var store = new AssetStore(temp.File("cache"), MirrorModels.RequireMirror().MirrorDir, allowNetwork: false);
        var cached = store.CachePath(Nanodet);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        WriteCorrupt(cached, kind);
        var log = new List<string>();

        var resolved = store.Resolve(Nanodet, log.Add);

        Assert.NotEqual(cached, resolved);
        Assert.StartsWith(TestPaths.ModelMirror!, resolved, StringComparison.Ordinal);
        Assert.True(FileHash.Matches(resolved, Nanodet.SizeBytes, Nanodet.Sha256));
        Assert.False(File.Exists(cached), "the corrupt cache entry was left in place");
        Assert.Contains(log, l => l.Contains("corrupt", StringComparison.Ordinal) && l.Contains(cached, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Resolve_prefers_a_verified_cache_entry()
    {
        var store = new AssetStore(temp.File("cache"), MirrorModels.RequireMirror().MirrorDir, allowNetwork: false);
        var cached = store.CachePath(Nanodet);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.Copy(MirrorModels.NanodetFp32Path, cached);

        Assert.Equal(cached, store.Resolve(Nanodet));
        Assert.Equal(cached, store.FindLocal(Nanodet));
    }

    [SkippableTheory]
    [MemberData(nameof(CorruptEntries))]
    public void FindLocal_ignores_a_cache_entry_with_the_wrong_hash(string kind)
    {
        var withMirror = new AssetStore(temp.File("cache"), MirrorModels.RequireMirror().MirrorDir, allowNetwork: false);
        var withoutMirror = new AssetStore(temp.File("cache"), mirrorDir: null, allowNetwork: false);
        var cached = withMirror.CachePath(Nanodet);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        WriteCorrupt(cached, kind);

        var found = withMirror.FindLocal(Nanodet);

        Assert.NotNull(found);
        Assert.NotEqual(cached, found);
        Assert.True(FileHash.Matches(found, Nanodet.SizeBytes, Nanodet.Sha256));
        Assert.Null(withoutMirror.FindLocal(Nanodet));
    }

    [Fact]
    public void A_mirror_file_with_the_right_name_but_wrong_bytes_is_not_used()
    {
        var mirror = temp.File("mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "nested"));
        File.WriteAllText(Path.Combine(mirror, "nested", Nanodet.FileName), "not the model");
        var store = new AssetStore(temp.File("cache"), mirror, allowNetwork: false);

        Assert.Null(store.FindLocal(Nanodet));
        var ex = Assert.Throws<RfcnPerfException>(() => store.Resolve(Nanodet));
        Assert.Contains($"offline mirror {mirror} (no .onnx file with the expected size and sha256)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_mirror_only_model_lists_the_sources_tried_and_how_to_provide_it()
    {
        var store = new AssetStore(temp.File("cache"), mirrorDir: null, allowNetwork: false);

        var ex = Assert.Throws<RfcnPerfException>(() => store.Resolve(Nanodet));

        Assert.Contains($"model {Nanodet.Name} is not available", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"cache {store.CachePath(Nanodet)} (missing)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("offline mirror (RFCNPERF_ASSET_MIRROR not set)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{Nanodet.Source.Urls[0]} (network disabled)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Provide {Nanodet.FileName} (sha256 {Nanodet.Sha256}) in {store.ModelsDir}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RFCNPERF_ASSET_MIRROR", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_npm_model_with_the_network_off_says_so()
    {
        var yolo = ModelCatalog.Find("yolov8n-uncut")!;
        var store = new AssetStore(temp.File("cache"), temp.File("empty-mirror"), allowNetwork: false);

        var ex = Assert.Throws<RfcnPerfException>(() => store.Resolve(yolo));

        Assert.Contains($"npm {yolo.Source.NpmPackage} (network disabled)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Provide {yolo.FileName} (sha256 {yolo.Sha256})", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_catalog_matches_the_published_hashes_and_sizes()
    {
        // docs/MODELS.md §1.
        Assert.Equal(
            [
                ("yolov8n-uncut", "9697a185dd8eb7448aea4c979e10db2b4977f70a46687890ef796936c44a848b", 12_770_945L),
                ("yolov8s-uncut", "fb831dd01762c001e3954cb440074dd8565c604028ea635930fc3dcc0ed39987", 44_842_177L),
                ("yolov8m-uncut", "e91bd39ce15420f9623d5e3d46580f7ce4dfc85d061e4ee2e7b78ccd3e5b9453", 103_773_493L),
                ("nanodet-m-416", "4b82da9944b88577175ee23a459dce2e26e6e4be573def65b1055dc2d9720186", 3_800_954L),
                ("nanodet-m-416-int8", "8dd32b85f2d273e9047f1d6b59e0b2fd008b1076338107bb547ac28942cdf90b", 1_031_424L),
            ],
            ModelCatalog.All.Where(m => !m.IsDerived).Select(m => (m.Name, m.Sha256, m.SizeBytes)));
        Assert.Equal("nanodet-m-416", ModelCatalog.Fp32Of("nanodet-m-416-int8")?.Name);

        // The earlier names still find the same models.
        Assert.Same(ModelCatalog.Find("nanodet-m-416"), ModelCatalog.Find("nanodet-plus-m-1.5x-416"));
        Assert.Same(ModelCatalog.Find("nanodet-m-416-int8"), ModelCatalog.Find("NanoDet-Plus-M-1.5x-416-INT8"));

        // The OpenCV model zoo's Git LFS objects (media URL first), as the catalog fetches them.
        Assert.Equal(
            "https://media.githubusercontent.com/media/opencv/opencv_zoo/main/models/object_detection_nanodet/object_detection_nanodet_2022nov_int8.onnx",
            ModelCatalog.Find("nanodet-m-416-int8")!.Source.Urls[0].ToString());
    }

    [Fact]
    public void Yolov8_names_are_the_cut_graphs_and_the_published_files_are_uncut()
    {
        foreach (var name in new[] { "yolov8n", "yolov8s", "yolov8m" })
        {
            var cut = ModelCatalog.Find(name)!;
            var uncut = ModelCatalog.Find(name + "-uncut")!;
            var int8 = ModelCatalog.Find(name + "-int8")!;

            Assert.Equal((ModelDerivation.CutDecodingTail, name + "-uncut"), (cut.Derivation, cut.DerivedFrom));
            Assert.Equal((ModelDerivation.Quantize, name), (int8.Derivation, int8.DerivedFrom));
            Assert.Equal(name + "-int8", cut.Int8Counterpart);
            Assert.Equal((false, (string?)null, name), (uncut.IsDerived, uncut.Int8Counterpart, uncut.CutCounterpart));
            Assert.Null(ModelCatalog.Find(name + "-uncut-int8"));
        }
    }

    [Fact]
    public void The_cut_graph_is_built_once_from_the_verified_source_and_reused()
    {
        // The published yolov8n as the only mirror file; an empty cache; no network.
        var mirror = Directory.CreateDirectory(temp.File("mirror")).FullName;
        File.Copy(MirrorModels.Yolov8nUncutPath, Path.Combine(mirror, "yolov8n.onnx"));
        var store = new AssetStore(temp.File("cache"), mirror, allowNetwork: false);
        var cut = ModelCatalog.Find("yolov8n")!;
        Assert.Null(store.FindLocal(cut));

        var path = store.Resolve(cut);
        var written = File.GetLastWriteTimeUtc(path);

        Assert.StartsWith(Path.Combine(store.ModelsDir, "derived", "yolov8n-"), path, StringComparison.Ordinal);
        Assert.Equal(path, store.FindLocal(cut));
        Assert.Equal(path, store.Resolve(cut));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Contains(RfcnPerf.Onnx.ModelInfo.Read(path).Metadata, kv => kv.Key == RfcnPerf.Onnx.RawHeadLayout.KindKey);
    }

    private void WriteCorrupt(string path, string kind)
    {
        switch (kind)
        {
            case "garbage":
                // Right size, wrong bytes: only the hash can tell.
                File.WriteAllBytes(path, new byte[Nanodet.SizeBytes]);
                break;
            case "truncated":
                var bytes = File.ReadAllBytes(MirrorModels.NanodetFp32Path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            default:
                File.WriteAllBytes(path, []);
                break;
        }
    }
}
