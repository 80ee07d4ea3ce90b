using System.Globalization;
using System.Security.Cryptography;
using Shoal.Bencoding;

namespace Shoal.Metainfo;

/// <summary>Validates an info dictionary and lays its files out in the piece address space.</summary>
internal static class InfoParser
{
    internal const long MaxTotalSize = long.MaxValue / 4;

    // Keeps the v1 'pieces' string and a have-bitfield within sane memory.
    private const int MaxPieceCount = 50_000_000;
    private const long MaxPieceLength = 512L * 1024 * 1024;

    public static Torrent Parse(
        BDictionary info,
        ReadOnlyMemory<byte> infoBytes,
        IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? pieceLayers)
    {
        // BEP 52: check the meta version before anything else.
        int metaVersion = info["meta version"] switch
        {
            null => 1,
            BInteger { Value: 2 } => 2,
            BInteger { Value: > 2 } newer => throw new MetainfoException(
                $"this torrent uses meta version {newer.Value}, newer than this client understands (2)"),
            _ => throw new MetainfoException("'meta version' must be the integer 2"),
        };

        if (info["name"] is not BString { Bytes.Length: > 0 } nameValue)
        {
            throw new MetainfoException("the info dictionary has no 'name'");
        }

        string name = nameValue.Text;
        if (PathSafety.FindProblem(name) is { } nameProblem)
        {
            throw new MetainfoException($"unsafe torrent name: {nameProblem}");
        }

        if (info["piece length"] is not BInteger { Value: > 0 and <= MaxPieceLength } pieceLengthValue)
        {
            throw new MetainfoException($"'piece length' must be an integer from 1 to {MaxPieceLength}");
        }

        long pieceLength = pieceLengthValue.Value;
        bool hasV1 = info.ContainsKey("pieces");
        bool hasV2 = metaVersion == 2;
        if (hasV2 && !PieceLengthRules.IsValidForV2(pieceLength))
        {
            throw new MetainfoException($"'piece length' {pieceLength} must be a power of two of at least 16 KiB in a v2 torrent");
        }

        bool v1MultiFile = false;
        bool v2MultiFile = false;
        List<FileEntry>? v1Files = hasV1 ? ReadV1Files(info, name, out v1MultiFile) : null;
        List<FileEntry>? v2Files = hasV2 ? FileTreeReader.Read(info["file tree"], pieceLength, out v2MultiFile) : null;
        if (v1Files is null && v2Files is null)
        {
            throw new MetainfoException("the info dictionary has neither v1 'pieces' nor a v2 'file tree'");
        }

        List<FileEntry> files = (v1Files, v2Files) switch
        {
            ({ } v1, { } v2) => MergeHybrid(v1, v2, pieceLength),
            ({ } v1, null) => v1,
            _ => v2Files!,
        };

        FilePathConflicts.Check(files);
        long spaceSize = files.Count == 0 ? 0 : files[^1].EndOffset;
        if (files.All(f => f.Length == 0 || f.IsPadding))
        {
            throw new MetainfoException("the torrent holds no data: every file is empty");
        }

        long piecesNeeded = (spaceSize + pieceLength - 1) / pieceLength;
        if (spaceSize > MaxTotalSize || piecesNeeded > MaxPieceCount)
        {
            throw new MetainfoException($"{spaceSize} bytes in pieces of {pieceLength} is more pieces than a torrent may have ({MaxPieceCount})");
        }

        int pieceCount = (int)piecesNeeded;
        ReadOnlyMemory<byte> v1Hashes = default;
        if (hasV1)
        {
            if (info["pieces"] is not BString pieces || pieces.Bytes.Length != pieceCount * 20)
            {
                throw new MetainfoException($"'pieces' must hold {pieceCount} SHA-1 hashes ({pieceCount * 20} bytes) for {spaceSize} bytes in pieces of {pieceLength}");
            }

            v1Hashes = pieces.Bytes;
        }

        if (hasV2 && pieceLayers is not null)
        {
            CheckPieceLayers(files, pieceLength, pieceLayers);
        }

        return new Torrent
        {
            Name = name,
            PieceLength = pieceLength,
            PieceCount = pieceCount,
            Version = TorrentVersionExtensions.FromParts(hasV1, hasV2),
            InfoHashes = new InfoHashes(
                hasV1 ? new InfoHash(SHA1.HashData(infoBytes.Span)) : null,
                hasV2 ? new InfoHash(SHA256.HashData(infoBytes.Span)) : null),
            InfoBytes = infoBytes,
            Files = files,
            IsMultiFile = hasV1 ? v1MultiFile : v2MultiFile,
            IsPrivate = info["private"] is BInteger { Value: 1 },
            PieceHashesV1 = v1Hashes,
        };
    }

