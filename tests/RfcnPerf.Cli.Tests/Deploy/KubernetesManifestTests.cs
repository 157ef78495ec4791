using System.CommandLine;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests.Deploy;

/// <summary>
/// deploy/k8s/*.yaml pass kubernetes-models' validation (schemas generated from Kubernetes' OpenAPI spec; npm
/// package, installed by <c>npm ci</c> from the committed lock file), a broken manifest fails it, and the rfcnperf
/// command in every container parses with the real command tree after the shell has expanded it for index 3.
/// </summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private static readonly string Validator = Path.Combine(TestPaths.RepoRoot, "deploy", "k8s", "validate");
    private static readonly Lazy<string> Installed = new(InstallValidator);
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-k8s-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Manifests() => [.. Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "deploy", "k8s"), "*.yaml").Select(f => new FileInfo(f).Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_IsValid_AndItsCommandsParse(string file)
    {
        var (code, stdout, stderr) = Validate(Path.Combine(TestPaths.RepoRoot, "deploy", "k8s", file));
        Assert.True(code == 0, $"{file}: {stderr}");

        var documents = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToArray();
        Assert.NotEmpty(documents);
        foreach (var doc in documents)
        {
            foreach (var container in doc.RootElement.GetProperty("containers").EnumerateArray())
            {
                var args = container.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
                Assert.Equal(["sh", "-c"], container.GetProperty("command").EnumerateArray().Select(a => a.GetString()));
                var argv = Expand(Assert.Single(args));
                var root = new RootCommand("rfcnperf (test)");
                foreach (var command in CommandRegistry.All())
                {
                    root.Subcommands.Add(command);
                }

                var parsed = root.Parse(argv);
                Assert.True(parsed.Errors.Count == 0, $"{file}: rfcnperf {string.Join(' ', argv)}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            }
        }
    }

    [Fact]
    public void BrokenManifest_IsRejected_WithTheField()
    {
        var broken = Path.Combine(dir, "broken.yaml");
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy", "k8s", "eval-shards-job.yaml"));
        Assert.Contains("completions: 8", text, StringComparison.Ordinal);
        File.WriteAllText(broken, text.Replace("completions: 8", "completions: eight", StringComparison.Ordinal));

        var (code, _, stderr) = Validate(broken);

        Assert.Equal(1, code);
        Assert.Contains("spec/completions must be integer", stderr, StringComparison.Ordinal);
    }

    /// <summary>The shell command of a container as argv of rfcnperf: sh expands it (index 3) with a stand-in that prints its arguments.</summary>
    private string[] Expand(string script)
    {
        var bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        var standIn = Path.Combine(bin, "rfcnperf");
        File.WriteAllText(standIn, "#!/bin/sh\nprintf '%s\\0' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var (code, stdout, stderr) = ProcessRunner.Run("sh", ["-c", script], new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}", ["JOB_COMPLETION_INDEX"] = "3" });
        Assert.True(code == 0, stderr);
        var argv = stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(argv);
        return argv;
    }

    private static (int Code, string Out, string Err) Validate(string manifest) =>
        ProcessRunner.Run("node", [Path.Combine(Installed.Value, "validate.mjs"), manifest], workingDirectory: Installed.Value);

    /// <summary>npm ci once per test run (the lock file pins kubernetes-models and yaml); reused when node_modules is there.</summary>
    private static string InstallValidator()
    {
        if (!Directory.Exists(Path.Combine(Validator, "node_modules", "kubernetes-models")))
        {
            var (code, stdout, stderr) = ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund"], workingDirectory: Validator);
            if (code != 0)
            {
                throw new InvalidOperationException($"npm ci in {Validator} failed with exit code {code}: {stderr}{stdout}");
            }
        }

        return Validator;
    }
}
