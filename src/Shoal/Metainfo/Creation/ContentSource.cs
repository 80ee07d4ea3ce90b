namespace Shoal.Metainfo.Creation;

/// <summary>What a new torrent is made of: one file, or the files below a folder in torrent order.</summary>
public sealed record ContentSource(string Name, bool IsFolder, IReadOnlyList<SourceFile> Files)
{
    public long TotalSize { get; } = Files.Sum(f => f.Length);
}
