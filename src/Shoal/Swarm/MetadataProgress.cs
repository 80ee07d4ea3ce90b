namespace Shoal.Swarm;

/// <summary>Where a <see cref="MetadataFetcher"/> stands after a message from one peer.</summary>
public enum MetadataProgress
{
    /// <summary>Nothing decided yet: keep the connection.</summary>
    Pending,

    /// <summary>The metadata is assembled and matches the magnet's info-hashes.</summary>
    Complete,

    /// <summary>The peer cannot give us the metadata (no ut_metadata, or it rejected a piece): close it.</summary>
    Refused,

    /// <summary>The peer's metadata does not match the info-hashes: close and ban it.</summary>
    Corrupt,
}
