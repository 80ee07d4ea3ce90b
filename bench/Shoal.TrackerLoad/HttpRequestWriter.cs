using System.Text;

namespace Shoal.TrackerLoad;

/// <summary>Writes one BEP 3 announce as an HTTP/1.1 keep-alive GET, without allocating.</summary>
internal sealed class HttpRequestWriter
{
    private readonly Swarms _swarms;
    private readonly byte[][] _encodedHashes;
    private readonly byte[] _path;
    private readonly byte[] _tail;

    public HttpRequestWriter(Swarms swarms, LoadOptions options)
    {
        _swarms = swarms;
        _encodedHashes = Enumerable.Range(0, swarms.HashCount)
            .Select(i => Encoding.ASCII.GetBytes(PercentEncode(swarms.InfoHash(i))))
            .ToArray();
        _path = Encoding.ASCII.GetBytes(options.Path + "?info_hash=");
        _tail = Encoding.ASCII.GetBytes($"&compact=1&numwant={options.NumWant}{(options.Fill ? "&event=started" : "")} HTTP/1.1\r\nHost: {options.Target}\r\n\r\n");
    }

    public int Write(long peer, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.Write("GET "u8);
        writer.Write(_path);
        writer.Write(_encodedHashes[peer % _swarms.HashCount]);
        writer.Write("&peer_id="u8);
        Swarms.WritePeerId(peer, writer.Take(20));
        writer.Write("&port="u8);
        writer.Write(_swarms.Port(peer));
        writer.Write("&uploaded=0&downloaded=0&left="u8);
        writer.Write(Swarms.Left(peer));
        writer.Write(_tail);
        return writer.Written;
    }

    private static string PercentEncode(byte[] bytes) =>
        string.Concat(bytes.Select(b => $"%{b:X2}"));

    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Written..]);
            Written += bytes.Length;
        }

        public void Write(long value)
        {
            value.TryFormat(_destination[Written..], out var written);
            Written += written;
        }

        public Span<byte> Take(int length)
        {
            var span = _destination.Slice(Written, length);
            Written += length;
            return span;
        }
    }
}
