using Google.Protobuf;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Shared;

namespace RfcnPerf.Onnx;

/// <summary>
/// Reads and writes ONNX model files (<see cref="ModelProto"/>). Every read is checked for the structure the
/// rest of the library relies on (a graph, an opset, every node input defined), so a truncated or foreign file
/// fails here with a message naming the file rather than deep inside a rewrite.
/// </summary>
public static class OnnxModelFile
{
    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new OnnxModelException($"{path}: model file not found.");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses and validates model bytes; <paramref name="source"/> names them in messages.</summary>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        if (bytes.Length == 0)
        {
            throw new OnnxModelException($"{source}: expected an ONNX model (protobuf ModelProto), found an empty file.");
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxModelException(
                $"{source}: expected an ONNX model (protobuf ModelProto), found {bytes.Length:N0} bytes that do not parse " +
                $"as one ({ex.Message.TrimEnd('.')}); the file is truncated or not ONNX.", ex);
        }

        OnnxGraphValidator.Validate(model, source);
        return model;
    }

    /// <summary>Serialises <paramref name="model"/>.</summary>
    public static byte[] ToBytes(ModelProto model) => model.ToByteArray();

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> through a temporary file in the same folder
    /// and a rename, so a reader (or a cache lookup) never sees a half-written model.
    /// </summary>
    public static void Save(ModelProto model, string path) => AtomicFile.Write(path, model.WriteTo);
}
