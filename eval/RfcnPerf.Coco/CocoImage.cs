namespace RfcnPerf.Coco;

/// <summary>One entry of the ground truth's <c>images</c> list.</summary>
/// <param name="Id">The image id that annotations and results refer to.</param>
/// <param name="FileName">The <c>file_name</c> field, or null when the file does not give it.</param>
/// <param name="Width">The <c>width</c> field in pixels, or null when absent.</param>
/// <param name="Height">The <c>height</c> field in pixels, or null when absent.</param>
public sealed record CocoImage(long Id, string? FileName, int? Width, int? Height);
