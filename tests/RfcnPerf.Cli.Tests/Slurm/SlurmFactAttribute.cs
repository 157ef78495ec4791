namespace RfcnPerf.Cli.Tests.Slurm;

/// <summary>
/// A test that needs a real Slurm (Debian's slurmctld, slurmd, slurm-client and munge, run as root): it runs when
/// <c>RFCNPERF_SLURM=1</c> and is reported as skipped otherwise. When opted in, a missing Slurm fails the test
/// (it is not skipped), so an opted-in run cannot pass without the engine.
/// </summary>
internal sealed class SlurmFactAttribute : FactAttribute
{
    /// <summary>The opt-in variable.</summary>
    public const string OptIn = "RFCNPERF_SLURM";

    public SlurmFactAttribute()
    {
        if (!Enabled)
        {
            Skip = $"needs a real Slurm: set {OptIn}=1 (deploy/slurm/slurm-up.sh starts one; docs/SCALING.md)";
        }
    }

    public static bool Enabled => Environment.GetEnvironmentVariable(OptIn) == "1";
}
