using System.Net;
using System.Net.Sockets;
using Shoal.Bencoding;
using Shoal.Primitives;

namespace Shoal.Wire;

/// <summary>
/// A BEP 11 <c>ut_pex</c> message: peers the sender connected to (<c>added</c>, <c>added6</c>, with
/// <c>added.f</c>/<c>added6.f</c> flags) and disconnected from (<c>dropped</c>, <c>dropped6</c>) since its last one.
/// </summary>
public sealed record PexMessage
{
    public const string ExtensionName = "ut_pex";

    private static readonly BencodeLimits Limits = BencodeLimits.Default with { MaxDepth = 2, MaxTokens = 64 };

    public IReadOnlyList<PexPeer> Added { get; init; } = [];

    public IReadOnlyList<IPEndPoint> Dropped { get; init; } = [];

    /// <summary>Reads a peer's message, keeping at most <paramref name="maxPeers"/> of each list; a malformed one is a <see cref="PeerProtocolException"/>.</summary>
    public static PexMessage Parse(ReadOnlyMemory<byte> payload, int maxPeers)
    {
        BDictionary dictionary;
        try
        {
            dictionary = BencodeDecoder.Decode(payload, Limits) as BDictionary
                ?? throw new PeerProtocolException("ut_pex message is not a dictionary");
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException($"malformed ut_pex message: {e.Message}");
        }

        var added = new List<PexPeer>();
        AddWithFlags(added, dictionary, "added", AddressFamily.InterNetwork, maxPeers);
        AddWithFlags(added, dictionary, "added6", AddressFamily.InterNetworkV6, maxPeers);
        var dropped = new List<IPEndPoint>();
        dropped.AddRange(Read(dictionary, "dropped", AddressFamily.InterNetwork, maxPeers));
        dropped.AddRange(Read(dictionary, "dropped6", AddressFamily.InterNetworkV6, maxPeers));
        return new PexMessage { Added = [.. added.Take(maxPeers)], Dropped = [.. dropped.Take(maxPeers)] };
    }

    public byte[] Encode()
    {
        var dictionary = new BDictionary();
        foreach ((string suffix, AddressFamily family) in new[] { ("", AddressFamily.InterNetwork), ("6", AddressFamily.InterNetworkV6) })
        {
            PexPeer[] added = [.. Added.Where(p => IPv4Mapping.FamilyOf(p.EndPoint.Address) == family)];
            dictionary.Set("added" + suffix, new BString(CompactInfo.EncodePeers([.. added.Select(p => p.EndPoint)], family)));
            dictionary.Set($"added{suffix}.f", new BString(added.Select(p => p.Flags).ToArray()));
            dictionary.Set("dropped" + suffix, new BString(CompactInfo.EncodePeers(Dropped, family)));
        }

        return dictionary.Encode();
    }

    private static void AddWithFlags(List<PexPeer> added, BDictionary dictionary, string key, AddressFamily family, int maxPeers)
    {
        List<IPEndPoint> peers = Read(dictionary, key, family, maxPeers);
        int listed = ((dictionary[key] as BString)?.Bytes.Length ?? 0) / CompactInfo.PeerLength(family);
        ReadOnlySpan<byte> flags = dictionary[key + ".f"] is BString { Bytes.Length: var length } f && length == listed ? f.Span : [];
        for (int i = 0; i < peers.Count; i++)
        {
            added.Add(new PexPeer(peers[i], flags.IsEmpty ? (byte)0 : flags[i]));
        }
    }

    /// <summary>The first <paramref name="maxPeers"/> of a compact list: a hostile peer's long list costs no more than that.</summary>
    private static List<IPEndPoint> Read(BDictionary dictionary, string key, AddressFamily family, int maxPeers)
    {
        var peers = new List<IPEndPoint>();
        if (dictionary[key] is BString compact && !CompactInfo.TryReadPeers(compact.Span, family, peers, maxPeers))
        {
            throw new PeerProtocolException($"ut_pex {key} is {compact.Bytes.Length} bytes, not a multiple of {CompactInfo.PeerLength(family)}");
        }

        return peers;
    }
}
