namespace Shoal.Session;

/// <summary>Where a web seed (BEP 19) stands.</summary>
public enum WebSeedState
{
    /// <summary>Not in use: the torrent is complete, not running, or has not tried it yet.</summary>
    Idle,

    /// <summary>Fetching what the swarm asks of it.</summary>
    Connected,

    /// <summary>It failed; tried again at <see cref="WebSeedStatus.RetryAt"/>.</summary>
    Waiting,

    /// <summary>It served data that failed its hash check: never used again in this session.</summary>
    Discarded,
}
