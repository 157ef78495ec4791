using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using RfcnPerf.Core;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Serving;

/// <summary>
/// TF Serving's <c>tensorflow.serving.PredictionService/Predict</c>. The input tensor (<c>inputs</c>, or the
/// request's only one) is either DT_UINT8 [N, H, W, 3] / [H, W, 3] (tensor_content or int_val) or DT_STRING
/// [N] of encoded JPEG/PNG; outputs are DT_FLOAT tensors in tensor_content, as TF Serving sends them.
/// </summary>
internal sealed class PredictionGrpcService(ModelRegistry registry, ServingOptions options) : PredictionService.PredictionServiceBase
{
    public override async Task<PredictResponse> Predict(PredictRequest request, ServerCallContext context)
    {
        try
        {
            var spec = request.ModelSpec ?? throw ServingException.Invalid("model_spec is missing");
            var model = registry.Get(spec.Name, spec.VersionChoiceCase == ModelSpec.VersionChoiceOneofCase.Version ? spec.Version : null);
            if (spec.VersionChoiceCase == ModelSpec.VersionChoiceOneofCase.VersionLabel)
            {
                throw ServingException.NotFound($"Servable not found for request: Label({spec.Name}, {spec.VersionLabel}) (this server has no version labels)");
            }

            ServedSignature.Check(spec.SignatureName);
            var images = ToImages(request, options.MaxPixelsPerImage, options.MaxQueue);
            var tensors = await model.DetectAsync(images).ConfigureAwait(false);

            var response = new PredictResponse
            {
                ModelSpec = new ModelSpec { Name = model.Name, Version = ServedModel.Version, SignatureName = ServedSignature.Name },
            };
            foreach (var name in DetectionTensors.OutputNames)
            {
                if (request.OutputFilter.Count > 0 && !request.OutputFilter.Contains(name))
                {
                    continue;
                }

                var (data, shape) = tensors.Output(name);
                response.Outputs[name] = FloatTensor(data, shape);
            }

            foreach (var filter in request.OutputFilter)
            {
                tensors.Output(filter);
            }

            return response;
        }
        catch (ServingException ex)
        {
            throw ex.ToRpcException();
        }
        catch (RfcnPerfException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, ex.Message.Split('\n', 2)[0]));
        }
    }

    internal static TensorProto FloatTensor(float[] data, long[] shape)
    {
        var tensor = new TensorProto
        {
            Dtype = DataType.DtFloat,
            TensorShape = new TensorShapeProto(),
            TensorContent = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan())),
        };
        foreach (var d in shape)
        {
            tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        }

        return tensor;
    }

    /// <summary>Pixels sent as <c>int_val</c> (one int32 per channel) rather than <c>tensor_content</c>.</summary>
    private static byte[] IntValBytes(TensorProto tensor)
    {
        var content = new byte[tensor.IntVal.Count];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = tensor.IntVal[i] is >= 0 and <= 255 ? (byte)tensor.IntVal[i] : throw ServingException.Invalid($"int_val[{i}] = {tensor.IntVal[i]} is not a uint8");
        }

        return content;
    }

    /// <summary>The request's images (caller disposes).</summary>
    internal static List<DecodedImage> ToImages(PredictRequest request, long maxPixels, int maxImages)
    {
        TensorProto tensor;
        if (request.Inputs.TryGetValue(ServedSignature.Input, out var named))
        {
            tensor = named;
        }
        else if (request.Inputs.Count == 1)
        {
            tensor = request.Inputs.Values.First();
        }
        else
        {
            throw ServingException.Invalid($"the request has inputs [{string.Join(", ", request.Inputs.Keys)}]; the signature's input is '{ServedSignature.Input}'");
        }

        var shape = tensor.TensorShape?.Dim.Select(d => d.Size).ToArray() ?? [];
        var images = new List<DecodedImage>();
        try
        {
            switch (tensor.Dtype)
            {
                case DataType.DtString:
                    if (tensor.StringVal.Count == 0 || tensor.StringVal.Count > maxImages || (shape.Length > 0 && (shape.Length != 1 || shape[0] != tensor.StringVal.Count)))
                    {
                        throw ServingException.Invalid($"input DT_STRING has {tensor.StringVal.Count} strings and shape [{string.Join(", ", shape)}]; expected [N] encoded images, N = 1..{maxImages}");
                    }

                    for (var i = 0; i < tensor.StringVal.Count; i++)
                    {
                        try
                        {
                            images.Add(ImageDecoder.Decode(tensor.StringVal[i].Span, $"inputs[{i}]", maxPixels));
                        }
                        catch (RfcnPerfException ex)
                        {
                            throw ServingException.Invalid(ex.Message);
                        }
                    }

                    return images;
                case DataType.DtUint8:
                    var pixels = PixelShape.Check(shape, maxPixels, maxImages, "input DT_UINT8");
                    ReadOnlySpan<byte> content = tensor.TensorContent.IsEmpty ? IntValBytes(tensor) : tensor.TensorContent.Span;
                    if (content.Length != pixels.TotalBytes)
                    {
                        throw ServingException.Invalid($"input DT_UINT8 holds {content.Length} bytes but shape {PixelShape.Format(shape)} needs {pixels.TotalBytes}");
                    }

                    return pixels.Split(content);
                default:
                    throw ServingException.Invalid($"input has dtype {tensor.Dtype}; expected DT_UINT8 pixels [N, H, W, 3] or DT_STRING encoded images [N]");
            }
        }
        catch
        {
            ImageJson.Dispose(images);
            throw;
        }
    }
}
