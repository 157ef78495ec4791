using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>The server's memory as <c>rfcnperf load</c> reads it from a Prometheus endpoint.</summary>
public sealed class ServerMemoryTests
{
    [Fact]
    public void Resident_and_managed_memory_are_read_from_prometheus_text()
    {
        const string text = "# HELP process_working_set_bytes Process working set\n# TYPE process_working_set_bytes gauge\n"
            + "process_working_set_bytes 1.70000384E+08\nprocess_working_set_bytes_other 1\ndotnet_total_memory_bytes 11559672\n";
        Assert.Equal(new ServerMemory(170000384, 11559672), ServerMemory.Parse(text));
        Assert.Null(ServerMemory.Parse("dotnet_total_memory_bytes 11559672\n"));
    }

    [Fact]
    public async Task Our_server_exports_its_resident_memory_and_an_unreachable_one_gives_none()
    {
        await using var server = await TestServer.StartAsync();
        var memory = await ServerMemory.ReadAsync(new Uri($"http://127.0.0.1:{server.Server.RestPort}/metrics"));
        Assert.NotNull(memory);
        Assert.InRange(memory.ResidentBytes, 10L << 20, 64L << 30);
        Assert.True(memory.ManagedHeapBytes > 0);

        Assert.Null(await ServerMemory.ReadAsync(new Uri("http://127.0.0.1:1/metrics")));
    }
}
