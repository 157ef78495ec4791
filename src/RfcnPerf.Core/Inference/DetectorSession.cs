using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RfcnPerf.Core.Models;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Inference;

/// <summary>
/// One ONNX Runtime session for a detector, created once per configuration. Creation time and the first
/// run are reported apart from steady state. Input and output tensors live in streams
/// (<see cref="DetectorStream"/>): pinned buffers reused by every run; <see cref="Default"/> is the first one,
/// and <see cref="OpenStream"/> adds independent requests in flight on the same session.
/// </summary>
public sealed class DetectorSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly List<DetectorStream> streams = [];

    private DetectorSession(InferenceSession session, string modelPath, string modelName, SessionSettings settings, ModelFamily? requestedFamily, int batchSize, TimeSpan creationTime)
    {
        this.session = session;
        ModelPath = modelPath;
        ModelName = modelName;
        Settings = settings;
        BatchSize = batchSize;
        CreationTime = creationTime;
        Signature = ReadSignature(session);
        var head = FamilyResolver.Resolve(Signature, requestedFamily, modelName);
        Family = head.Family;
        CheckBatch(head);
        Default = new DetectorStream(this, head);
        streams.Add(Default);
    }

    /// <summary>The .onnx file the session runs (a batchified copy when batch &gt; 1 needed one).</summary>
    public string ModelPath { get; }

    /// <summary>Name used in messages and reports.</summary>
    public string ModelName { get; }

    /// <summary>Session options in force.</summary>
    public SessionSettings Settings { get; }

    /// <summary>Images per run.</summary>
    public int BatchSize { get; }

    /// <summary>Time to create the InferenceSession (graph load and optimisation), not inference.</summary>
    public TimeSpan CreationTime { get; }

    /// <summary>Inputs and outputs as ORT reports them.</summary>
    public ModelSignature Signature { get; }

    /// <summary>The detector family in use.</summary>
    public ModelFamily Family { get; }

    /// <summary>The first stream.</summary>
    public DetectorStream Default { get; }

    /// <summary>Duration of the session's first run (warm-up), once it happened.</summary>
    public TimeSpan? FirstRunTime { get; internal set; }

    internal InferenceSession Inner => session;

    /// <summary>
    /// Opens a session. <paramref name="family"/> forces a family (else inferred from the signature).
    /// Throws <see cref="RfcnPerfException"/> for unreadable models, unfit families or impossible batch sizes.
    /// </summary>
    public static DetectorSession Open(string modelPath, SessionSettings settings, int batchSize = 1, ModelFamily? family = null, string? modelName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!File.Exists(modelPath))
        {
            throw new RfcnPerfException($"model file not found: {modelPath}");
        }

        var name = modelName ?? Path.GetFileNameWithoutExtension(modelPath);
        if (batchSize > 1)
        {
            // A fixed-batch model gets a batchified copy (docs/MODELS.md §4), cached next to the original or in
            // the cache when the original's folder is read-only; a model that is already dynamic is used as is.
            modelPath = OnnxBatchify.EnsureDynamicBatch(modelPath, Path.Combine(CacheDirectory.Default(), "batchified"));
        }

        var stopwatch = Stopwatch.StartNew();
        InferenceSession inner;
        using (var options = settings.ToSessionOptions())
        {
            try
            {
                inner = new InferenceSession(modelPath, options);
            }
            catch (OnnxRuntimeException ex)
            {
                throw OrtErrors.ToUserError(ex, $"ONNX Runtime cannot load {modelPath}");
            }
        }

        stopwatch.Stop();
        try
        {
            return new DetectorSession(inner, modelPath, name, settings, family, batchSize, stopwatch.Elapsed);
        }
        catch
        {
            inner.Dispose();
            throw;
        }
    }

    /// <summary>Adds a stream: its own buffers, sharing this session's weights and threads.</summary>
    public DetectorStream OpenStream()
    {
        var stream = new DetectorStream(this, FamilyResolver.TryCreate(Signature, Family)!);
        streams.Add(stream);
        return stream;
    }

    /// <summary>
    /// Stops ONNX Runtime's profiler (sessions opened with <see cref="SessionSettings.ProfilePrefix"/>) and returns
    /// the path of the trace JSON it wrote.
    /// </summary>
    public string EndProfiling() => Settings.ProfilePrefix is null
        ? throw new InvalidOperationException($"{ModelName}: the session was opened without a profile prefix")
        : Path.GetFullPath(session.EndProfiling());

    /// <summary>True when the model's batch dimension is symbolic.</summary>
    public bool HasDynamicBatch => Signature.Inputs[0].Dims[0] < 0;

    /// <inheritdoc />
    public void Dispose()
    {
        // Streams wrap buffers bound to this session: dispose them first (reverse order of creation).
        for (var i = streams.Count - 1; i >= 0; i--)
        {
            streams[i].Dispose();
        }

        session.Dispose();
    }

    private void CheckBatch(FamilyHead head)
    {
        if (BatchSize == 1)
        {
            return;
        }

        if (head.Family == ModelFamily.TfOdApi)
        {
            throw new RfcnPerfException($"{ModelName}: tf-od-api models take one image of its own size per run; use --batch 1");
        }

        if (!HasDynamicBatch)
        {
            throw new RfcnPerfException(
                $"{ModelName} has a fixed batch dimension of {Signature.Inputs[0].Dims[0]} (input {Signature.Inputs[0]}); " +
                $"batch {BatchSize} needs a dynamic batch dimension");
        }
    }

    /// <summary>The input and output tensors of an open session (names, element types, shapes), which decide the family.</summary>
    public static ModelSignature ReadSignature(InferenceSession session)
    {
        static TensorSignature Map(string name, NodeMetadata meta) =>
            new(name, ElementName(meta), meta.Dimensions.Select(d => (long)d).ToArray());

        return new ModelSignature(
            session.InputMetadata.Select(kv => Map(kv.Key, kv.Value)).ToArray(),
            session.OutputMetadata.Select(kv => Map(kv.Key, kv.Value)).ToArray())
        {
            Metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal),
        };
    }

    private static string ElementName(NodeMetadata meta) => !meta.IsTensor
        ? meta.OnnxValueType.ToString()
        : meta.ElementDataType switch
        {
            TensorElementType.Float => "float",
            TensorElementType.UInt8 => "uint8",
            TensorElementType.Int8 => "int8",
            TensorElementType.Int32 => "int32",
            TensorElementType.Int64 => "int64",
            TensorElementType.Float16 => "float16",
            TensorElementType.Double => "double",
            var other => other.ToString().ToLowerInvariant(),
        };
}
