namespace RfcnPerf.Core.Models;

/// <summary>
/// The float outputs of one <c>Run</c>, batch-major. For fixed-shape models the arrays are the very buffers
/// ONNX Runtime wrote into (no copy); for dynamic shapes they are reused copies. Tests build them by hand.
/// </summary>
public sealed class ModelOutputs
{
    private readonly string[] names;
    private readonly float[][] data;
    private readonly long[][] shapes;

    /// <summary>Wraps output buffers; <paramref name="shapes"/>[i][0] is the batch dimension.</summary>
    public ModelOutputs(string[] names, float[][] data, long[][] shapes)
    {
        if (names.Length != data.Length || names.Length != shapes.Length)
        {
            throw new ArgumentException($"names has {names.Length} entries, data {data.Length}, shapes {shapes.Length}");
        }

        this.names = names;
        this.data = data;
        this.shapes = shapes;
    }

    /// <summary>Number of outputs.</summary>
    public int Count => names.Length;

    /// <summary>Output name.</summary>
    public string Name(int output) => names[output];

    /// <summary>Output shape (batch first).</summary>
    public ReadOnlySpan<long> Shape(int output) => shapes[output];

    /// <summary>Index of the output whose name equals <paramref name="baseName"/> with or without a <c>:0</c> suffix, or -1.</summary>
    public int IndexOf(string baseName)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] == baseName || names[i] == baseName + ":0")
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The slice of an output that belongs to one image of the batch.</summary>
    public ReadOnlySpan<float> ForImage(int output, int batchIndex)
    {
        var per = PerImage(output);
        return data[output].AsSpan(checked(batchIndex * per), per);
    }

    internal float[] Buffer(int output) => data[output];

    internal void Replace(int output, float[] buffer, long[] shape)
    {
        data[output] = buffer;
        shapes[output] = shape;
    }

    private int PerImage(int output)
    {
        var shape = shapes[output];
        long per = 1;
        for (var i = 1; i < shape.Length; i++)
        {
            per *= shape[i];
        }

        return checked((int)per);
    }
}
