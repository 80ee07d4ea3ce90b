namespace Shoal.Tracker.Index;

/// <summary>What became of a request to register a torrent in the public index.</summary>
public enum Registration
{
    Created,

    /// <summary>A torrent with the same info-hashes was registered before: that one stands.</summary>
    Existing,

    /// <summary>One of its swarms is a group's (shared or no longer shared): it stays out of the public index.</summary>
    GroupFile,
}
