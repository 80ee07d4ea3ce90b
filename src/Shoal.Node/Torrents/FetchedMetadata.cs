using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Node.Torrents;

/// <summary>
/// What the node keeps of a torrent whose metadata came from peers (BEP 9): its trackers and the info
/// dictionary exactly as received, as <c>{"announce-list", "info"}</c>, so a restart needs no second fetch.
/// Not a .torrent: a v2 or hybrid one would need piece layers, which are not in the info dictionary.
/// </summary>
internal static class FetchedMetadata
{
    public static byte[] Write(Torrent torrent)
    {
        var writer = new BencodeWriter();
        writer.WriteDictionaryStart();
        writer.WriteString("announce-list");
        writer.WriteListStart();
        foreach (IReadOnlyList<string> tier in torrent.AnnounceTiers)
        {
            writer.WriteListStart();
            foreach (string url in tier)
            {
                writer.WriteString(url);
            }

            writer.WriteEnd();
        }

        writer.WriteEnd();

        // "info" sorts after "announce-list"; its bytes go in as they came, not re-encoded.
        writer.WriteString("info");
        byte[] head = writer.ToArray();
        byte[] kept = new byte[head.Length + torrent.InfoBytes.Length + 1];
        head.CopyTo(kept, 0);
        torrent.InfoBytes.Span.CopyTo(kept.AsSpan(head.Length));
        kept[^1] = (byte)'e';
        return kept;
    }

    public static Torrent Read(byte[] kept)
    {
        BDictionary root = BencodeDecoder.DecodeDictionary(kept);
        BValue info = root["info"] ?? throw new MetainfoException("the kept metadata has no 'info' dictionary");
        Torrent torrent = TorrentParser.ParseInfoDictionary(kept.AsMemory(info.SourceStart, info.SourceLength));
        List<IReadOnlyList<string>> tiers = root["announce-list"] is BList list
            ? [.. list.OfType<BList>().Select(tier => (IReadOnlyList<string>)[.. tier.OfType<BString>().Select(url => url.Text)])]
            : [];
        return torrent with { AnnounceTiers = tiers };
    }
}
