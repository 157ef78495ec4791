using System.Buffers.Binary;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>Reads element counts, byte sizes and (small) values out of <see cref="TensorProto"/>s.</summary>
public static class TensorData
{
    public static bool IsExternal(TensorProto t) => t.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>The product of the dims, or -1 when a dim is negative or the product overflows (a malformed file).</summary>
    public static long ElementCount(TensorProto t)
    {
        long n = 1;
        foreach (var d in t.Dims)
        {
            if (d < 0 || (d > 0 && n > long.MaxValue / d))
            {
                return -1;
            }

            n *= d;
        }

        return n;
    }

    /// <summary>Bytes the values occupy in memory (not on the wire, where typed fields are varint-packed).</summary>
    public static long ByteSize(TensorProto t)
    {
        if (t.DataType == (int)OnnxElementType.String)
        {
            return t.StringData.Sum(s => (long)s.Length);
        }

        var count = ElementCount(t);
        return count < 0 ? 0 : (long)((((Int128)count * ElementTypes.Bits(t.DataType)) + 7) / 8);
    }

    /// <summary>Facts for a constant tensor, with its values when it is small enough to fold.</summary>
    public static TensorFacts Facts(TensorProto t)
    {
        var shape = t.Dims.ToArray();
        var count = ElementCount(t);
        if (count < 0)
        {
            return new TensorFacts(t.DataType, null); // malformed dims: nothing is known
        }

        if (count > TensorFacts.MaxFoldedElements || IsExternal(t))
        {
            return new TensorFacts(t.DataType, shape);
        }

        if (ElementTypes.IsInteger(t.DataType))
        {
            return new TensorFacts(t.DataType, shape, ReadInts(t, (int)count));
        }

        if (t.DataType is (int)OnnxElementType.Float or (int)OnnxElementType.Double)
        {
            return new TensorFacts(t.DataType, shape, null, ReadFloats(t, (int)count));
        }

        return new TensorFacts(t.DataType, shape);
    }

    /// <summary>Integer values, or null when the tensor's data does not hold <paramref name="count"/> of them.</summary>
    public static long[]? ReadInts(TensorProto t, int count)
    {
        var values = new long[count];
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            var size = ElementTypes.Bits(t.DataType) / 8;
            if (raw.Length != (long)size * count)
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                var s = raw.Slice(i * size, size);
                values[i] = (OnnxElementType)t.DataType switch
                {
                    OnnxElementType.UInt8 or OnnxElementType.Bool => s[0],
                    OnnxElementType.Int8 => (sbyte)s[0],
                    OnnxElementType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(s),
                    OnnxElementType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s),
                    OnnxElementType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(s),
                    OnnxElementType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(s),
                    OnnxElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(s),
                    OnnxElementType.UInt64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(s),
                    _ => 0,
                };
            }

            return values;
        }

        if (t.Int64Data.Count == count)
        {
            t.Int64Data.CopyTo(values, 0);
            return values;
        }

        if (t.Int32Data.Count == count)
        {
            for (var i = 0; i < count; i++)
            {
                values[i] = t.Int32Data[i];
            }

            return values;
        }

        if (t.Uint64Data.Count == count)
        {
            for (var i = 0; i < count; i++)
            {
                values[i] = (long)t.Uint64Data[i];
            }

            return values;
        }

        return count == 0 ? values : null;
    }

    public static double[]? ReadFloats(TensorProto t, int count)
    {
        var values = new double[count];
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            var size = t.DataType == (int)OnnxElementType.Double ? 8 : 4;
            if (raw.Length != (long)size * count)
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                values[i] = size == 8
                    ? BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * 8, 8))
                    : BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4));
            }

            return values;
        }

        if (t.FloatData.Count == count)
        {
            for (var i = 0; i < count; i++)
            {
                values[i] = t.FloatData[i];
            }

            return values;
        }

        if (t.DoubleData.Count == count)
        {
            t.DoubleData.CopyTo(values, 0);
            return values;
        }

        return count == 0 ? values : null;
    }
}
