using System.Globalization;

namespace RfcnPerf.Core.Pipeline;

/// <summary>Builds the list of images to process.</summary>
public static class ImageList
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    /// <summary>
    /// Every JPEG/PNG in <paramref name="folder"/>, sorted by file name. The image id is the file name's
    /// number when it is one (COCO's <c>000000397133.jpg</c> is 397133); other names get unique ids above the
    /// largest numeric one, in name order.
    /// </summary>
    public static IReadOnlyList<ImageRef> FromFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new RfcnPerfException($"image folder not found: {Path.GetFullPath(folder)}");
        }

        var files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new RfcnPerfException($"no .jpg/.jpeg/.png images in {Path.GetFullPath(folder)}");
        }

        // Numeric names keep their number; the others get ids above the largest number, so ids stay unique
        // (2.jpg and cat.jpg must not share id 2 in a results file).
        var numeric = files.Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        var next = Math.Max(0, numeric.Max()) + 1;
        var list = new ImageRef[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            list[i] = new ImageRef(numeric[i] >= 0 ? numeric[i] : next++, files[i]);
        }

        return list;
    }

    /// <summary>
    /// The images an annotation file names, in its order, resolved inside <paramref name="folder"/>.
    /// </summary>
    public static IReadOnlyList<ImageRef> FromAnnotations(IEnumerable<(long Id, string FileName)> images, string folder) =>
        images.Select(i => new ImageRef(i.Id, Path.Combine(folder, i.FileName))).ToArray();

    /// <summary>
    /// A deterministic shard of a list: shard <paramref name="index"/> of <paramref name="count"/> takes every
    /// count-th image starting at index (round-robin keeps shards balanced however the list is sorted).
    /// </summary>
    public static IReadOnlyList<ImageRef> Shard(IReadOnlyList<ImageRef> images, int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
        {
            throw new RfcnPerfException($"shard {index}/{count} is invalid: expected 0 <= i < n (e.g. --shard 0/4)");
        }

        return images.Where((_, i) => i % count == index).ToArray();
    }

    /// <summary>
    /// The images a run processes: shard first (so n jobs cover the list once), then the first
    /// <paramref name="limit"/> of the shard. The one place <c>detect</c> and <c>eval run</c> select images.
    /// </summary>
    public static IReadOnlyList<ImageRef> Select(IReadOnlyList<ImageRef> images, (int Index, int Count)? shard, int? limit)
    {
        var list = shard is { } s ? Shard(images, s.Index, s.Count) : images;
        return limit is { } l ? list.Take(Math.Max(0, l)).ToArray() : list;
    }
}
