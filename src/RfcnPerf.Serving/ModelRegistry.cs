namespace RfcnPerf.Serving;

/// <summary>The served models by name; lookups that miss answer as TF Serving does (NOT_FOUND).</summary>
internal sealed class ModelRegistry(IReadOnlyList<ServedModel> models)
{
    public IReadOnlyList<ServedModel> Models => models;

    /// <summary>
    /// The model <paramref name="name"/> at <paramref name="version"/> (null = latest). A miss names the
    /// request the way TF Serving's message does (<c>Latest(rfcn)</c>, <c>Specific(rfcn, 2)</c>).
    /// </summary>
    public ServedModel Get(string name, long? version = null)
    {
        var model = models.FirstOrDefault(m => m.Name == name);
        if (model is null || (version is { } v && v != ServedModel.Version))
        {
            var what = version is { } ver ? $"Specific({name}, {ver})" : $"Latest({name})";
            throw ServingException.NotFound($"Servable not found for request: {what}");
        }

        return model;
    }

    /// <summary>Parses a version from a URL segment.</summary>
    public static long ParseVersion(string text) => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
        ? v
        : throw ServingException.Invalid($"version must be a non-negative integer, got '{text}'");
}
