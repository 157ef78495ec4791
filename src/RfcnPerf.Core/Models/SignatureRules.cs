namespace RfcnPerf.Core.Models;

/// <summary>Shape tests shared by the family matchers.</summary>
internal static class SignatureRules
{
    /// <summary>A float [N,3,H,W] input with fixed H and W.</summary>
    public static bool IsImageNchwFloat(TensorSignature input, out int width, out int height)
    {
        width = height = 0;
        if (input.ElementType != "float" || input.Rank != 4 || input.Dims[1] != 3 || input.Dims[2] <= 0 || input.Dims[3] <= 0)
        {
            return false;
        }

        height = (int)input.Dims[2];
        width = (int)input.Dims[3];
        return true;
    }
}
