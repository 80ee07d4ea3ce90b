using System.Security.Cryptography;
using System.Text;
using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Tests.Metainfo;

public class TorrentParserTests
{
    [Fact]
    public void The_info_hash_is_taken_over_the_info_bytes_as_received()
    {
        // Keys out of order: re-encoding would sort them and change the hash.
        string info = "d4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces20:" + new string('a', 20) + "e";
        byte[] torrent = Encoding.Latin1.GetBytes("d8:announce9:http://t/4:info" + info + "e");
        Torrent parsed = TorrentParser.Parse(torrent);

        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.Latin1.GetBytes(info))), parsed.InfoHashes.V1!.ToHex());
        Assert.Equal(info, Encoding.Latin1.GetString(parsed.InfoBytes.Span));
        Assert.Equal([["http://t/"]], parsed.AnnounceTiers);
    }

    [Fact]
    public void V2_info_hashes_truncate_to_20_bytes_for_the_wire()
    {
        var v2 = new InfoHash(SHA256.HashData([1, 2, 3]));
        var hashes = new InfoHashes(null, v2);
        Assert.Equal(v2.Span[..20].ToArray(), hashes.ForWire.Span.ToArray());
        Assert.False(hashes.ForWire.IsV2);
        var v1 = new InfoHash(SHA1.HashData([1, 2, 3]));
        Assert.Equal(v1, new InfoHashes(v1, v2).ForWire);
        Assert.Throws<ArgumentException>(() => new InfoHash(new byte[21]));
    }

    [Fact]
    public void A_newer_meta_version_is_reported_first()
    {
        byte[] torrent = new BDictionary().Set("info", new BDictionary().Set("meta version", new BInteger(3))).Encode();
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(torrent));
        Assert.Contains("meta version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_number_of_piece_hashes_must_match_the_size()
    {
        byte[] torrent = HostileTorrents.V1SingleFile("x", 3 * HostileTorrents.PieceLength);
        var root = BencodeDecoder.DecodeDictionary(torrent);
        ((BDictionary)root["info"]!).Set("pieces", new BString(new byte[40]));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(root.Encode()));
        Assert.Contains("3 SHA-1 hashes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_piece_length_must_be_a_power_of_two()
    {
        byte[] torrent = HostileTorrents.V2WithTree("t", new BDictionary().Set("a", HostileTorrents.FileNode(5)));
        var root = BencodeDecoder.DecodeDictionary(torrent);
        ((BDictionary)root["info"]!).Set("piece length", new BInteger(3 * 16384));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(root.Encode()));
        Assert.Contains("power of two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_file_tree_gives_files_aligned_to_pieces()
    {
        var tree = new BDictionary()
            .Set("a", HostileTorrents.FileNode(5))
            .Set("b", new BDictionary().Set("c", HostileTorrents.FileNode(20000)))
            .Set("e", new BDictionary().Set("", new BDictionary().Set("length", new BInteger(0))));
        byte[] bytes = HostileTorrents.V2WithTree("t", tree);
        var root = BencodeDecoder.DecodeDictionary(bytes);
        byte[] layer = new byte[64];
        root.Set("piece layers", new BDictionary().Set(new BString(MerkleTree.RootFromPieceLayer(layer, 16384)), new BString(layer)));
        var subtree = (BDictionary)((BDictionary)((BDictionary)root["info"]!)["file tree"]!)["b"]!;
        ((BDictionary)((BDictionary)subtree["c"]!)[""]!).Set("pieces root", new BString(MerkleTree.RootFromPieceLayer(layer, 16384)));

        Torrent torrent = TorrentParser.Parse(root.Encode());
        Assert.Equal(TorrentVersion.V2, torrent.Version);
        Assert.True(torrent.IsMultiFile);
        Assert.Equal(["a", "b/c", "e"], torrent.Files.Select(f => f.DisplayPath));
        Assert.Equal([0L, 16384L, 36384L], torrent.Files.Select(f => f.Offset));
        Assert.Equal(3, torrent.PieceCount);
    }

    [Fact]
    public void A_missing_piece_layer_is_reported()
    {
        byte[] torrent = HostileTorrents.V2WithTree("t", new BDictionary().Set("a", HostileTorrents.FileNode(40000)));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(torrent));
        Assert.Contains("no entry for the file 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hybrid_v1_and_v2_parts_must_agree()
    {
        byte[] v1 = HostileTorrents.V1MultiFile("t", ["a"], ["b"]);
        var root = BencodeDecoder.DecodeDictionary(v1);
        ((BDictionary)root["info"]!)
            .Set("meta version", new BInteger(2))
            .Set("file tree", new BDictionary().Set("a", HostileTorrents.FileNode(10)).Set("c", HostileTorrents.FileNode(10)));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(root.Encode()));
        Assert.Contains("hybrid torrent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not bencode at all", "not a valid torrent file")]
    [InlineData("li1ee", "top level is not a dictionary")]
    [InlineData("de", "no 'info' dictionary")]
    [InlineData("d4:infodee", "no 'name'")]
    public void Garbage_is_reported_clearly(string text, string problem)
    {
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
