using System.Net;
using Shoal.Bencoding;

namespace Shoal.Wire;

/// <summary>
/// BEP 10 extension handshake (extended message 0): the extensions a peer supports and the ids it
/// wants them sent under (<c>m</c>), its client name (<c>v</c>), listen port (<c>p</c>), request queue
/// depth (<c>reqq</c>), our address as it sees it (<c>yourip</c>) and BEP 9's <c>metadata_size</c>.
/// </summary>
public sealed record ExtensionHandshake
{
    private static readonly BencodeLimits Limits = BencodeLimits.Default with { MaxDepth = 8, MaxTokens = 4096 };

    public IReadOnlyDictionary<string, byte> Extensions { get; init; } = new Dictionary<string, byte>();

    public string? Client { get; init; }

    public ushort? ListenPort { get; init; }

    public int? RequestQueueDepth { get; init; }

    public IPAddress? YourIp { get; init; }

    public long? MetadataSize { get; init; }

    /// <summary>BEP 21 <c>upload_only</c>: the peer is a partial seed, wanting nothing more.</summary>
    public bool UploadOnly { get; init; }

    /// <summary>Reads a peer's handshake. Unknown keys and values of the wrong type are ignored, as BEP 10 asks.</summary>
    public static ExtensionHandshake Parse(ReadOnlyMemory<byte> payload)
    {
        BDictionary dictionary;
        try
        {
            dictionary = BencodeDecoder.Decode(payload, Limits) as BDictionary
                ?? throw new PeerProtocolException("extension handshake is not a dictionary");
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException($"malformed extension handshake: {e.Message}");
        }

        var extensions = new Dictionary<string, byte>(StringComparer.Ordinal);
        if (dictionary["m"] is BDictionary m)
        {
            foreach (var (name, value) in m)
            {
                // Id 0 means the peer disabled that extension.
                if (value is BInteger { Value: > 0 and <= byte.MaxValue } id)
                {
                    extensions[name.Text] = (byte)id.Value;
                }
            }
        }

        return new ExtensionHandshake
        {
            Extensions = extensions,
            Client = (dictionary["v"] as BString)?.Text,
            ListenPort = dictionary["p"] is BInteger { Value: > 0 and <= ushort.MaxValue } port ? (ushort)port.Value : null,
            RequestQueueDepth = dictionary["reqq"] is BInteger { Value: > 0 and <= int.MaxValue } reqq ? (int)reqq.Value : null,
            YourIp = dictionary["yourip"] is BString { Bytes.Length: 4 or 16 } ip ? new IPAddress(ip.Span) : null,
            MetadataSize = dictionary["metadata_size"] is BInteger { Value: > 0 } size ? size.Value : null,
            UploadOnly = dictionary["upload_only"] is BInteger { Value: not 0 },
        };
    }

    public byte[] Encode()
    {
        var m = new BDictionary();
        foreach (var (name, id) in Extensions)
        {
            m.Set(name, new BInteger(id));
        }

        var dictionary = new BDictionary().Set("m", m);
        if (Client is not null)
        {
            dictionary.Set("v", new BString(Client));
        }

        if (ListenPort is { } port)
        {
            dictionary.Set("p", new BInteger(port));
        }

        if (RequestQueueDepth is { } reqq)
        {
            dictionary.Set("reqq", new BInteger(reqq));
        }

        if (YourIp is not null)
        {
            dictionary.Set("yourip", new BString(YourIp.GetAddressBytes()));
        }

        if (MetadataSize is { } size)
        {
            dictionary.Set("metadata_size", new BInteger(size));
        }

        if (UploadOnly)
        {
            dictionary.Set("upload_only", new BInteger(1));
        }

        return dictionary.Encode();
    }
}
