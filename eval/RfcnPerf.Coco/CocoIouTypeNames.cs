namespace RfcnPerf.Coco;

/// <summary>pycocotools' names of the iouTypes ('bbox', 'segm', 'keypoints'), for files, messages and the command line.</summary>
public static class CocoIouTypeNames
{
    /// <summary>The name pycocotools uses for <paramref name="type"/>.</summary>
    public static string Name(CocoIouType type) => type switch
    {
        CocoIouType.Segm => "segm",
        CocoIouType.Keypoints => "keypoints",
        _ => "bbox",
    };

    /// <summary>The iouType named <paramref name="name"/> (pycocotools' spelling), if any.</summary>
    public static bool TryParse(string? name, out CocoIouType type)
    {
        foreach (var t in Enum.GetValues<CocoIouType>())
        {
            if (Name(t) == name)
            {
                type = t;
                return true;
            }
        }

        type = CocoIouType.Bbox;
        return false;
    }
}
