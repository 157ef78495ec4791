using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench;

/// <summary>
/// A <see cref="DetectorSession"/> opened for one sweep point: the batchified model where needed, the point's
/// session options, one stream per request in flight, inputs filled with real images. Opening failures are
/// recorded (<see cref="BenchFailures"/>) so the run can report why the case failed.
/// </summary>
internal sealed class SweepSession : IDisposable
{
    private readonly StreamGang? gang;

    private SweepSession(DetectorSession session, IReadOnlyList<DetectorStream> streams)
    {
        Session = session;
        Streams = streams;
        gang = streams.Count > 1 ? new StreamGang(streams) : null;
    }

    /// <summary>The session.</summary>
    public DetectorSession Session { get; }

    /// <summary>Its streams; the first is <see cref="DetectorSession.Default"/>.</summary>
    public IReadOnlyList<DetectorStream> Streams { get; }

    /// <summary>Opens the session for <paramref name="variant"/> at <paramref name="point"/>.</summary>
    public static SweepSession Open(string benchmark, ModelVariant variant, SweepPoint point) =>
        BenchFailures.Guard($"{benchmark} [{variant}, {point.Describe()}]", () =>
        {
            var path = BenchAssets.ModelForBatch(variant, point.Batch);
            var session = DetectorSession.Open(path, point.ToSettings(), point.Batch, modelName: variant.ToString());
            try
            {
                var streams = new List<DetectorStream> { session.Default };
                while (streams.Count < point.Streams)
                {
                    streams.Add(session.OpenStream());
                }

                for (var i = 0; i < streams.Count; i++)
                {
                    // Different images per stream, as independent requests would have.
                    BenchInputs.Fill(streams[i], i * point.Batch);
                }

                return new SweepSession(session, streams);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        });

    /// <summary>One request on the default stream.</summary>
    public ModelOutputs Run() => Session.Default.Run();

    /// <summary>One request on every stream at once (a single request when there is one stream).</summary>
    public ModelOutputs RunAllStreams() => gang?.RunRound() ?? Session.Default.Run();

    /// <inheritdoc />
    public void Dispose()
    {
        gang?.Dispose();
        Session.Dispose();
    }
}
