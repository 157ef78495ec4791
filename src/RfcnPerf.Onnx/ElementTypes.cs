namespace RfcnPerf.Onnx;

/// <summary>Names and sizes of ONNX element types, including the newer 8- and 4-bit ones the enum omits.</summary>
internal static class ElementTypes
{
    /// <summary>Short, numpy-like name ("float32", "uint8"); unknown codes print as "type#N".</summary>
    public static string Name(int type) => type switch
    {
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        14 => "complex64",
        15 => "complex128",
        16 => "bfloat16",
        17 => "float8e4m3fn",
        18 => "float8e4m3fnuz",
        19 => "float8e5m2",
        20 => "float8e5m2fnuz",
        21 => "uint4",
        22 => "int4",
        23 => "float4e2m1",
        _ => $"type#{type}",
    };

    /// <summary>Storage bits per element (strings: 0, their size is not fixed).</summary>
    public static int Bits(int type) => type switch
    {
        2 or 3 or 9 or 17 or 18 or 19 or 20 => 8,
        4 or 5 or 10 or 16 => 16,
        1 or 6 or 12 => 32,
        7 or 11 or 13 or 14 => 64,
        15 => 128,
        21 or 22 or 23 => 4,
        _ => 0,
    };

    public static bool IsInteger(int type) => type is 2 or 3 or 4 or 5 or 6 or 7 or 9 or 12 or 13;

    public static bool IsFloat(int type) => type is 1 or 10 or 11 or 16;
}
