using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Shoal.TrackerLoad;

/// <summary>Failure is the BEP 3 failure reason and what follows it, when the body has one.</summary>
internal readonly record struct HttpResponse(int Status, bool KeepAlive, string? Failure);

/// <summary>
/// Reads one HTTP/1.x response at a time from a socket: Content-Length, chunked, or until the
/// server closes. The body is only searched for a BEP 3 "failure reason".
/// </summary>
internal sealed class HttpResponseReader(Socket socket)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public long BytesReceived { get; private set; }

    public async ValueTask<HttpResponse> ReadAsync()
    {
        Compact();
        int headerEnd;
        while ((headerEnd = IndexOf("\r\n\r\n"u8, _start)) < 0)
        {
            await ReceiveMoreAsync(eofAllowed: false);
        }
        var header = ParseHeader(_buffer.AsSpan(_start, headerEnd - _start));
        var position = headerEnd + 4;
        string? failure;
        if (header.ContentLength is { } length)
        {
            await EnsureAsync(position + length);
            failure = FailureText(position, length);
            position += length;
        }
        else if (header.Chunked)
        {
            (position, failure) = await ReadChunksAsync(position);
        }
        else
        {
            while (await ReceiveMoreAsync(eofAllowed: true))
            {
            }
            failure = FailureText(position, _end - position);
            position = _end;
            header = header with { KeepAlive = false };
        }
        _start = position;
        return new HttpResponse(header.Status, header.KeepAlive, failure);
    }

    private async ValueTask<(int Position, string? Failure)> ReadChunksAsync(int position)
    {
        string? failure = null;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf("\r\n"u8, position)) < 0)
            {
                await ReceiveMoreAsync(eofAllowed: false);
            }
            var size = ParseChunkSize(_buffer.AsSpan(position, lineEnd - position));
            position = lineEnd + 2;
            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while (true)
                {
                    while ((lineEnd = IndexOf("\r\n"u8, position)) < 0)
                    {
                        await ReceiveMoreAsync(eofAllowed: false);
                    }
                    var empty = lineEnd == position;
                    position = lineEnd + 2;
                    if (empty)
                    {
                        return (position, failure);
                    }
                }
            }
            await EnsureAsync(position + size + 2);
            failure ??= FailureText(position, size);
            position += size + 2;
        }
    }

    private record struct Header(int Status, bool KeepAlive, int? ContentLength, bool Chunked);

    private static Header ParseHeader(ReadOnlySpan<byte> bytes)
    {
        var lineEnd = bytes.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? bytes : bytes[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8)
            || !int.TryParse(statusLine.Slice(9, 3), out var status))
        {
            throw new IOException($"not an HTTP response: '{Encoding.ASCII.GetString(statusLine)}'");
        }
        var header = new Header(status, statusLine[7] == (byte)'1', null, false);
        var rest = lineEnd < 0 ? [] : bytes[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim((byte)' ');
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                header = header with { ContentLength = int.Parse(value) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                header = header with { Chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                header = header with
                {
                    KeepAlive = Ascii.EqualsIgnoreCase(value, "keep-alive"u8)
                        || (header.KeepAlive && !Ascii.EqualsIgnoreCase(value, "close"u8)),
                };
            }
        }
        return header;
    }

    private static int ParseChunkSize(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var hex = (semicolon < 0 ? line : line[..semicolon]).Trim((byte)' ');
        return int.Parse(hex, NumberStyles.HexNumber);
    }

    private string? FailureText(int position, int length)
    {
        var body = _buffer.AsSpan(position, length);
        var found = body.IndexOf("failure reason"u8);
        return found < 0 ? null : Encoding.ASCII.GetString(body[found..][..Math.Min(body.Length - found, 100)]);
    }

    private int IndexOf(ReadOnlySpan<byte> needle, int from)
    {
        var found = _buffer.AsSpan(from, _end - from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }

    private async ValueTask EnsureAsync(int end)
    {
        while (_end < end)
        {
            await ReceiveMoreAsync(eofAllowed: false);
        }
    }

    /// <summary>False at end of stream (when allowed).</summary>
    private async ValueTask<bool> ReceiveMoreAsync(bool eofAllowed)
    {
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (received == 0)
        {
            return eofAllowed ? false : throw new IOException("connection closed mid-response");
        }
        _end += received;
        BytesReceived += received;
        return true;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }
}
