namespace RfcnPerf.Coco;

/// <summary>Row order of the per-category table: metrics descending, id and name ascending (ties by id).</summary>
public enum CocoCategorySort
{
    /// <summary>By category id, ascending.</summary>
    Id,

    /// <summary>By name, ascending (ordinal).</summary>
    Name,

    /// <summary>By AP @[.50:.95], descending.</summary>
    AP,

    /// <summary>By AP50, descending.</summary>
    AP50,

    /// <summary>By AP75, descending.</summary>
    AP75,

    /// <summary>By AP small, descending.</summary>
    APs,

    /// <summary>By AP medium, descending.</summary>
    APm,

    /// <summary>By AP large, descending.</summary>
    APl,

    /// <summary>By AR at the largest maxDets, descending.</summary>
    AR100,
}
