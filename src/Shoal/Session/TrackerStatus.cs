namespace Shoal.Session;

/// <summary>One tracker of a torrent as the last announce left it.</summary>
/// <param name="Url">The tracker's URL.</param>
/// <param name="Tier">Its BEP 12 tier, from 0.</param>
public sealed record TrackerStatus(Uri Url, int Tier)
{
    /// <summary>When it last answered an announce.</summary>
    public DateTimeOffset? LastAnnounce { get; init; }

    /// <summary>Why its last announce failed; <see langword="null"/> once it answers.</summary>
    public string? LastError { get; init; }

    /// <summary>Seeders in its last answer, when it said.</summary>
    public int? Seeders { get; init; }

    /// <summary>Leechers in its last answer, when it said.</summary>
    public int? Leechers { get; init; }

    /// <summary>Peers its last answer listed.</summary>
    public int Peers { get; init; }

    /// <summary>When its tier announces next; <see langword="null"/> while the torrent is not running.</summary>
    public DateTimeOffset? NextAnnounce { get; init; }
}
