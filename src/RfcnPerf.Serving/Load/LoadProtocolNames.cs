namespace RfcnPerf.Serving.Load;

/// <summary>The names of <see cref="LoadProtocol"/> values on the command line and in reports.</summary>
internal static class LoadProtocolNames
{
    /// <summary><c>tfserving-rest</c>, <c>tfserving-grpc</c> or <c>kserve</c>.</summary>
    public static string Name(LoadProtocol protocol) => protocol switch
    {
        LoadProtocol.TfServingRest => "tfserving-rest",
        LoadProtocol.TfServingGrpc => "tfserving-grpc",
        _ => "kserve",
    };
}
