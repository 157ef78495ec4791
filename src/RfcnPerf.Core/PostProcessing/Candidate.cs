namespace RfcnPerf.Core.PostProcessing;

/// <summary>A scored box in model-input pixels (corner form) before NMS; ClassIndex is the model's index.</summary>
internal struct Candidate
{
    public float X1;
    public float Y1;
    public float X2;
    public float Y2;
    public float Score;
    public int ClassIndex;

    public Candidate(float x1, float y1, float x2, float y2, float score, int classIndex)
    {
        X1 = x1;
        Y1 = y1;
        X2 = x2;
        Y2 = y2;
        Score = score;
        ClassIndex = classIndex;
    }

    public readonly float Area => MathF.Max(0, X2 - X1) * MathF.Max(0, Y2 - Y1);
}
