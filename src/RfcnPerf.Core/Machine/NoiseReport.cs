using System.Globalization;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// How noisy the machine was while a measurement ran: CPU stolen by the hypervisor and CPU used by other
/// processes (both as a share of all the machine's CPUs; our own threads are not counted), the load averages
/// before and after, and this process's involuntary context switches.
/// </summary>
/// <param name="Seconds">Wall time covered.</param>
/// <param name="StealShare">Stolen CPU time / all CPU time (/proc/stat's steal); NaN when unknown.</param>
/// <param name="OthersShare">CPU time busy outside this process / all CPU time; NaN when unknown.</param>
/// <param name="Cpus">Logical CPUs the shares are of.</param>
/// <param name="LoadBefore">Load averages at the start.</param>
/// <param name="LoadAfter">Load averages at the end.</param>
/// <param name="InvoluntarySwitches">This process's involuntary context switches (all threads); -1 when unknown.</param>
public sealed record NoiseReport(double Seconds, double StealShare, double OthersShare, int Cpus, LoadSnapshot? LoadBefore, LoadSnapshot? LoadAfter, long InvoluntarySwitches)
{
    /// <summary>Above this share of stolen CPU a measurement is flagged: the hypervisor took a core's worth now and then.</summary>
    public const double StealFlag = 0.05;

    /// <summary>Above this share of the cores busy with other processes a measurement is flagged.</summary>
    public const double OthersFlag = 0.10;

    /// <summary>Whether steal or other processes passed their flag.</summary>
    public bool Flagged => StealShare > StealFlag || OthersShare > OthersFlag;

    /// <summary>What passed a flag, with the figure ("steal 7.2% of the CPUs; other processes 35% of the CPUs"), or null.</summary>
    public string? FlagText()
    {
        var parts = new List<string>();
        if (StealShare > StealFlag)
        {
            parts.Add($"steal {Share(StealShare)} of the CPUs (flag above {Share(StealFlag)})");
        }

        if (OthersShare > OthersFlag)
        {
            parts.Add($"other processes used {Share(OthersShare)} of the CPUs (flag above {Share(OthersFlag)})");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>One line: steal, others, load, switches.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"steal {Share(StealShare)}, other processes {Share(OthersShare)} of {Cpus} CPUs, load {LoadBefore?.ToString() ?? "n/a"} -> {LoadAfter?.ToString() ?? "n/a"}, {(InvoluntarySwitches >= 0 ? InvoluntarySwitches.ToString(CultureInfo.InvariantCulture) : "n/a")} involuntary context switches over {Seconds:F1} s");

    // The reports' percent convention: one decimal, no space ("7.2%").
    private static string Share(double share) => double.IsNaN(share) ? "n/a" : (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
