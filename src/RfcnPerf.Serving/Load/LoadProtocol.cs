namespace RfcnPerf.Serving.Load;

/// <summary>The wire protocol the load generator speaks.</summary>
internal enum LoadProtocol
{
    /// <summary>TF Serving REST <c>:predict</c>, row format (<c>instances</c>), as the recipe's client posts.</summary>
    TfServingRest,

    /// <summary>TF Serving gRPC <c>PredictionService/Predict</c>.</summary>
    TfServingGrpc,

    /// <summary>KServe / Open Inference Protocol v2 REST <c>/infer</c>.</summary>
    KServe,
}

/// <summary>How images travel: encoded JPEG/PNG bytes (b64 in JSON) or decoded uint8 pixels (nested lists).</summary>
internal enum LoadPayload
{
    B64,
    Raw,
}
