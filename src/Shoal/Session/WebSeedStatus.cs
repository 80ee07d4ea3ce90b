namespace Shoal.Session;

/// <summary>One web seed (BEP 19) of a torrent.</summary>
/// <param name="Url">The entry of the torrent's url-list.</param>
/// <param name="State">Whether it is in use, waiting after a failure, or discarded.</param>
/// <param name="Downloaded">Payload kept from it this session.</param>
/// <param name="DownloadRate">Bytes per second it delivers now.</param>
public sealed record WebSeedStatus(string Url, WebSeedState State, long Downloaded, long DownloadRate)
{
    /// <summary>Why it last failed or was discarded.</summary>
    public string? LastError { get; init; }

    /// <summary>When it is tried again, while <see cref="WebSeedState.Waiting"/>.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
