namespace RfcnPerf.Coco.Cli;

/// <summary>The options of <c>eval score</c> as given on the command line (parsed and checked by the command).</summary>
public sealed record EvalScoreOptions(
    string Annotations,
    IReadOnlyList<string> Results,
    string? UseCats = null,
    string? ImgIds = null,
    string? CatIds = null,
    string? MaxDets = null,
    bool PerClass = false,
    string? Sort = null,
    string? Json = null,
    bool DropUnknownImages = false,
    int Threads = 0,
    bool Timings = false,
    bool AllowMissingShards = false,
    string? Arrays = null,
    string? IouType = null,
    string? KptSigmas = null);
