using Shoal.Bencoding;

namespace Shoal.Metainfo;

/// <summary>
/// Reads .torrent files: v1 (BEP 3), v2 (BEP 52) and hybrid, with BEP 12 tiers, BEP 19 web seeds,
/// BEP 27 private flag and BEP 47 padding files. Every failure is a <see cref="MetainfoException"/>.
/// </summary>
public static class TorrentParser
{
    public static Torrent Parse(ReadOnlyMemory<byte> torrentFile)
    {
        BDictionary root;
        try
        {
            root = BencodeDecoder.Decode(torrentFile) as BDictionary
                ?? throw new MetainfoException("not a torrent file: the top level is not a dictionary");
        }
        catch (BencodeException e)
        {
            throw new MetainfoException($"not a valid torrent file: {e.Message}", e);
        }

        if (root["info"] is not BDictionary info)
        {
            throw new MetainfoException("not a valid torrent file: no 'info' dictionary");
        }

        var layers = ReadPieceLayers(root);
        Torrent torrent = InfoParser.Parse(info, torrentFile.Slice(info.SourceStart, info.SourceLength), layers);
        return torrent with
        {
            PieceLayers = layers,
            AnnounceTiers = ReadTiers(root),
            WebSeeds = ReadWebSeeds(root),
            Comment = OptionalText(root, "comment"),
            CreatedBy = OptionalText(root, "created by"),
            CreationDate = root["creation date"] is BInteger { Value: >= 0 and <= 253402300799 } date
                ? DateTimeOffset.FromUnixTimeSeconds(date.Value)
                : null,
        };
    }

    private static Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> ReadPieceLayers(BDictionary root)
    {
        var layers = new Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(ByteMemoryComparer.Instance);
        if (root["piece layers"] is not BDictionary dictionary)
        {
            return layers;
        }

        foreach (var (key, value) in dictionary)
        {
            if (key.Bytes.Length != MerkleTree.HashSize || value is not BString layer
                || layer.Bytes.Length == 0 || layer.Bytes.Length % MerkleTree.HashSize != 0)
            {
                throw new MetainfoException("invalid 'piece layers': each key must be a 32-byte root and each value whole 32-byte hashes");
            }

            layers[key.Bytes] = layer.Bytes;
        }

        return layers;
    }

    // BEP 12: announce-list takes precedence over announce when present.
    private static List<IReadOnlyList<string>> ReadTiers(BDictionary root)
    {
        var tiers = new List<IReadOnlyList<string>>();
        if (root["announce-list"] is BList list)
        {
            foreach (BValue tier in list)
            {
                if (tier is BList urls)
                {
                    List<string> valid = [.. urls.OfType<BString>().Select(u => u.Text.Trim()).Where(u => u.Length > 0)];
                    if (valid.Count > 0)
                    {
                        tiers.Add(valid);
                    }
                }
            }
        }

        if (tiers.Count == 0 && OptionalText(root, "announce") is { Length: > 0 } announce)
        {
            tiers.Add([announce.Trim()]);
        }

        return tiers;
    }

    // BEP 19: url-list is a single URL or a list of them.
    private static List<string> ReadWebSeeds(BDictionary root) => root["url-list"] switch
    {
        BString single when single.Bytes.Length > 0 => [single.Text],
        BList list => [.. list.OfType<BString>().Where(s => s.Bytes.Length > 0).Select(s => s.Text)],
        _ => [],
    };

    private static string? OptionalText(BDictionary dictionary, string key) => (dictionary[key] as BString)?.Text;

    /// <summary>Parses a bare info dictionary, as fetched from peers (BEP 9); piece layers come later.</summary>
    public static Torrent ParseInfoDictionary(ReadOnlyMemory<byte> infoBytes)
    {
        BDictionary info;
        try
        {
            info = BencodeDecoder.DecodeDictionary(infoBytes);
        }
        catch (BencodeException e)
        {
            throw new MetainfoException($"not a valid info dictionary: {e.Message}", e);
        }

        return InfoParser.Parse(info, infoBytes, pieceLayers: null);
    }
}
