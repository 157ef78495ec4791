using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Inference;

/// <summary>
/// One request in flight on a <see cref="DetectorSession"/>: a pinned input buffer the pre-processor writes
/// into, output tensors ORT writes into (pre-allocated when the output shapes are static), and the family
/// head that decodes them. Not thread-safe; use one stream per concurrent caller.
/// </summary>
public sealed class DetectorStream : IDisposable
{
    private readonly DetectorSession owner;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly OrtValue[] inputValues = new OrtValue[1];
    private readonly OrtValue[]? outputValues;
    private readonly float[]? floatInput;
    private readonly ModelOutputs outputs;
    private readonly Dictionary<int, PartialBatch> partials = [];
    private byte[] byteInput = [];
    private long[] byteShape = [1, 0, 0, 3];

    internal DetectorStream(DetectorSession owner, FamilyHead head)
    {
        this.owner = owner;
        Head = head;
        var signature = owner.Signature;
        var batch = owner.BatchSize;
        inputNames = [signature.Inputs[0].Name];
        outputNames = signature.Outputs.Select(o => o.Name).ToArray();

        foreach (var o in signature.Outputs)
        {
            if (o.ElementType != "float")
            {
                throw new RfcnPerfException($"{owner.ModelName}: output {o} is not float; supported families output float tensors");
            }
        }

        if (head.Preprocess.Layout == TensorLayout.NchwFloat)
        {
            floatInput = new float[checked(batch * head.Preprocess.ElementsPerImage)];
            inputValues[0] = OrtValue.CreateTensorValueFromMemory(floatInput,
                [batch, 3, head.Preprocess.InputHeight, head.Preprocess.InputWidth]);
        }

        var shapes = signature.Outputs.Select(o => WithBatch(o.Dims, batch)).ToArray();
        var buffers = shapes.Select(s => s.All(d => d > 0) ? new float[checked((int)s.Aggregate(1L, (a, d) => a * d))] : []).ToArray();
        if (shapes.All(s => s.All(d => d > 0)))
        {
            outputValues = new OrtValue[buffers.Length];
            for (var i = 0; i < buffers.Length; i++)
            {
                outputValues[i] = OrtValue.CreateTensorValueFromMemory(buffers[i], shapes[i]);
            }
        }

        outputs = new ModelOutputs(outputNames, buffers, shapes);
    }

    /// <summary>The family head (pre-processing spec and decoder) of this stream.</summary>
    public FamilyHead Head { get; }

    /// <summary>Images per run.</summary>
    public int BatchSize => owner.BatchSize;

    /// <summary>The session this stream runs on.</summary>
    public DetectorSession Session => owner;

    /// <summary>The input slot of image <paramref name="batchIndex"/> (NCHW float families).</summary>
    public Span<float> InputSlot(int batchIndex)
    {
        if (floatInput is null)
        {
            throw new InvalidOperationException($"{owner.ModelName} takes uint8 NHWC images; use {nameof(PrepareImageInput)}");
        }

        var per = Head.Preprocess.ElementsPerImage;
        return floatInput.AsSpan(batchIndex * per, per);
    }

    /// <summary>Sizes the uint8 NHWC input for one image and returns the bytes to fill (tf-od-api).</summary>
    public Span<byte> PrepareImageInput(int width, int height)
    {
        var needed = checked(width * height * 3);
        if (byteInput.Length < needed)
        {
            byteInput = new byte[needed];
        }

        byteShape = [1, height, width, 3];
        return byteInput.AsSpan(0, needed);
    }

    /// <summary>The outputs of the last run, or null before the first.</summary>
    public ModelOutputs? LastOutputs { get; private set; }

    /// <summary>Runs the model on the current input; the returned outputs stay valid until the next run.</summary>
    public ModelOutputs Run()
    {
        var first = owner.FirstRunTime is null;
        var stopwatch = first ? Stopwatch.StartNew() : null;
        OrtValue? transientInput = null;
        try
        {
            if (floatInput is null)
            {
                var needed = (int)(byteShape[1] * byteShape[2] * 3);
                transientInput = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<byte>(byteInput, 0, needed), byteShape);
                inputValues[0] = transientInput;
            }

            if (outputValues is not null)
            {
                owner.Inner.Run(runOptions, inputNames, inputValues, outputNames, outputValues);
            }
            else
            {
                RunAndCopy();
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtErrors.ToUserError(ex, $"{owner.ModelName}: inference failed");
        }
        finally
        {
            transientInput?.Dispose();
        }

        if (stopwatch is not null)
        {
            owner.FirstRunTime = stopwatch.Elapsed;
        }

        LastOutputs = outputs;
        return outputs;
    }

