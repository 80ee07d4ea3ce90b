namespace Shoal.Metainfo.Creation;

/// <summary>A torrent could not be made from the given content (missing, empty, unreadable or unsafe names).</summary>
public sealed class TorrentCreationException : Exception
{
    public TorrentCreationException(string message)
        : base(message)
    {
    }

    public TorrentCreationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
