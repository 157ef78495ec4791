namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// Ground truths and detections grouped by image, for the analyses that look at one image at a time (TIDE, the
/// agreement of two models): image slots in the ground truth's file order (optionally restricted to a set of ids),
/// each slot's annotations and detections in file order, as compressed rows.
/// </summary>
internal sealed class ImageGroups
{
    private ImageGroups(long[] imageIds, int[] gtStart, int[] gtItems)
    {
        ImageIds = imageIds;
        GtStart = gtStart;
        GtItems = gtItems;
    }

    /// <summary>The image id of each slot.</summary>
    public long[] ImageIds { get; }

    public int Count => ImageIds.Length;

    private int[] GtStart { get; }

    private int[] GtItems { get; }

    /// <summary>Ground-truth annotation indices of slot <paramref name="slot"/>, in file order.</summary>
    public ReadOnlySpan<int> GroundTruth(int slot) => GtItems.AsSpan(GtStart[slot], GtStart[slot + 1] - GtStart[slot]);

    /// <summary>
    /// The ground truth's images in file order (a repeated id once, at its first position), restricted to
    /// <paramref name="imageIds"/> when given.
    /// </summary>
    /// <exception cref="CocoException">An id of <paramref name="imageIds"/> is not in the ground truth.</exception>
    public static ImageGroups Create(CocoGroundTruth gt, IReadOnlyCollection<long>? imageIds)
    {
        HashSet<long>? keep = null;
        if (imageIds is not null)
        {
            keep = [.. imageIds];
            foreach (long id in keep)
            {
                if (!gt.ContainsImage(id))
                {
                    throw new CocoException($"image id {id} is not in the ground truth {gt.Source}");
                }
            }
        }

        var ids = new List<long>(gt.Images.Count);
        var seen = new HashSet<long>();
        foreach (var image in gt.Images)
        {
            if (seen.Add(image.Id) && (keep is null || keep.Contains(image.Id)))
            {
                ids.Add(image.Id);
            }
        }

        var slots = SlotsOf(ids);
        var a = gt.Annotations;
        var (start, items) = Group(a.ImageId, slots, ids.Count);
        return new ImageGroups([.. ids], start, items);
    }

    /// <summary>Slot of each image id.</summary>
    public Dictionary<long, int> Slots() => SlotsOf(ImageIds);

    /// <summary>
    /// Detection indices of <paramref name="results"/> grouped by this object's slots (file order within a slot;
    /// detections on other images are left out). Returned as (start, items): slot s holds items[start[s]..start[s+1]].
    /// </summary>
    public (int[] Start, int[] Items) GroupDetections(CocoResults results) => Group(results.ImageId, Slots(), Count);

    private static Dictionary<long, int> SlotsOf(IReadOnlyList<long> ids)
    {
        var slots = new Dictionary<long, int>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            slots[ids[i]] = i;
        }

        return slots;
    }

    // A counting sort by slot: stable, so file order survives within each image.
    private static (int[] Start, int[] Items) Group(long[] imageId, Dictionary<long, int> slots, int count)
    {
        var slotOf = new int[imageId.Length];
        var start = new int[count + 1];
        for (int j = 0; j < imageId.Length; j++)
        {
            slotOf[j] = slots.TryGetValue(imageId[j], out int s) ? s : -1;
            if (slotOf[j] >= 0)
            {
                start[slotOf[j] + 1]++;
            }
        }

        for (int s = 0; s < count; s++)
        {
            start[s + 1] += start[s];
        }

        var items = new int[start[count]];
        var fill = (int[])start.Clone();
        for (int j = 0; j < imageId.Length; j++)
        {
            if (slotOf[j] >= 0)
            {
                items[fill[slotOf[j]]++] = j;
            }
        }

        return (start, items);
    }
}
