using System.Security.Cryptography;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Opens the batch dimension of batch-1 models (docs/MODELS.md section 4) so the detection pipeline can run
/// batch N. Refuses, with the node and the reason, when a graph cannot be opened safely (a Reshape whose
/// leading 1 is computed, an op that reduces, concatenates, splits or reshapes across the batch).
/// </summary>
public static class OnnxBatchify
{
    /// <summary>The dim_param given to the opened batch dimension.</summary>
    public const string BatchDimName = BatchRewriter.BatchDimName;

    /// <summary>Bumped whenever the rewrite changes, so cached copies made by an older rewrite are not reused.</summary>
    internal const int RewriteVersion = 1;

    /// <summary>Rewrites <paramref name="inputPath"/> into <paramref name="outputPath"/> with a symbolic batch dimension.</summary>
    /// <exception cref="OnnxModelException">The model is malformed or cannot be opened safely; the message says why.</exception>
    public static BatchifyReport Batchify(string inputPath, string outputPath)
    {
        var model = OnnxModelFile.Load(inputPath);
        var (rewritten, report) = BatchRewriter.Rewrite(model, inputPath);
        if (!report.AlreadyDynamic)
        {
            Stamp(rewritten, null);
        }

        OnnxModelFile.Save(rewritten, outputPath);
        return report;
    }

    /// <summary>True when every real input of the model has a symbolic first dimension.</summary>
    public static bool HasDynamicBatch(string modelPath)
    {
        var inputs = GraphShapeInference.RealInputs(OnnxModelFile.Load(modelPath).Graph);
        return inputs.Count > 0 && inputs.All(i => i.Type?.TensorType?.Shape is { Dim.Count: > 0 } s && !s.Dim[0].HasDimValue);
    }

    /// <summary>
    /// Returns a model file with a dynamic batch dimension: <paramref name="modelPath"/> itself when its batch is
    /// already dynamic, else a batchified copy named after the original's sha256 and the rewrite version,
    /// created once and reused afterwards. The copy goes next to the original, or into
    /// <paramref name="cacheDir"/> when the original's folder is read-only (as the offline mirror is).
    /// </summary>
    /// <exception cref="OnnxModelException">The model is malformed or cannot be opened safely.</exception>
    public static string EnsureDynamicBatch(string modelPath, string cacheDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentException.ThrowIfNullOrEmpty(cacheDir);
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
        {
            throw new OnnxModelException($"{modelPath}: model file not found.");
        }

        var bytes = File.ReadAllBytes(full);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var fileName = $"{Path.GetFileNameWithoutExtension(full)}.dynbatch-v{RewriteVersion}-{sha[..16]}.onnx";
        var besideOriginal = Path.Combine(Path.GetDirectoryName(full)!, fileName);
        var inCache = Path.Combine(Path.GetFullPath(cacheDir), fileName);
        foreach (var candidate in new[] { besideOriginal, inCache })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var model = OnnxModelFile.Parse(bytes, modelPath);
        var (rewritten, report) = BatchRewriter.Rewrite(model, modelPath);
        if (report.AlreadyDynamic)
        {
            return full;
        }

        Stamp(rewritten, sha);
        if (IsWritableDirectory(Path.GetDirectoryName(full)!))
        {
            try
            {
                OnnxModelFile.Save(rewritten, besideOriginal);
                return besideOriginal;
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Fall through to the cache directory.
            }
        }

        OnnxModelFile.Save(rewritten, inCache);
        return inCache;
    }

    /// <summary>Records provenance in the model's metadata, so `model info` on a copy says where it came from.</summary>
    private static void Stamp(ModelProto model, string? sourceSha256)
    {
        var value = $"dynamic batch '{BatchDimName}', rewrite v{RewriteVersion}" + (sourceSha256 is null ? "" : $", from sha256 {sourceSha256}");
        var existing = model.MetadataProps.FirstOrDefault(p => p.Key == "rfcnperf.batchify");
        if (existing is not null)
        {
            existing.Value = value;
        }
        else
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "rfcnperf.batchify", Value = value });
        }
    }

    /// <summary>
    /// A folder whose permission bits grant no write access counts as read-only even for root (who could write
    /// anyway): the offline mirror is marked read-only that way and must never receive derived files.
    /// </summary>
    private static bool IsWritableDirectory(string dir)
    {
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            if ((File.GetUnixFileMode(dir) & anyWrite) == 0)
            {
                return false;
            }
        }
        else if (new DirectoryInfo(dir).Attributes.HasFlag(FileAttributes.ReadOnly))
        {
            return false;
        }

        return true;
    }
}
