using Shoal.Bencoding;

namespace Shoal.Tests.Metainfo;

/// <summary>Builds small .torrent files by hand, including ones no honest client would make.</summary>
public static class HostileTorrents
{
    public const int PieceLength = 16384;

    public static byte[] V1MultiFile(string name, params string[][] paths)
    {
        var files = new BList(paths.Select(path => (BValue)new BDictionary()
            .Set("length", new BInteger(10))
            .Set("path", new BList(path.Select(p => (BValue)new BString(p))))));
        int pieces = (int)Math.Ceiling(paths.Length * 10 / (double)PieceLength);
        var info = new BDictionary()
            .Set("name", new BString(name))
            .Set("piece length", new BInteger(PieceLength))
            .Set("pieces", new BString(new byte[20 * pieces]))
            .Set("files", files);
        return new BDictionary().Set("info", info).Encode();
    }

    public static byte[] V1SingleFile(string name, long length = 10) => new BDictionary()
        .Set("info", new BDictionary()
            .Set("name", new BString(name))
            .Set("piece length", new BInteger(PieceLength))
            .Set("pieces", new BString(new byte[20 * Math.Max(1, (int)((length + PieceLength - 1) / PieceLength))]))
            .Set("length", new BInteger(length)))
        .Encode();

    public static byte[] V2WithTree(string name, BDictionary fileTree) => new BDictionary()
        .Set("info", new BDictionary()
            .Set("name", new BString(name))
            .Set("piece length", new BInteger(PieceLength))
            .Set("meta version", new BInteger(2))
            .Set("file tree", fileTree))
        .Set("piece layers", new BDictionary())
        .Encode();

    public static BDictionary FileNode(long length) => new BDictionary().Set("", new BDictionary()
        .Set("length", new BInteger(length))
        .Set("pieces root", new BString(new byte[32])));
}
