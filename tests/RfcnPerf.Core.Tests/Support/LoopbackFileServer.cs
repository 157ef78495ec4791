using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (ephemeral port) for download tests: serves byte arrays by path,
/// honours <c>Range: bytes=N-</c> with 206, and can misbehave on purpose: cut the connection after a number of body
/// bytes (a server gone midway), ignore Range (a server without resume support), or serve other bytes (corruption).
/// One connection per request (<c>Connection: close</c>); every request line and Range header is recorded.
/// </summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LoopbackFileServer()
    {
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    /// <summary>Body bytes to send before aborting the connection, per request (null: send everything).</summary>
    public Func<string, long, long?> CutAfter { get; set; } = (_, _) => null;

    /// <summary>When true, Range headers are ignored (200 with the whole file).</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>"path range-start" of each request, in order (range start -1 when none).</summary>
    public ConcurrentQueue<(string Path, long RangeStart)> Requests { get; } = new();

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Serve(string path, byte[] bytes) => files[path] = bytes;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await Handle(client).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The client went away; the next request gets a new connection.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private async Task Handle(TcpClient client)
    {
        var stream = client.GetStream();
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, stop.Token).ConfigureAwait(false) == 0)
            {
                return;
            }

            header.Append((char)one[0]);
        }

        var lines = header.ToString().Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var rangeLine = lines.FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase));
        long start = rangeLine is null ? -1 : long.Parse(rangeLine.Split('=')[1].TrimEnd('-'), CultureInfo.InvariantCulture);
        Requests.Enqueue((path, start));

        if (!files.TryGetValue(path, out var bytes))
        {
            await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
            return;
        }

        var from = start >= 0 && !IgnoreRange ? start : 0;
        if (from >= bytes.Length && from > 0)
        {
            await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{bytes.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
            return;
        }

        var length = bytes.Length - from;
        await Write(stream, from > 0
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{bytes.Length - 1}/{bytes.Length}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
            : $"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
        var cut = CutAfter(path, from);
        var send = cut is { } c ? (int)Math.Min(c, length) : (int)length;
        await stream.WriteAsync(bytes.AsMemory((int)from, send), stop.Token).ConfigureAwait(false);
        await stream.FlushAsync(stop.Token).ConfigureAwait(false);
        if (cut is not null)
        {
            // Gone midway: close the connection short of the announced Content-Length, as a server that dies does.
            // (A TCP reset would also drop bytes still unread on the client, so the kept length would vary.)
            client.Client.Shutdown(SocketShutdown.Both);
            client.Client.Close();
        }
    }

    private async Task Write(NetworkStream stream, string text) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), stop.Token).ConfigureAwait(false);
}
