using System.Globalization;
using Shoal.Bencoding;

namespace Shoal.Metainfo.Creation;

/// <summary>Encodes new content and its hashes as a .torrent file (BEP 3, BEP 52, BEP 47, BEP 12, BEP 19, BEP 27).</summary>
public static class TorrentWriter
{
    public static byte[] Write(ContentSource source, PieceLayout layout, PieceHashes hashes, TorrentCreationOptions options)
    {
        bool v1 = options.Version.HasV1();
        bool v2 = options.Version.HasV2();
        byte[][] roots = v2 ? [.. hashes.V2PieceLayers.Select(layer => layer is null ? [] : FileRoot(layer, layout.PieceLength))] : [];

        var info = new BDictionary()
            .Set("name", new BString(source.Name))
            .Set("piece length", new BInteger(layout.PieceLength));
        if (options.IsPrivate)
        {
            info.Set("private", new BInteger(1));
        }

        if (v1)
        {
            info.Set("pieces", new BString(hashes.V1));
            if (source.IsFolder)
            {
                info.Set("files", V1FileList(layout));
            }
            else
            {
                info.Set("length", new BInteger(source.Files[0].Length));
                SetAttributes(info, source.Files[0].Attributes);
            }
        }

        if (v2)
        {
            info.Set("meta version", new BInteger(2));
            info.Set("file tree", FileTree(source, roots));
        }

        var torrent = new BDictionary().Set("info", info);
        if (options.Trackers.Count > 0)
        {
            torrent.Set("announce", new BString(options.Trackers[0]));
        }

        if (options.Trackers.Count > 1)
        {
            torrent.Set("announce-list", new BList(options.Trackers.Select(url => new BList([new BString(url)]))));
        }

        if (!string.IsNullOrEmpty(options.Comment))
        {
            torrent.Set("comment", new BString(options.Comment));
        }

        if (!string.IsNullOrEmpty(options.CreatedBy))
        {
            torrent.Set("created by", new BString(options.CreatedBy));
        }

        if (options.CreationDate is { } date)
        {
            torrent.Set("creation date", new BInteger(date.ToUnixTimeSeconds()));
        }

        if (v2)
        {
            torrent.Set("piece layers", PieceLayers(hashes, roots));
        }

        if (options.WebSeeds.Count > 0)
        {
            torrent.Set("url-list", options.WebSeeds.Count == 1
                ? new BString(options.WebSeeds[0])
                : new BList(options.WebSeeds.Select(url => new BString(url))));
        }

        return torrent.Encode();
    }

    private static byte[] FileRoot(byte[] pieceLayer, long pieceLength) =>
        pieceLayer.Length == MerkleTree.HashSize ? pieceLayer : MerkleTree.RootFromPieceLayer(pieceLayer, pieceLength);

    private static BList V1FileList(PieceLayout layout)
    {
        var files = new BList();
        foreach (PieceLayout.Segment segment in layout.Segments)
        {
            var entry = new BDictionary().Set("length", new BInteger(segment.Length));
            if (segment.File is null)
            {
                // BEP 47: padding files carry the 'p' attribute and the recommended .pad/N path.
                entry.Set("attr", new BString("p"));
                entry.Set("path", new BList([new BString(".pad"), new BString(segment.Length.ToString(CultureInfo.InvariantCulture))]));
            }
            else
            {
                entry.Set("path", new BList(segment.File.RelativePath.Select(c => new BString(c))));
                SetAttributes(entry, segment.File.Attributes);
            }

            files.Add(entry);
        }

        return files;
    }

    // BEP 52: a multi-file tree starts below the torrent's name; a single file is keyed by its name.
    private static BDictionary FileTree(ContentSource source, byte[][] roots)
    {
        var tree = new BDictionary();
        for (int i = 0; i < source.Files.Count; i++)
        {
            SourceFile file = source.Files[i];
            BDictionary folder = tree;
            foreach (string component in file.RelativePath.SkipLast(1))
            {
                if (folder[component] is not BDictionary child)
                {
                    child = new BDictionary();
                    folder.Set(component, child);
                }

                folder = child;
            }

            var properties = new BDictionary().Set("length", new BInteger(file.Length));
            if (file.Length > 0)
            {
                properties.Set("pieces root", new BString(roots[i]));
            }

            SetAttributes(properties, file.Attributes);

            folder.Set(file.RelativePath[^1], new BDictionary().Set("", properties));
        }

        return tree;
    }

    private static void SetAttributes(BDictionary entry, string attributes)
    {
        if (attributes.Length > 0)
        {
            entry.Set("attr", new BString(attributes));
        }
    }

    private static BDictionary PieceLayers(PieceHashes hashes, byte[][] roots)
    {
        var layers = new BDictionary();
        for (int i = 0; i < roots.Length; i++)
        {
            if (hashes.V2PieceLayers[i] is { Length: > MerkleTree.HashSize } layer)
            {
                layers.Set(new BString(roots[i]), new BString(layer));
            }
        }

        return layers;
    }
}
