using Google.Protobuf;
using Grpc.Core;

namespace RfcnPerf.Serving;

/// <summary>
/// Binds the generated gRPC services with request marshallers that refuse a message protobuf cannot parse
/// (a bad tag, a truncated field, invalid UTF-8 in a string) as INVALID_ARGUMENT. grpc-dotnet deserialises a
/// unary request before the handler or any interceptor runs, so without this the parser's exception escapes as
/// UNKNOWN "Exception was thrown by handler." with a stack trace in the log.
/// </summary>
internal static class GrpcRequests
{
    /// <summary>
    /// The service a generated <c>BindService(ServiceBinderBase, TServiceBase)</c> describes, each method's request
    /// marshaller guarded by <see cref="Parse{T}"/>.
    /// </summary>
    public static ServerServiceDefinition Bind(Action<ServiceBinderBase> bindService)
    {
        var binder = new GuardingBinder();
        bindService(binder);
        return binder.Build();
    }

    /// <summary>
    /// Parses one request message with <paramref name="parse"/>; a message it cannot parse is a
    /// <see cref="ServingException"/> (INVALID_ARGUMENT) naming the message type and protobuf's reason.
    /// </summary>
    public static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Refused<T>(ex);
        }
        catch (InvalidOperationException ex) when (ex.Source == typeof(IMessage).Assembly.GetName().Name)
        {
            // Google.Protobuf 3.36 (and upstream at the time of writing) reads a wrapper field (ModelSpec.version is
            // an Int64Value) whose length runs past the end of its message by asking for the next tag, gets 0 and
            // throws "SkipLastField cannot be called at the end of a stream" instead of its parse exception.
            throw Refused<T>(ex);
        }
    }

    private static ServingException Refused<T>(Exception ex) =>
        ServingException.Invalid($"the request is not a valid {typeof(T).Name} message: {ex.Message}");

    private static Marshaller<T> Guard<T>(Marshaller<T> marshaller) => Marshallers.Create(
        marshaller.ContextualSerializer,
        context =>
        {
            try
            {
                return Parse(() => marshaller.ContextualDeserializer(context));
            }
            catch (ServingException ex)
            {
                throw ex.ToRpcException();
            }
        });

    /// <summary>
    /// Collects the methods a generated <c>BindService</c> adds, with guarded request marshallers. Our services are
    /// unary only; a streaming method would hit the base class's NotImplementedException when the server starts.
    /// </summary>
    private sealed class GuardingBinder : ServiceBinderBase
    {
        private readonly ServerServiceDefinition.Builder builder = ServerServiceDefinition.CreateBuilder();

        public ServerServiceDefinition Build() => builder.Build();

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            builder.AddMethod(
                new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, Guard(method.RequestMarshaller), method.ResponseMarshaller),
                handler ?? throw new ArgumentNullException(nameof(handler), $"{method.FullName} is bound without a handler"));
    }
}