    /// <summary>
    /// Runs the model on the first <paramref name="count"/> images of the input only. A dynamic-batch model
    /// gets tensors of batch <paramref name="count"/> over the same pinned buffers (created once per count), so
    /// a partial batch costs what its images cost; a fixed-batch model runs the whole batch (<see cref="Run()"/>).
    /// Outputs for images 0..count-1 sit where a full run puts them.
    /// </summary>
    public ModelOutputs RunFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, BatchSize);
        if (count == BatchSize || floatInput is null || !owner.HasDynamicBatch)
        {
            return Run();
        }

        if (!partials.TryGetValue(count, out var partial))
        {
            partial = new PartialBatch(this, count);
            partials.Add(count, partial);
        }

        try
        {
            if (partial.Outputs is not null)
            {
                owner.Inner.Run(runOptions, inputNames, [partial.Input], outputNames, partial.Outputs);
            }
            else
            {
                var saved = inputValues[0];
                inputValues[0] = partial.Input;
                try
                {
                    RunAndCopy();
                }
                finally
                {
                    inputValues[0] = saved;
                }
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtErrors.ToUserError(ex, $"{owner.ModelName}: inference failed");
        }

        LastOutputs = partial.Outputs is not null ? partial.View : outputs;
        return LastOutputs;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var partial in partials.Values)
        {
            partial.Dispose();
        }

        if (outputValues is not null)
        {
            for (var i = outputValues.Length - 1; i >= 0; i--)
            {
                outputValues[i].Dispose();
            }
        }

        if (floatInput is not null)
        {
            inputValues[0]?.Dispose();
        }

        runOptions.Dispose();
    }

    private void RunAndCopy()
    {
        using var results = owner.Inner.Run(runOptions, inputNames, inputValues, outputNames);
        var i = 0;
        foreach (var value in results)
        {
            var data = value.GetTensorDataAsSpan<float>();
            var shape = value.GetTensorTypeAndShape().Shape;
            var buffer = outputs.Buffer(i);
            if (buffer.Length < data.Length)
            {
                buffer = new float[data.Length];
            }

            data.CopyTo(buffer);
            outputs.Replace(i, buffer, shape);
            i++;
        }
    }

    private static long[] WithBatch(long[] dims, int batch)
    {
        var copy = (long[])dims.Clone();
        if (copy.Length > 0)
        {
            copy[0] = batch;
        }

        return copy;
    }

    /// <summary>Tensors of a smaller batch over the stream's own buffers (dynamic-batch models).</summary>
    private sealed class PartialBatch : IDisposable
    {
        public PartialBatch(DetectorStream stream, int count)
        {
            var spec = stream.Head.Preprocess;
            Input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                new Memory<float>(stream.floatInput, 0, count * spec.ElementsPerImage), [count, 3, spec.InputHeight, spec.InputWidth]);
            if (stream.outputValues is null)
            {
                View = stream.outputs;
                return;
            }

            var names = stream.outputNames;
            var buffers = new float[names.Length][];
            var shapes = new long[names.Length][];
            Outputs = new OrtValue[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                buffers[i] = stream.outputs.Buffer(i);
                shapes[i] = WithBatch(stream.outputs.Shape(i).ToArray(), count);
                var length = checked((int)shapes[i].Aggregate(1L, (a, d) => a * d));
                Outputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(buffers[i], 0, length), shapes[i]);
            }

            View = new ModelOutputs(names, buffers, shapes);
        }

        public OrtValue Input { get; }

        public OrtValue[]? Outputs { get; }

        public ModelOutputs View { get; }

        public void Dispose()
        {
            if (Outputs is not null)
            {
                for (var i = Outputs.Length - 1; i >= 0; i--)
                {
                    Outputs[i].Dispose();
                }
            }

            Input.Dispose();
        }
    }
}
