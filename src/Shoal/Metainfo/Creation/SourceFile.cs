namespace Shoal.Metainfo.Creation;

/// <summary>A file on disk that becomes part of a new torrent.</summary>
public sealed record SourceFile(string FullPath, IReadOnlyList<string> RelativePath, long Length);
