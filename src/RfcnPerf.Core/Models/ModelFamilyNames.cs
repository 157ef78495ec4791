namespace RfcnPerf.Core.Models;

/// <summary>The command-line spelling of each family (<c>yolov8</c>, <c>nanodet-plus</c>, <c>tf-od-api</c>).</summary>
public static class ModelFamilyNames
{
    /// <summary>The family's command-line name.</summary>
    public static string ToName(this ModelFamily family) => family switch
    {
        ModelFamily.Yolov8 => "yolov8",
        ModelFamily.NanodetPlus => "nanodet-plus",
        ModelFamily.TfOdApi => "tf-od-api",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>Parses a family name; throws a user error listing the valid names.</summary>
    public static ModelFamily Parse(string name)
    {
        foreach (var family in Enum.GetValues<ModelFamily>())
        {
            if (string.Equals(family.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }
        }

        throw new RfcnPerfException($"unknown model family '{name}': expected one of yolov8, nanodet-plus, tf-od-api");
    }
}
