using System.Buffers;
using System.Globalization;

namespace Shoal.Metainfo;

/// <summary>
/// Reads magnet links (BEP 9, BEP 53). Any string may come in; the only exception that comes out is
/// <see cref="MagnetLinkException"/>.
/// </summary>
internal static class MagnetLinkParser
{
    public static MagnetLink Parse(string link)
    {
        if (link is null || !link.StartsWith(MagnetLink.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new MagnetLinkException($"the link does not start with '{MagnetLink.Prefix}'");
        }

        InfoHash? v1 = null;
        InfoHash? v2 = null;
        string? displayName = null;
        long? exactLength = null;
        List<string> trackers = [];
        List<string> webSeeds = [];
        List<MagnetPeer> peers = [];
        List<FileIndexRange> selectOnly = [];
        foreach (string parameter in link[MagnetLink.Prefix.Length..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = parameter.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? parameter : parameter[..equals];
            string value = equals < 0 ? "" : parameter[(equals + 1)..];
            switch (WithoutNumber(key))
            {
                case "xt":
                    string topic = Decode(parameter, value);
                    if (topic.StartsWith(MagnetLink.BtihUrn, StringComparison.OrdinalIgnoreCase))
                    {
                        v1 = Agreeing(v1, ReadBtih(parameter, topic[MagnetLink.BtihUrn.Length..]), parameter);
                    }
                    else if (topic.StartsWith(MagnetLink.BtmhUrn, StringComparison.OrdinalIgnoreCase))
                    {
                        v2 = Agreeing(v2, ReadBtmh(parameter, topic[MagnetLink.BtmhUrn.Length..]), parameter);
                    }

                    break;
                case "dn":
                    displayName = Decode(parameter, value, plusIsSpace: true);
                    break;
                case "xl":
                    exactLength = long.TryParse(Decode(parameter, value), NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                        ? length
                        : throw new MagnetLinkException($"'{parameter}' is not a length in bytes");
                    break;
                case "tr":
                    AddUnlessEmpty(trackers, Decode(parameter, value));
                    break;
                case "ws":
                    AddUnlessEmpty(webSeeds, Decode(parameter, value));
                    break;
                case "x.pe":
                    peers.Add(MagnetPeer.Parse(Decode(parameter, value)));
                    break;
                case "so":
                    selectOnly.AddRange(ReadSelectOnly(parameter, Decode(parameter, value)));
                    break;
            }
        }

        if (v1 is null && v2 is null)
        {
            throw new MagnetLinkException("no xt=urn:btih or xt=urn:btmh info-hash");
        }

        return new MagnetLink
        {
            InfoHashes = new InfoHashes(v1, v2),
            DisplayName = displayName,
            ExactLength = exactLength,
            Trackers = trackers,
            WebSeeds = webSeeds,
            Peers = peers,
            SelectOnly = selectOnly,
        };
    }

    public static MagnetLink ParseBareInfoHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string hash = text.Trim();
        InfoHash parsed;
        try
        {
            parsed = hash.Length == InfoHash.V2Length * 2
                ? ReadBtmh("info-hash", MagnetLink.Sha256Multihash + hash)
                : ReadBtih("info-hash", hash);
        }
        catch (MagnetLinkException)
        {
            // Said in the user's terms: a bare hash has no multihash prefix and no xt= to name.
            throw new MagnetLinkException($"'{hash}' is not an info-hash: 40 hex digits or 32 base32 characters for v1, 64 hex digits for v2");
        }

        return new MagnetLink { InfoHashes = parsed.IsV2 ? new InfoHashes(null, parsed) : new InfoHashes(parsed, null) };
    }

    // Links in the wild number repeated keys: tr.1=...&tr.2=...
    private static string WithoutNumber(string key)
    {
        int dot = key.LastIndexOf('.');
        return dot > 0 && dot < key.Length - 1 && !key.AsSpan(dot + 1).ContainsAnyExceptInRange('0', '9') ? key[..dot] : key;
    }

    private static string Decode(string parameter, string value, bool plusIsSpace = false) =>
        UriComponentEncoding.TryDecode(value, plusIsSpace, out string? decoded)
            ? decoded
            : throw new MagnetLinkException($"'{parameter}' is not valid percent-encoded UTF-8");

    private static void AddUnlessEmpty(List<string> urls, string url)
    {
        if (url.Length > 0)
        {
            urls.Add(url);
        }
    }

    private static InfoHash Agreeing(InfoHash? earlier, InfoHash hash, string parameter) =>
        earlier is null || earlier.Equals(hash)
            ? hash
            : throw new MagnetLinkException($"'{parameter}' names a different info-hash than an earlier xt ({earlier.ToHex()})");

    // BEP 9: 40 hex characters, or 32 base32 characters in older links.
    private static InfoHash ReadBtih(string parameter, string text)
    {
        Span<byte> hash = stackalloc byte[InfoHash.V1Length];
        bool valid = text.Length == hash.Length * 2
            ? Convert.FromHexString(text, hash, out _, out _) == OperationStatus.Done
            : Base32.TryDecode(text, hash);
        return valid
            ? new InfoHash(hash)
            : throw new MagnetLinkException($"'{parameter}' is not a 40-character hex or 32-character base32 info-hash");
    }

    // BEP 9: a hex multihash, which for a v2 info-hash (BEP 52) must be a sha2-256 digest.
    private static InfoHash ReadBtmh(string parameter, string text)
    {
        Span<byte> hash = stackalloc byte[InfoHash.V2Length];
        bool valid = text.Length == MagnetLink.Sha256Multihash.Length + (hash.Length * 2)
            && text.StartsWith(MagnetLink.Sha256Multihash, StringComparison.Ordinal)
            && Convert.FromHexString(text.AsSpan(MagnetLink.Sha256Multihash.Length), hash, out _, out _) == OperationStatus.Done;
        return valid
            ? new InfoHash(hash)
            : throw new MagnetLinkException($"'{parameter}' is not a sha2-256 multihash ('{MagnetLink.Sha256Multihash}' and 64 hex characters)");
    }

    // BEP 53: so=0,2,4-6, each item a file index or an inclusive range of them.
    private static List<FileIndexRange> ReadSelectOnly(string parameter, string text)
    {
        var ranges = new List<FileIndexRange>();
        foreach (string item in text.Split(','))
        {
            string[] bounds = item.Split('-');
            if (bounds.Length > 2 || !TryReadIndex(bounds[0], out int first) || !TryReadIndex(bounds[^1], out int last) || last < first)
            {
                throw new MagnetLinkException($"'{parameter}' is not a list of file indices and ranges like so=0,2,4-6");
            }

            ranges.Add(new FileIndexRange(first, last));
        }

        return ranges;
    }

    private static bool TryReadIndex(string text, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);
}
