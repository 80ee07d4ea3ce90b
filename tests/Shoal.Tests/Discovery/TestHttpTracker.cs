using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Discovery.Trackers;

namespace Shoal.Tests.Discovery;

/// <summary>
/// A tiny HTTP/1.1 tracker on 127.0.0.1: one request per connection, answered by the handler
/// (given the request target, returning the whole raw response) and closed.
/// </summary>
internal sealed class TestHttpTracker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]?> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestHttpTracker(Func<string, byte[]?> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public ConcurrentQueue<string> Targets { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri AnnounceUrl => new($"http://127.0.0.1:{Port}/announce");

    /// <summary>A tracker that answers announces with the given peers (compact or not, as asked) and scrapes with the given stats.</summary>
    public static TestHttpTracker WithPeers(IReadOnlyList<IPEndPoint> peers, ScrapeStats? stats = null) => new(target =>
    {
        string query = target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..];
        if (target.StartsWith("/scrape", StringComparison.Ordinal))
        {
            IReadOnlyList<Shoal.Metainfo.InfoHash> hashes = ScrapeRequestCodec.Parse(query);
            var files = hashes.ToDictionary(h => h, _ => stats ?? new ScrapeStats(1, 2, 3));
            return Ok(ScrapeResponseCodec.Encode(new ScrapeResponse { Files = files }));
        }

        AnnounceRequest request = AnnounceRequestCodec.Parse(query);
        return Ok(AnnounceResponseCodec.Encode(new AnnounceResponse { Interval = 1800, MinInterval = 60, Complete = 5, Incomplete = 7, Peers = peers }, request.Compact));
    });

    public static byte[] Ok(byte[] body) => Response("200 OK", body);

    public static byte[] Response(string status, byte[] body, bool contentLength = true)
    {
        string head = $"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\n{(contentLength ? $"Content-Length: {body.Length}\r\n" : "")}Connection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                byte[] buffer = new byte[16 * 1024];
                int filled = 0;
                while (Encoding.ASCII.GetString(buffer, 0, filled).IndexOf("\r\n\r\n", StringComparison.Ordinal) < 0)
                {
                    int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                string requestLine = Encoding.ASCII.GetString(buffer, 0, filled).Split("\r\n")[0];
                string target = requestLine.Split(' ')[1];
                Targets.Enqueue(target);
                byte[]? response = _handler(target);
                if (response is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token); // never answer
                    return;
                }

                await socket.SendAsync(response, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
