using Grpc.Core;
using RfcnPerf.Serving.Protos.Serving;

namespace RfcnPerf.Serving;

/// <summary>TF Serving's <c>tensorflow.serving.ModelService/GetModelStatus</c>.</summary>
internal sealed class ModelStatusGrpcService(ModelRegistry registry) : ModelService.ModelServiceBase
{
    public override Task<GetModelStatusResponse> GetModelStatus(GetModelStatusRequest request, ServerCallContext context)
    {
        try
        {
            var spec = request.ModelSpec ?? throw ServingException.Invalid("model_spec is missing");
            registry.Get(spec.Name, spec.VersionChoiceCase == ModelSpec.VersionChoiceOneofCase.Version ? spec.Version : null);
            var response = new GetModelStatusResponse();
            response.ModelVersionStatus.Add(new ModelVersionStatus
            {
                Version = ServedModel.Version,
                State = ModelVersionStatus.Types.State.Available,
                Status = new StatusProto { ErrorCode = 0, ErrorMessage = string.Empty },
            });
            return Task.FromResult(response);
        }
        catch (ServingException ex)
        {
            throw ex.ToRpcException();
        }
    }
}
