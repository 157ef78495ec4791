using System.Text.Json;
using System.Text.Json.Nodes;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// An earlier run's summary JSON (<c>--baseline FILE</c>): its system under test, scenario and the latencies its metric
/// is taken over (answered ones, in issue order), so a run can be compared with it in one line: the serving overhead
/// when the earlier run was the model in process and this one is <c>--url</c> against <c>rfcnperf serve</c>.
/// </summary>
/// <param name="Sut">The earlier run's "SUT name".</param>
/// <param name="Scenario">Its scenario.</param>
/// <param name="Latencies">Its metric's answered latencies (ns): multi-stream's per query, the others' per sample.</param>
/// <param name="Unanswered">Its samples without an answer.</param>
internal sealed record ScenarioBaseline(string Sut, LoadScenario Scenario, double[] Latencies, int Unanswered)
{
    /// <summary>Reads a <c>*-summary.json</c>; anything else is a user error naming the file and the field.</summary>
    public static ScenarioBaseline Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new Core.RfcnPerfException($"--baseline {path}: not a readable JSON file ({ex.Message})");
        }

        try
        {
            var sut = Field(root, "sut").GetValue<string>();
            var scenario = LoadScenarioNames.Parse(Field(root, "scenario").GetValue<string>());
            if (scenario == LoadScenario.Offline)
            {
                throw new Core.RfcnPerfException($"--baseline {path}: an offline run is one query; a baseline compares single-stream, multi-stream or server latencies");
            }

            var field = scenario == LoadScenario.MultiStream ? "query_latencies_ns" : "sample_latencies_ns";
            var all = Field(root, field).AsArray().Select(n => n?.GetValue<long>()).ToArray();
            var answered = all.OfType<long>().Where(l => l > 0).Select(l => (double)l).ToArray();
            return answered.Length > 0
                ? new ScenarioBaseline(sut, scenario, answered, all.Count(l => l is null))
                : throw new Core.RfcnPerfException($"--baseline {path}: '{field}' holds no answered latency");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new Core.RfcnPerfException($"--baseline {path}: not a scenario summary written by rfcnperf load --scenario ({ex.Message})");
        }

        static JsonNode Field(JsonNode? node, string name) =>
            node?[name] ?? throw new KeyNotFoundException($"no '{name}' field; summaries written before latencies were saved cannot be a baseline");
    }
}
