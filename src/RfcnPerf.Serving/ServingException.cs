namespace RfcnPerf.Serving;

/// <summary>What kind of request failure a <see cref="ServingException"/> is; each maps to one HTTP and one gRPC status.</summary>
internal enum ServingErrorKind
{
    /// <summary>Bad JSON, wrong shape or dtype, undecodable image: HTTP 400, gRPC INVALID_ARGUMENT.</summary>
    InvalidArgument,

    /// <summary>Unknown model, version or route: HTTP 404, gRPC NOT_FOUND.</summary>
    NotFound,

    /// <summary>The batching queue is full or the server is stopping: HTTP 503, gRPC UNAVAILABLE (TF Serving's answer).</summary>
    Unavailable,

    /// <summary>Body larger than the configured limit: HTTP 413, gRPC RESOURCE_EXHAUSTED.</summary>
    TooLarge,
}

/// <summary>
/// A request the server refuses, with a one-line reason naming what was expected, what was found and where
/// (e.g. <c>instances[2]</c>). Every endpoint turns it into TF Serving's <c>{"error": "..."}</c> body or a gRPC status.
/// </summary>
internal sealed class ServingException(ServingErrorKind kind, string message) : Exception(message)
{
    public ServingErrorKind Kind { get; } = kind;

    public int HttpStatus => Kind switch
    {
        ServingErrorKind.InvalidArgument => 400,
        ServingErrorKind.NotFound => 404,
        ServingErrorKind.Unavailable => 503,
        _ => 413,
    };

    public Grpc.Core.StatusCode GrpcStatus => Kind switch
    {
        ServingErrorKind.InvalidArgument => Grpc.Core.StatusCode.InvalidArgument,
        ServingErrorKind.NotFound => Grpc.Core.StatusCode.NotFound,
        ServingErrorKind.Unavailable => Grpc.Core.StatusCode.Unavailable,
        _ => Grpc.Core.StatusCode.ResourceExhausted,
    };

    /// <summary>The gRPC form: the status of <see cref="Kind"/> with the message as its detail.</summary>
    public Grpc.Core.RpcException ToRpcException() => new(new Grpc.Core.Status(GrpcStatus, Message));

    public static ServingException Invalid(string message) => new(ServingErrorKind.InvalidArgument, message);

    public static ServingException NotFound(string message) => new(ServingErrorKind.NotFound, message);
}
