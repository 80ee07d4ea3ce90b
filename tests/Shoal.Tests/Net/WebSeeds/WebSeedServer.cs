using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Shoal.Tests.Net.WebSeeds;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 for web seed tests: GET of a folder's files, whole or one byte range,
/// over kept-alive connections; it can answer every request with an error status, or flip one byte of a file.
/// It counts what it served, so tests can tell it was asked.
/// </summary>
internal sealed class WebSeedServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private long _bytesServed;
    private int _requests;

    public WebSeedServer(string root)
    {
        _root = Path.GetFullPath(root);
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>The server's root URL, ending in '/'.</summary>
    public Uri BaseUrl { get; }

    /// <summary>When set, every request is answered with this status and no body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>When set, the byte at this offset of this file (its path below the root, with '/') is served flipped.</summary>
    public (string Path, long Offset)? CorruptByte { get; set; }

    /// <summary>When true, a range request gets the whole file with 200, as from a server without range support.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>When set, each body stops after this many bytes and the connection closes, its length promised in full.</summary>
    public int? CutBodyAfter { get; set; }

    /// <summary>When set, the server waits this long before each answer.</summary>
    public TimeSpan Delay { get; set; }

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The decoded paths asked for, in order.</summary>
    public List<string> Paths { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            // Head and body go out in two writes: without this, Nagle holds the body until the head is
            // acknowledged, and the client's delayed acknowledgement makes every answer wait 40 ms.
            client.NoDelay = true;
            try
            {
                NetworkStream stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.Latin1, false, 1, leaveOpen: true);
                while (await reader.ReadLineAsync(_stop.Token) is { } requestLine)
                {
                    string? range = null;
                    while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 } header)
                    {
                        if (header.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
                        {
                            range = header["Range:".Length..].Trim();
                        }
                    }

                    Interlocked.Increment(ref _requests);
                    if (Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(Delay, _stop.Token);
                    }

                    await AnswerAsync(stream, requestLine.Split(' ')[1], range);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, string target, string? range)
    {
        string path = string.Join('/', target.Split('?')[0].TrimStart('/').Split('/').Select(Uri.UnescapeDataString));
        lock (Paths)
        {
            Paths.Add(path);
        }

        string file = Path.GetFullPath(Path.Combine(_root, path));
        if (FailWith is { } status)
        {
            await WriteHeadAsync(stream, $"{(int)status} Failing", 0, null);
            return;
        }

        if (!file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            await WriteHeadAsync(stream, "404 Not Found", 0, null);
            return;
        }

        using var handle = File.OpenHandle(file);
        long size = RandomAccess.GetLength(handle);
        long from = 0;
        long to = size - 1;
        string answer = "200 OK";
        string? contentRange = null;
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            string[] bounds = range["bytes=".Length..].Split('-');
            from = long.Parse(bounds[0], CultureInfo.InvariantCulture);
            to = Math.Min(bounds[1].Length > 0 ? long.Parse(bounds[1], CultureInfo.InvariantCulture) : to, size - 1);
            if (from > to)
            {
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", 0, $"bytes */{size}");
                return;
            }

            answer = "206 Partial Content";
            contentRange = $"bytes {from}-{to}/{size}";
        }

        byte[] body = new byte[to - from + 1];
        await RandomAccess.ReadAsync(handle, body, from, _stop.Token);
        if (CorruptByte is { } corrupt && corrupt.Path == path && corrupt.Offset >= from && corrupt.Offset <= to)
        {
            body[corrupt.Offset - from] ^= 0xFF;
        }

        await WriteHeadAsync(stream, answer, body.Length, contentRange);
        int sent = Math.Min(body.Length, CutBodyAfter ?? int.MaxValue);

        // Counted before the write: the client may have the bytes, checked and finished, before the write's continuation
        // runs here (seen on a loaded machine), and a test reads the count once the download is done.
        Interlocked.Add(ref _bytesServed, sent);
        await stream.WriteAsync(body.AsMemory(0, sent), _stop.Token);
        if (sent < body.Length)
        {
            throw new IOException("body cut short on purpose");
        }
    }

    private async Task WriteHeadAsync(NetworkStream stream, string status, long length, string? contentRange)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nAccept-Ranges: bytes\r\n");
        if (contentRange is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Range: {contentRange}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
    }
}
