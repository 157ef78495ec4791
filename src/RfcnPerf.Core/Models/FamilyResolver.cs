namespace RfcnPerf.Core.Models;

/// <summary>Picks the family head for a model: the requested family, or the one its signature fits.</summary>
public static class FamilyResolver
{
    /// <summary>
    /// Returns the head for <paramref name="signature"/>. With <paramref name="requested"/> set, the model must
    /// fit that family; otherwise the family is inferred. Errors name the expected and the actual inputs/outputs.
    /// </summary>
    public static FamilyHead Resolve(ModelSignature signature, ModelFamily? requested, string modelName)
    {
        if (requested is { } family)
        {
            return TryCreate(signature, family)
                ?? throw new RfcnPerfException($"{modelName} is not a {family.ToName()} model: expected {Expected(family)}; actual {signature}");
        }

        foreach (var candidate in Enum.GetValues<ModelFamily>())
        {
            if (TryCreate(signature, candidate) is { } head)
            {
                return head;
            }
        }

        throw new RfcnPerfException(
            $"{modelName} fits no supported family; actual {signature}; expected one of: " +
            string.Join(" | ", Enum.GetValues<ModelFamily>().Select(Expected)) + " (pass --family to force one)");
    }

    /// <summary>The head for a specific family, or null when the signature does not fit it.</summary>
    public static FamilyHead? TryCreate(ModelSignature signature, ModelFamily family) => family switch
    {
        ModelFamily.Yolov8 => (FamilyHead?)Yolov8RawHead.TryCreate(signature) ?? Yolov8Head.TryCreate(signature),
        ModelFamily.NanodetPlus => NanodetHead.TryCreate(signature, NanodetDefaults.Resize, NanodetDefaults.CenterOffset),
        ModelFamily.TfOdApi => TfOdApiHead.TryCreate(signature),
        _ => null,
    };

    private static string Expected(ModelFamily family) => family switch
    {
        ModelFamily.Yolov8 => Yolov8HeadBase.Expected,
        ModelFamily.NanodetPlus => NanodetHead.Expected,
        _ => TfOdApiHead.Expected,
    };
}