    private static List<FileEntry> ReadV1Files(BDictionary info, string name, out bool multiFile)
    {
        multiFile = info["files"] is not null;
        if (!multiFile)
        {
            if (info["length"] is not BInteger { Value: >= 0 and <= MaxTotalSize } length)
            {
                throw new MetainfoException("a single-file torrent needs a non-negative 'length'");
            }

            return [new FileEntry { Path = [name], Length = length.Value, Offset = 0, Attributes = AttributesOf(info) }];
        }

        if (info["length"] is not null)
        {
            throw new MetainfoException("the info dictionary has both 'length' and 'files'");
        }

        if (info["files"] is not BList { Count: > 0 } list)
        {
            throw new MetainfoException("'files' must be a non-empty list");
        }

        var files = new List<FileEntry>(list.Count);
        long offset = 0;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not BDictionary entry || entry["length"] is not BInteger { Value: >= 0 and <= MaxTotalSize } length)
            {
                throw new MetainfoException($"file entry {i} needs a non-negative 'length'");
            }

            string attributes = AttributesOf(entry);
            IReadOnlyList<string> path = attributes.Contains('p', StringComparison.Ordinal)
                ? [".pad", length.Value.ToString(CultureInfo.InvariantCulture)]
                : ReadPath(entry, i);
            files.Add(new FileEntry { Path = path, Length = length.Value, Offset = offset, Attributes = attributes });
            offset += length.Value;
            if (offset > MaxTotalSize)
            {
                throw new MetainfoException("the files' lengths add up to more than any disk holds");
            }
        }

        return files;
    }

    private static List<string> ReadPath(BDictionary entry, int index)
    {
        if (entry["path"] is not BList { Count: > 0 } pathList || pathList.Any(p => p is not BString))
        {
            throw new MetainfoException($"file entry {index} needs a 'path' list of strings");
        }

        List<string> path = [.. pathList.Cast<BString>().Select(p => p.Text)];
        PathSafety.ValidateComponents(path, () => $"file entry {index} ('{string.Join('/', path)}')");
        if (entry["symlink path"] is BList target)
        {
            List<string> targetPath = [.. target.OfType<BString>().Select(p => p.Text)];
            PathSafety.ValidateComponents(targetPath, () => $"the symlink target of file entry {index}");
        }

        return path;
    }

    internal static string AttributesOf(BDictionary entry) => (entry["attr"] as BString)?.Text ?? "";

    // Hybrid torrents: the v1 file list (less padding) must describe exactly the v2 file tree, at the same offsets.
    private static List<FileEntry> MergeHybrid(List<FileEntry> v1Files, List<FileEntry> v2Files, long pieceLength)
    {
        var merged = new List<FileEntry>(v1Files.Count);
        int v2Index = 0;
        foreach (FileEntry v1 in v1Files)
        {
            if (v1.IsPadding)
            {
                merged.Add(v1);
                continue;
            }

            FileEntry? v2 = v2Index < v2Files.Count ? v2Files[v2Index++] : null;
            if (v2 is null || !v2.Path.SequenceEqual(v1.Path, StringComparer.Ordinal) || v2.Length != v1.Length)
            {
                throw new MetainfoException($"hybrid torrent: the v1 file '{v1.DisplayPath}' does not match the v2 file tree");
            }

            if (v1.Length > 0 && v1.Offset % pieceLength != 0)
            {
                throw new MetainfoException($"hybrid torrent: the v1 file '{v1.DisplayPath}' is not aligned to a piece boundary");
            }

            merged.Add(v1 with { PiecesRoot = v2.PiecesRoot });
        }

        if (v2Index != v2Files.Count)
        {
            throw new MetainfoException($"hybrid torrent: the v2 file '{v2Files[v2Index].DisplayPath}' is missing from the v1 file list");
        }

        return merged;
    }

    // BEP 52: every file larger than one piece has a piece layer whose Merkle root is the file's pieces root.
    private static void CheckPieceLayers(
        List<FileEntry> files,
        long pieceLength,
        IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> pieceLayers)
    {
        foreach (FileEntry file in files)
        {
            if (file.IsPadding || file.Length <= pieceLength || file.PiecesRoot is not { } root)
            {
                continue;
            }

            long pieces = (file.Length + pieceLength - 1) / pieceLength;
            if (!pieceLayers.TryGetValue(root, out ReadOnlyMemory<byte> layer))
            {
                throw new MetainfoException($"'piece layers' has no entry for the file '{file.DisplayPath}'");
            }

            if (layer.Length != pieces * MerkleTree.HashSize)
            {
                throw new MetainfoException($"the piece layer of '{file.DisplayPath}' holds {layer.Length / MerkleTree.HashSize} hashes, not {pieces}");
            }

            if (!MerkleTree.RootFromPieceLayer(layer.Span, pieceLength).AsSpan().SequenceEqual(root.Span))
            {
                throw new MetainfoException($"the piece layer of '{file.DisplayPath}' does not match its pieces root");
            }
        }
    }
}
