using RfcnPerf.Shared;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>The shared atomic writer (src/Shared/AtomicFile.cs, compiled into each library that writes files).</summary>
public sealed class AtomicFileTests
{
    [Fact]
    public void A_write_replaces_the_file_and_leaves_no_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.json", "old");

        AtomicFile.WriteAllText(dir.File("sub/b.json"), "new é");
        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal("new é"u8.ToArray(), File.ReadAllBytes(dir.File("sub/b.json"))); // UTF-8, no byte order mark
        Assert.Equal(["a.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_file_and_removes_its_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.json", "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("writer failed");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
