namespace RfcnPerf.Serving.Load;

/// <summary>The command-line names of <see cref="LoadScenario"/> and LoadGen's own spelling of them.</summary>
internal static class LoadScenarioNames
{
    /// <summary>The values <c>--scenario</c> takes, in order.</summary>
    public const string Choices = "single-stream | multi-stream | server | offline";

    /// <summary>Parses a <c>--scenario</c> value; unknown names are a user error naming the choices.</summary>
    public static LoadScenario Parse(string text) => text switch
    {
        "single-stream" => LoadScenario.SingleStream,
        "multi-stream" => LoadScenario.MultiStream,
        "server" => LoadScenario.Server,
        "offline" => LoadScenario.Offline,
        _ => throw new Core.RfcnPerfException($"--scenario must be one of {Choices}, got '{text}'"),
    };

    /// <summary>The command-line name.</summary>
    public static string Name(LoadScenario scenario) => scenario switch
    {
        LoadScenario.SingleStream => "single-stream",
        LoadScenario.MultiStream => "multi-stream",
        LoadScenario.Server => "server",
        _ => "offline",
    };

    /// <summary>LoadGen's name (its summary's "Scenario :" line).</summary>
    public static string LoadGenName(LoadScenario scenario) => scenario switch
    {
        LoadScenario.SingleStream => "SingleStream",
        LoadScenario.MultiStream => "MultiStream",
        LoadScenario.Server => "Server",
        _ => "Offline",
    };
}
