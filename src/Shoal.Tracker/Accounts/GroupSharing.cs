namespace Shoal.Tracker.Accounts;

/// <summary>What became of a request to share a torrent into a group.</summary>
public enum GroupSharing
{
    Shared,

    /// <summary>A group already shares a torrent with one of those info-hashes.</summary>
    AlreadyShared,

    /// <summary>One of its swarms is in the public index: it cannot be a group's.</summary>
    PublicFile,
}
