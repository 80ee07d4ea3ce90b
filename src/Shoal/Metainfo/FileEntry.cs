namespace Shoal.Metainfo;

/// <summary>
/// One file of a torrent, placed in the torrent's piece address space. Padding files (BEP 47)
/// are entries too, so that offsets add up; they are never written to disk.
/// </summary>
public sealed record FileEntry
{
    /// <summary>Path components below the torrent's root (for a single-file torrent, just its name).</summary>
    public required IReadOnlyList<string> Path { get; init; }

    public required long Length { get; init; }

    /// <summary>Offset of the file's first byte in the piece address space.</summary>
    public required long Offset { get; init; }

    /// <summary>BEP 47 attribute characters (p = padding, x = executable, h = hidden, l = symlink).</summary>
    public string Attributes { get; init; } = "";

    /// <summary>BEP 52 Merkle root of the file's 16 KiB blocks; null for v1-only torrents and empty files.</summary>
    public ReadOnlyMemory<byte>? PiecesRoot { get; init; }

    public bool IsPadding => Attributes.Contains('p', StringComparison.Ordinal);

    public bool IsExecutable => Attributes.Contains('x', StringComparison.Ordinal);

    public string DisplayPath => string.Join('/', Path);

    public long EndOffset => Offset + Length;
}
