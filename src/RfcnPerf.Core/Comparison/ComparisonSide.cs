namespace RfcnPerf.Core.Comparison;

/// <summary>
/// One side of an interleaved comparison: a request to repeat (a model call, a pass of images, a served request)
/// and how many units (images) one request handles. <see cref="Request"/> returns false when the request failed
/// (a served request's error): its round is dropped on both sides and counted.
/// </summary>
/// <param name="Name">Label for reports.</param>
/// <param name="Request">Runs one request on a side that is already loaded and prepared.</param>
/// <param name="UnitsPerRequest">Images per request, so times can be given per image.</param>
public sealed record ComparisonSide(string Name, Func<bool> Request, int UnitsPerRequest = 1)
{
    /// <summary>A side whose requests cannot fail.</summary>
    public static ComparisonSide Of(string name, Action request, int unitsPerRequest = 1) =>
        new(name, () =>
        {
            request();
            return true;
        }, unitsPerRequest);
}
