namespace RfcnPerf.Coco.Analysis;

/// <summary>TIDE's six main error types, in TIDE's order (<c>TIDE._error_types</c>), which is also the order
/// in which a false positive is tested against them (background first only when the image has no ground truth).</summary>
public enum TideErrorType
{
    /// <summary>"Cls": would be a true positive with the right class (IoU &gt;= 0.5 with a ground truth of another class).</summary>
    Classification,

    /// <summary>"Loc": right class, 0.1 &lt;= IoU &lt;= 0.5 with a ground truth of that class.</summary>
    Localization,

    /// <summary>"Both": wrong class and 0.1 &lt; IoU &lt; 0.5 (TIDE's OtherError).</summary>
    Both,

    /// <summary>"Dupe": right class and IoU &gt;= 0.5, but the ground truth was taken by a higher-scoring detection.</summary>
    Duplicate,

    /// <summary>"Bkg": IoU &lt;= 0.1 with every ground truth (or an image without ground truth).</summary>
    Background,

    /// <summary>"Miss": a ground truth no detection matched or could be fixed into matching.</summary>
    Missed,
}
