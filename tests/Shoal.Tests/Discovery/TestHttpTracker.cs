using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Discovery.Trackers;

namespace Shoal.Tests.Discovery;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1: one request per connection, answered by the handler
/// (given the request, returning the whole raw response, or null to never answer) and closed.
/// </summary>
internal sealed class TestHttpTracker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<TestHttpRequest, byte[]?> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>A server whose handler sees only the request target.</summary>
    public TestHttpTracker(Func<string, byte[]?> handler)
        : this(request => handler(request.Target))
    {
    }

    private TestHttpTracker(Func<TestHttpRequest, byte[]?> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>A server whose handler sees the whole request: method, headers and body too.</summary>
    public static TestHttpTracker Serving(Func<TestHttpRequest, byte[]?> handler) => new(handler);

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

    /// <summary>An HTTP/1.1 answer; <paramref name="headers"/> are more header lines, each ending in CRLF.</summary>
    public static byte[] Response(string status, byte[] body, bool contentLength = true, string contentType = "text/plain", string headers = "")
    {
        string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\n{(contentLength ? $"Content-Length: {body.Length}\r\n" : "")}{headers}Connection: close\r\n\r\n";
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

                string head = Encoding.ASCII.GetString(buffer, 0, filled);
                int headLength = head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                string[] lines = head[..headLength].Split("\r\n");
                string target = lines[0].Split(' ')[1];
                string? lengthLine = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                int bodyLength = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (headLength + bodyLength > buffer.Length)
                {
                    Array.Resize(ref buffer, headLength + bodyLength);
                }

                while (filled < headLength + bodyLength)
                {
                    int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                Targets.Enqueue(target);
                var request = new TestHttpRequest(lines[0].Split(' ')[0], target, lines[1..].Where(l => l.Length > 0).ToArray(), buffer[headLength..(headLength + bodyLength)]);
                byte[]? response = _handler(request);
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
