using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests.Slurm;

/// <summary>
/// A one-node Slurm started by the repository's own <c>deploy/slurm/slurm-up.sh</c> in a private state folder and
/// stopped by <c>slurm-down.sh</c>; runs the Slurm client tools against it. Nothing is simulated: sbatch, squeue
/// and scontrol talk to the real slurmctld, and slurmd runs the jobs.
/// </summary>
internal sealed class SlurmCluster : IDisposable
{
    private readonly string stateDir;

    private SlurmCluster(string stateDir)
    {
        this.stateDir = stateDir;
        Conf = Path.Combine(stateDir, "slurm.conf");
    }

    /// <summary>The cluster's slurm.conf (SLURM_CONF of every client call).</summary>
    public string Conf { get; }

    /// <summary>The node's name (this machine's short host name).</summary>
    public string Node { get; } = Environment.MachineName;

    public static SlurmCluster Start(string stateDir, Action<string> log)
    {
        var cluster = new SlurmCluster(stateDir);
        var (code, output) = Script("slurm-up.sh", stateDir);
        log(output.TrimEnd());
        if (code != 0)
        {
            throw new InvalidOperationException($"deploy/slurm/slurm-up.sh failed with exit code {code}:\n{output}");
        }

        return cluster;
    }

    /// <summary>Runs a Slurm client tool; throws with its output when it fails.</summary>
    public string Run(string tool, params string[] args)
    {
        var (code, stdout, stderr) = Exec(tool, args, new Dictionary<string, string> { ["SLURM_CONF"] = Conf });
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed with exit code {code}: {stderr}{stdout}");
        }

        return stdout;
    }

    /// <summary>sbatch --parsable with the given environment added to the test's own (sbatch exports it to the job).</summary>
    public string Submit(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment) { ["SLURM_CONF"] = Conf };
        var (code, stdout, stderr) = Exec("sbatch", ["--parsable", .. args], env);
        if (code != 0)
        {
            throw new InvalidOperationException($"sbatch {string.Join(' ', args)} failed with exit code {code}: {stderr}{stdout}");
        }

        return stdout.Trim().Split(';')[0];
    }

    /// <summary>The fields of <c>scontrol show job -o ID</c>, one dictionary per job (an array id gives one per task).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ShowJob(string id) =>
        [.. Run("scontrol", "show", "job", "-o", id).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseFields)];

    /// <summary>Process ids of a job on this node (<c>scontrol listpids JOBID NODE</c>: Slurm 22.05 does not infer the
    /// node name of a configuration without NodeHostname, so it is given).</summary>
    public IReadOnlyList<int> ListPids(string jobId) =>
        [.. Run("scontrol", "listpids", jobId, Node).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .Select(int.Parse)];

    /// <summary>Lines of squeue for these jobs: <c>JOBID STATE REASON</c>.</summary>
    public IReadOnlyList<string> Queue(string ids) =>
        [.. Run("squeue", "-h", "-r", "-o", "%i %T %r", "-j", ids).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public void Dispose() => Script("slurm-down.sh", stateDir);

    private static IReadOnlyDictionary<string, string> ParseFields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields.TryAdd(token[..eq], token[(eq + 1)..]);
            }
        }

        return fields;
    }

    private static (int Code, string Output) Script(string name, string stateDir)
    {
        var (code, stdout, stderr) = Exec("bash", [Path.Combine(TestPaths.RepoRoot, "deploy", "slurm", name)],
            new Dictionary<string, string> { ["RFCNPERF_SLURM_DIR"] = stateDir });
        return (code, stdout + stderr);
    }

    private static (int Code, string Out, string Err) Exec(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        ProcessRunner.Run(file, args, environment, timeout: TimeSpan.FromMinutes(2));
}
