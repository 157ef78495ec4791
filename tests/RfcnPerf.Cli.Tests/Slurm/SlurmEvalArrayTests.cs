using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Coco;
using RfcnPerf.Core.Assets;
using RfcnPerf.Accuracy;
using RfcnPerf.Testing;
using Xunit.Abstractions;

namespace RfcnPerf.Cli.Tests.Slurm;

/// <summary>
/// The Slurm recipe of docs/SCALING.md on a real one-node Slurm: <c>deploy/slurm/eval-shard.sbatch</c> as a 4-task array
/// (4 shards of <c>eval run</c>), one shard's process killed midway (SIGKILL), requeued by Slurm and resumed from its
/// checkpoint, <c>deploy/slurm/eval-merge.sbatch</c> run by Slurm after the array (afterok), and the merged stats
/// compared bit for bit with an unsharded run of the same images submitted as a job too. Opt-in: RFCNPERF_SLURM=1.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SlurmEvalArrayTests(ITestOutputHelper output) : IDisposable
{
    private const int Shards = 4;
    private const string Model = "yolov8n";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(12);

    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-slurm-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in /tmp is harmless.
        }
    }

    [SlurmFact]
    public void ArrayOfShards_KilledShardRequeuedAndResumed_MergeEqualsOneRunBitForBit()
    {
        var wall = Stopwatch.StartNew();
        var gtImages = CocoGroundTruth.Load(TestPaths.CocoAnnotations).Images.Count;
        var perShard = Math.Min(20, gtImages / Shards);
        Assert.True(perShard >= 3, $"the COCO sample has {gtImages} images; the test needs at least {3 * Shards}");

        // Resolve the model once (cache, mirror or npm) so the jobs find it in the cache instead of fetching it 5 times.
        AssetStore.FromEnvironment().Resolve(ModelCatalog.Find(Model)!);

        using var cluster = SlurmCluster.Start(Path.Combine(dir, "slurm"), Log);
        var cli = $"dotnet {Path.Combine(AppContext.BaseDirectory, "rfcnperf.dll")}";
        var env = new Dictionary<string, string>
        {
            ["RFCNPERF_CLI"] = cli,
        };
        if (TestPaths.ModelMirror is { } mirror)
        {
            env["RFCNPERF_ASSET_MIRROR"] = mirror;
        }

        var shardScript = Path.Combine(TestPaths.RepoRoot, "deploy", "slurm", "eval-shard.sbatch");
        var mergeScript = Path.Combine(TestPaths.RepoRoot, "deploy", "slurm", "eval-merge.sbatch");
        var outDir = Path.Combine(dir, "shards");
        var singleDir = Path.Combine(dir, "single");
        var limit = perShard.ToString(CultureInfo.InvariantCulture);
        var total = (perShard * Shards).ToString(CultureInfo.InvariantCulture);

        // docs/SCALING.md's array job, the merge after it, and the unsharded reference run (same images: shard i with
        // --limit L takes images i, i+4, ..., so the 4 shards cover the first 4L images, as --limit 4L does).
        var array = cluster.Submit(env, $"--array=0-{Shards - 1}", "--output", Path.Combine(dir, "shard-%a.out"),
            shardScript, Shards.ToString(CultureInfo.InvariantCulture), outDir, "--model", Model, "--coco", TestPaths.CocoDir, "--limit", limit);
        var merge = cluster.Submit(env, $"--dependency=afterok:{array}", "--output", Path.Combine(dir, "merge.out"),
            mergeScript, Shards.ToString(CultureInfo.InvariantCulture), outDir, Model, TestPaths.CocoAnnotations);
        var single = cluster.Submit(env, "--job-name=rfcnperf-single", "--cpus-per-task=1", "--output", Path.Combine(dir, "single.out"),
            "--wrap", $"{cli} eval run --model {Model} --coco {TestPaths.CocoDir} --limit {total} --intra 1 --visualize 0 --out-dir {singleDir}");
        Log($"submitted: array {array} (shards 0-{Shards - 1}, --limit {limit} each), merge {merge} (afterok:{array}), single run {single} (--limit {total})");

        // Kill shard 1's rfcnperf process (SIGKILL, no clean-up) once its checkpoint holds 2 images.
        var jobs = $"{array},{merge},{single}";
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkpoint = Path.Combine(outDir, "shard-1", Model, Model + ".checkpoint.jsonl");
        var killedAt = -1;
        while (killedAt < 0)
        {
            Poll(cluster, jobs, states, wall);
            var done = CheckpointImages(checkpoint);
            if (done >= 2)
            {
                var task = cluster.ShowJob($"{array}_1").Single()["JobId"];
                var victim = cluster.ListPids(task).FirstOrDefault(pid => CommandLine(pid).Contains("rfcnperf.dll", StringComparison.Ordinal));
                Assert.True(victim > 0, $"no rfcnperf process in job {task} (scontrol listpids)");
                using (var process = Process.GetProcessById(victim))
                {
                    process.Kill();
                }

                killedAt = CheckpointImages(checkpoint);
                Log($"{wall.Elapsed.TotalSeconds,6:F1} s  killed pid {victim} (shard 1/{Shards}, job {task}) with SIGKILL; its checkpoint held {killedAt} of {perShard} images");
            }

            Assert.False(File.Exists(Path.Combine(outDir, "shard-1", Model, "run.json")), "shard 1 finished before it could be killed");
            Assert.True(wall.Elapsed < Deadline, $"shard 1 did not start within {Deadline}");
            Thread.Sleep(20);
        }

        while (cluster.Queue(jobs).Count > 0)
        {
            Assert.True(wall.Elapsed < Deadline, $"jobs still queued after {Deadline}: {string.Join("; ", cluster.Queue(jobs))}");
            Poll(cluster, jobs, states, wall);
            Thread.Sleep(250);
        }

        Log($"{wall.Elapsed.TotalSeconds,6:F1} s  queue empty");
        Log("job            name              state       restarts  exit  run time");
        var final = new[] { array, merge, single }.SelectMany(cluster.ShowJob).ToArray();
        foreach (var job in final)
        {
            var id = job.TryGetValue("ArrayTaskId", out var t) ? $"{job["ArrayJobId"]}_{t}" : job["JobId"];
            Log($"{id,-14} {job["JobName"],-17} {job["JobState"],-11} {job["Restarts"],8}  {job["ExitCode"],4}  {job["RunTime"]}");
        }

        Assert.All(final, j => Assert.True(j["JobState"] == "COMPLETED", $"job {j["JobId"]} ({j["JobName"]}) ended {j["JobState"]}: {Tail(dir)}"));
        var tasks = final.Where(j => j.ContainsKey("ArrayTaskId")).ToDictionary(j => j["ArrayTaskId"], j => int.Parse(j["Restarts"], CultureInfo.InvariantCulture));
        Assert.Equal(Shards, tasks.Count);
        Assert.Equal(1, tasks["1"]);
        Assert.All(tasks.Where(t => t.Key != "1"), t => Assert.Equal(0, t.Value));

        // The requeued shard resumed from its checkpoint instead of starting over.
        var resumed = ReportJson.TryReadRun(Path.Combine(outDir, "shard-1", Model, "run.json"))!;
        Log($"shard 1 after requeue: {resumed.ResumedImages} of {resumed.ImagesProcessed} images restored from the checkpoint");
        Assert.InRange(resumed.ResumedImages, killedAt, perShard - 1);
        Assert.Contains("resuming an interrupted pass", File.ReadAllText(Path.Combine(dir, "shard-1.out")), StringComparison.Ordinal);

        // Merged (by the Slurm merge job) = the unsharded run, bit for bit.
        var one = ReportJson.TryReadRun(Path.Combine(singleDir, Model, "run.json"))!;
        using var merged = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, $"merged-{Model}.json")));
        var mergedStats = merged.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Log("stat      single run           merged shards        bits equal");
        for (var i = 0; i < mergedStats.Length; i++)
        {
            Log(string.Create(CultureInfo.InvariantCulture,
                $"{one.StatNames[i],-8}  {one.Stats[i],-19:R}  {mergedStats[i],-19:R}  {BitConverter.DoubleToInt64Bits(one.Stats[i]) == BitConverter.DoubleToInt64Bits(mergedStats[i])}"));
        }

        Assert.Equal(one.Stats.Select(BitConverter.DoubleToInt64Bits), mergedStats.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(one.Detections, merged.RootElement.GetProperty("detections").GetInt32());
        Assert.Equal(perShard * Shards, merged.RootElement.GetProperty("params").GetProperty("imgIdsCount").GetInt32());
        Assert.Contains($"note: {Shards} of {Shards} shards of {Model}, {perShard * Shards} images (scored on these images only", File.ReadAllText(Path.Combine(dir, "merge.out")), StringComparison.Ordinal);

        // A merge over an incomplete set refuses and names the missing shard.
        string Results(int i) => Path.Combine(outDir, $"shard-{i}", Model, Model + ".results.json");
        var (exit, _, stderr) = CliRunner.Run("eval", "score", "--annotations", TestPaths.CocoAnnotations,
            "--results", Results(0), "--results", Results(1), "--results", Results(3));
        Log($"merge of shards 0, 1, 3: exit {exit}: {stderr.Trim()}");
        Assert.Equal(CliErrors.UserError, exit);
        Assert.Contains($"shard 2/{Shards} missing", stderr, StringComparison.Ordinal);
        Log($"wall time {wall.Elapsed.TotalSeconds:F1} s");
    }

    private void Log(string line) => output.WriteLine(line);

    /// <summary>Logs every state change of the jobs (squeue lists pending and running tasks; a vanished one is done).</summary>
    private void Poll(SlurmCluster cluster, string jobs, Dictionary<string, string> states, Stopwatch wall)
    {
        var now = cluster.Queue(jobs).Select(l => l.Split(' ', 3)).ToDictionary(p => p[0], p => p.Length > 2 && p[1] == "PENDING" ? $"{p[1]} ({p[2]})" : p[1]);
        foreach (var (id, state) in now)
        {
            if (!states.TryGetValue(id, out var before) || before != state)
            {
                Log($"{wall.Elapsed.TotalSeconds,6:F1} s  {id,-8} {state}");
                states[id] = state;
            }
        }

        foreach (var id in states.Keys.Where(k => !now.ContainsKey(k) && states[k] != "left the queue").ToArray())
        {
            Log($"{wall.Elapsed.TotalSeconds,6:F1} s  {id,-8} left the queue");
            states[id] = "left the queue";
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty; // the process ended meanwhile
        }
    }

    private static string Tail(string dir) => string.Join("\n", Directory.EnumerateFiles(dir, "*.out").Order(StringComparer.Ordinal)
        .Select(f => $"--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadAllLines(f).TakeLast(8))}"));

    // Finished image lines after the header (batch 1); a torn last line is not counted.
    private static int CheckpointImages(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var text = new StreamReader(stream).ReadToEnd();
            return Math.Max(0, text.Count(c => c == '\n') - 1);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
