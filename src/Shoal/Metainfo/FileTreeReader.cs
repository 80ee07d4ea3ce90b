using Shoal.Bencoding;

namespace Shoal.Metainfo;

/// <summary>Reads a BEP 52 'file tree' into files, each non-empty file aligned to a piece boundary.</summary>
internal static class FileTreeReader
{
    public static List<FileEntry> Read(BValue? tree, long pieceLength, out bool multiFile)
    {
        if (tree is not BDictionary { Count: > 0 } root)
        {
            throw new MetainfoException("a v2 torrent needs a non-empty 'file tree' dictionary");
        }

        if (root.ContainsKey(""))
        {
            throw new MetainfoException("the root of the 'file tree' must not be a file");
        }

        var files = new List<FileEntry>();
        long offset = 0;
        Walk(root, [], files, pieceLength, ref offset);
        multiFile = files.Count != 1 || files[0].Path.Count != 1;
        return files;
    }

    private static void Walk(BDictionary directory, List<string> path, List<FileEntry> files, long pieceLength, ref long offset)
    {
        foreach (var (key, value) in directory)
        {
            path.Add(key.Text);
            string display = string.Join('/', path);
            if (value is not BDictionary node)
            {
                throw new MetainfoException($"file tree entry '{display}' is not a dictionary");
            }

            if (PathSafety.FindProblem(key.Text) is { } problem)
            {
                throw new MetainfoException($"unsafe path in file tree entry '{display}': {problem}");
            }

            if (node[""] is BDictionary properties)
            {
                if (node.Count != 1)
                {
                    throw new MetainfoException($"file tree entry '{display}' is a file and a directory at once");
                }

                files.Add(ReadFile(properties, [.. path], display, pieceLength, ref offset));
            }
            else if (node.ContainsKey(""))
            {
                throw new MetainfoException($"file tree entry '{display}' has a malformed file description");
            }
            else
            {
                Walk(node, path, files, pieceLength, ref offset);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    private static FileEntry ReadFile(BDictionary properties, List<string> path, string display, long pieceLength, ref long offset)
    {
        if (properties["length"] is not BInteger { Value: >= 0 and <= InfoParser.MaxTotalSize } length)
        {
            throw new MetainfoException($"file '{display}' needs a non-negative 'length'");
        }

        ReadOnlyMemory<byte>? root = null;
        if (length.Value > 0)
        {
            if (properties["pieces root"] is not BString { Bytes.Length: MerkleTree.HashSize } piecesRoot)
            {
                throw new MetainfoException($"file '{display}' needs a 32-byte 'pieces root'");
            }

            root = piecesRoot.Bytes;
            offset = (offset + pieceLength - 1) / pieceLength * pieceLength;
        }

        var file = new FileEntry
        {
            Path = path,
            Length = length.Value,
            Offset = offset,
            Attributes = InfoParser.AttributesOf(properties),
            PiecesRoot = root,
        };
        offset += length.Value;
        if (offset > InfoParser.MaxTotalSize)
        {
            throw new MetainfoException("the files' lengths add up to more than any disk holds");
        }

        return file;
    }
}
