using System.Text;
using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>Builds and parses HTTP scrape requests (BEP 48).</summary>
public static class ScrapeRequestCodec
{
    /// <summary>The most info-hashes in one scrape by default, as many as a UDP scrape holds (BEP 15).</summary>
    public const int DefaultMaxInfoHashes = 74;

    /// <summary>
    /// The scrape URL of an announce URL, by the BEP 48 convention: the last path segment must begin
    /// with <c>announce</c>, which becomes <c>scrape</c> (<c>/x/announce.php?p=1</c> gives
    /// <c>/x/scrape.php?p=1</c>). A passkey after <c>/announce/</c> is kept (<c>/announce/KEY</c> gives
    /// <c>/scrape/KEY</c>), as private trackers expect. <see langword="null"/> when the tracker cannot
    /// be scraped that way.
    /// </summary>
    public static Uri? GetScrapeUrl(Uri announceUrl)
    {
        ArgumentNullException.ThrowIfNull(announceUrl);
        if (!announceUrl.IsAbsoluteUri)
        {
            return null;
        }

        string path = announceUrl.AbsolutePath;
        int segment = path.LastIndexOf('/') + 1;
        if (!path.AsSpan(segment).StartsWith("announce", StringComparison.Ordinal))
        {
            int previous = segment < 2 ? -1 : path.LastIndexOf('/', segment - 2) + 1;
            if (previous < 0 || path[previous..(segment - 1)] != "announce")
            {
                return null;
            }

            segment = previous;
        }

        var builder = new UriBuilder(announceUrl)
        {
            Path = string.Concat(path.AsSpan(0, segment), "scrape", path.AsSpan(segment + "announce".Length)),
        };
        return builder.Uri;
    }

    /// <summary>The scrape URL with one <c>info_hash</c> parameter per torrent (v2 hashes truncated, BEP 52).</summary>
    public static string AppendQuery(Uri scrapeUrl, IEnumerable<InfoHash> infoHashes)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        StringBuilder query = TrackerQuery.Start(scrapeUrl);
        foreach (InfoHash infoHash in infoHashes)
        {
            TrackerQuery.AppendParameter(query, "info_hash", infoHash.Truncated.Span);
        }

        return TrackerQuery.Finish(query);
    }

    /// <summary>
    /// The info-hashes of a raw scrape query string, in order, duplicates dropped. Other parameters
    /// are ignored. None means a full scrape, which the tracker may refuse. More than
    /// <paramref name="maxInfoHashes"/>, or one that is not 20 bytes, is a <see cref="TrackerProtocolException"/>.
    /// The query may be up to 4 KiB longer than <paramref name="maxInfoHashes"/> escaped hashes need.
    /// </summary>
    public static IReadOnlyList<InfoHash> Parse(string rawQueryString, int maxInfoHashes = DefaultMaxInfoHashes)
    {
        var hashes = new List<InfoHash>();
        var seen = new HashSet<InfoHash>();
        // Each info_hash takes at most 70 characters ("info_hash=" and 20 escaped bytes, plus "&").
        int extra = Math.Clamp(maxInfoHashes, 0, 1_000_000);
        foreach ((string name, byte[] value) in TrackerQuery.Parse(rawQueryString, TrackerQuery.MaxLength + (71 * extra), TrackerQuery.MaxParameters + extra))
        {
            if (name != "info_hash")
            {
                continue;
            }

            if (value.Length != InfoHash.V1Length)
            {
                throw new TrackerProtocolException($"info_hash must be {InfoHash.V1Length} bytes, not {value.Length}");
            }

            var infoHash = new InfoHash(value);
            if (seen.Add(infoHash))
            {
                if (hashes.Count == maxInfoHashes)
                {
                    throw new TrackerProtocolException($"more than {maxInfoHashes} info_hash values");
                }

                hashes.Add(infoHash);
            }
        }

        return hashes;
    }
}
