namespace RfcnPerf.Coco.Analysis;

/// <summary>What became of a detection of one model in the other (see <see cref="DetectionAgreement"/>).</summary>
public enum AgreementOutcome : byte
{
    /// <summary>Scored below the agreement threshold: not compared.</summary>
    BelowThreshold,

    /// <summary>The other model has a box of the same class with IoU &gt;= 0.9.</summary>
    Kept,

    /// <summary>The other model has a box of the same class with 0.5 &lt;= IoU &lt; 0.9.</summary>
    Moved,

    /// <summary>The other model has a box of another class with IoU &gt;= 0.5 (and none of the same class).</summary>
    Relabelled,

    /// <summary>Only the baseline has it.</summary>
    Lost,

    /// <summary>Only the candidate has it.</summary>
    Gained,
}
