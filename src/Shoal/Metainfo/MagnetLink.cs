using System.Diagnostics.CodeAnalysis;

namespace Shoal.Metainfo;

/// <summary>
/// A magnet link (BEP 9): the info-hashes of a torrent whose metadata is still to be fetched, with hints
/// for finding it. Every value is checked on the way in, so that <see cref="ToUri"/> always gives a link
/// that <see cref="Parse"/> reads back equal.
/// </summary>
public sealed record MagnetLink
{
    internal const string Prefix = "magnet:?";
    internal const string BtihUrn = "urn:btih:";
    internal const string BtmhUrn = "urn:btmh:";

    // BEP 52 via BEP 9: the multihash header of a sha2-256 digest (code 0x12, length 0x20).
    internal const string Sha256Multihash = "1220";

    public required InfoHashes InfoHashes { get; init; }

    /// <summary>dn: a name to show until the metadata arrives.</summary>
    public string? DisplayName
    {
        get;
        init => field = value is null || UriComponentEncoding.CanEncode(value)
            ? value
            : throw new ArgumentException("the display name must not hold lone surrogates", nameof(DisplayName));
    }

    /// <summary>xl: the total size of the content in bytes.</summary>
    public long? ExactLength
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ExactLength), value, "a length is not negative");
    }

    /// <summary>tr: tracker URLs, in the link's order.</summary>
    public IReadOnlyList<string> Trackers { get; init => field = CheckedUrls(value, nameof(Trackers)); } = [];

    /// <summary>ws: web seed URLs (BEP 19).</summary>
    public IReadOnlyList<string> WebSeeds { get; init => field = CheckedUrls(value, nameof(WebSeeds)); } = [];

    /// <summary>x.pe: peers to fetch the metadata from.</summary>
    public IReadOnlyList<MagnetPeer> Peers { get; init => field = [.. value]; } = [];

    /// <summary>so (BEP 53): the only files to download; empty means all of them.</summary>
    public IReadOnlyList<FileIndexRange> SelectOnly { get; init => field = [.. value]; } = [];

    /// <summary>Reads a magnet link; every problem with it is a <see cref="MagnetLinkException"/>.</summary>
    public static MagnetLink Parse(string link) => MagnetLinkParser.Parse(link);

    /// <summary>
    /// The link a bare info-hash stands for: 40 hex or 32 base32 characters for v1, 64 hex for v2 (BEP 52). Peers and
    /// metadata are then found as for any magnet link without hints.
    /// </summary>
    public static MagnetLink FromInfoHash(string text) => MagnetLinkParser.ParseBareInfoHash(text);

    public static bool TryParse(string link, [NotNullWhen(true)] out MagnetLink? result)
    {
        try
        {
            result = Parse(link);
            return true;
        }
        catch (MagnetLinkException)
        {
            result = null;
            return false;
        }
    }

    /// <summary>The link to a parsed torrent: its info-hashes, name, trackers and web seeds.</summary>
    public static MagnetLink FromTorrent(Torrent torrent) => new()
    {
        InfoHashes = torrent.InfoHashes,
        DisplayName = torrent.Name,
        Trackers = torrent.Trackers,
        WebSeeds = torrent.WebSeeds,
    };

    /// <summary>
    /// The canonical link: v1 before v2 as libtorrent writes them, then dn, xl, tr, ws, x.pe and so,
    /// every value percent-encoded but for the unreserved characters.
    /// </summary>
    public string ToUri()
    {
        var parameters = new List<string>();
        if (InfoHashes.V1 is { } v1)
        {
            parameters.Add($"xt={BtihUrn}{v1.ToHex()}");
        }

        if (InfoHashes.V2 is { } v2)
        {
            parameters.Add($"xt={BtmhUrn}{Sha256Multihash}{v2.ToHex()}");
        }

        if (DisplayName is not null)
        {
            parameters.Add($"dn={UriComponentEncoding.Encode(DisplayName)}");
        }

        if (ExactLength is { } length)
        {
            parameters.Add($"xl={length}");
        }

        parameters.AddRange(Trackers.Select(url => $"tr={UriComponentEncoding.Encode(url)}"));
        parameters.AddRange(WebSeeds.Select(url => $"ws={UriComponentEncoding.Encode(url)}"));
        parameters.AddRange(Peers.Select(peer => $"x.pe={UriComponentEncoding.Encode(peer.ToString())}"));
        if (SelectOnly.Count > 0)
        {
            parameters.Add($"so={string.Join(',', SelectOnly)}");
        }

        return Prefix + string.Join('&', parameters);
    }

    public override string ToString() => ToUri();

    public bool Equals(MagnetLink? other) =>
        other is not null
        && InfoHashes == other.InfoHashes
        && DisplayName == other.DisplayName
        && ExactLength == other.ExactLength
        && Trackers.SequenceEqual(other.Trackers)
        && WebSeeds.SequenceEqual(other.WebSeeds)
        && Peers.SequenceEqual(other.Peers)
        && SelectOnly.SequenceEqual(other.SelectOnly);

    // Counts rather than contents of the lists: still equal for equal links, and cheap.
    public override int GetHashCode() =>
        HashCode.Combine(InfoHashes, DisplayName, ExactLength, Trackers.Count, WebSeeds.Count, Peers.Count, SelectOnly.Count);

    // Empty URLs are not written (the parser skips them), and lone surrogates cannot be.
    private static IReadOnlyList<string> CheckedUrls(IReadOnlyList<string> urls, string name) =>
        urls.All(url => url.Length > 0 && UriComponentEncoding.CanEncode(url))
            ? [.. urls]
            : throw new ArgumentException("URLs must be non-empty and hold no lone surrogates", name);
}
