namespace Shoal.Metainfo.Creation;

/// <summary>A file on disk that becomes part of a new torrent.</summary>
public sealed record SourceFile(string FullPath, IReadOnlyList<string> RelativePath, long Length, bool IsExecutable = false)
{
    /// <summary>BEP 47 attributes libtorrent writes for such a file: 'x' for an executable one.</summary>
    public string Attributes => IsExecutable ? "x" : "";
}
