namespace RfcnPerf.Coco.Analysis;

/// <summary>One of TIDE's main error types: how often it occurs and the AP it costs.</summary>
/// <param name="Type">The error type.</param>
/// <param name="ShortName">TIDE's short name (Cls, Loc, Both, Dupe, Bkg, Miss).</param>
/// <param name="DeltaAp">AP50 gained by fixing only the errors of this type (TIDE's oracle; 0 to 100 scale,
/// never negative: TIDE clips it at 0).</param>
/// <param name="Count">Number of errors of this type.</param>
public sealed record TideErrorRow(TideErrorType Type, string ShortName, double DeltaAp, int Count);
