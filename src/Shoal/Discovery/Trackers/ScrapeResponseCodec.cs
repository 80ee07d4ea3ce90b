using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Encodes and parses the bencoded scrape response of BEP 48: <c>files</c>, a dictionary keyed by
/// raw 20-byte info-hashes whose values hold <c>complete</c>, <c>downloaded</c> and <c>incomplete</c>.
/// </summary>
public static class ScrapeResponseCodec
{
    /// <summary>Bounds for decoding a response.</summary>
    public static BencodeLimits Limits { get; } = new() { MaxDepth = 8, MaxTokens = 200_000 };

    /// <summary>Bencodes the response; a failure encodes only its <c>failure reason</c>.</summary>
    public static byte[] Encode(ScrapeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.FailureReason is not null)
        {
            return new BDictionary().Set("failure reason", new BString(response.FailureReason)).Encode();
        }

        var files = new BDictionary();
        foreach ((InfoHash infoHash, ScrapeStats stats) in response.Files)
        {
            files.Set(new BString(infoHash.Truncated.Span.ToArray()), new BDictionary()
                .Set("complete", new BInteger(stats.Complete))
                .Set("downloaded", new BInteger(stats.Downloaded))
                .Set("incomplete", new BInteger(stats.Incomplete)));
        }

        return new BDictionary().Set("files", files).Encode();
    }

    /// <summary>
    /// Parses a scrape response. A failure reason is returned in the record, not thrown; a missing
    /// number reads as 0; malformed input is a <see cref="TrackerProtocolException"/>.
    /// </summary>
    public static ScrapeResponse Parse(ReadOnlyMemory<byte> body)
    {
        BDictionary dictionary = BencodeFields.DecodeDictionary(body, Limits);
        if (dictionary.TryGetValue("failure reason", out BValue failure))
        {
            return new ScrapeResponse { FailureReason = BencodeFields.Text(failure, "failure reason") };
        }

        var result = new Dictionary<InfoHash, ScrapeStats>();
        switch (dictionary["files"])
        {
            case null:
                break;
            case BDictionary files:
                foreach ((BString key, BValue value) in files)
                {
                    if (key.Bytes.Length != InfoHash.V1Length)
                    {
                        throw new TrackerProtocolException($"a files key is {key.Bytes.Length} bytes, not {InfoHash.V1Length}");
                    }

                    if (value is not BDictionary stats)
                    {
                        throw new TrackerProtocolException("a files entry is not a dictionary");
                    }

                    result[new InfoHash(key.Span)] = new ScrapeStats(
                        BencodeFields.Int(stats["complete"], "complete") ?? 0,
                        BencodeFields.Int(stats["downloaded"], "downloaded") ?? 0,
                        BencodeFields.Int(stats["incomplete"], "incomplete") ?? 0);
                }

                break;
            default:
                throw new TrackerProtocolException("files is not a dictionary");
        }

        return new ScrapeResponse { Files = result };
    }
}
