namespace Shoal.Discovery.Trackers;

/// <summary>Bounds of an <see cref="HttpTrackerClient"/> request.</summary>
public sealed record HttpTrackerOptions
{
    /// <summary>The defaults: 30 s per request, responses up to 1 MiB.</summary>
    public static HttpTrackerOptions Default { get; } = new();

    /// <summary>How long a whole request (connect, send, headers and body) may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest response body accepted, in bytes; a larger one is a <see cref="TrackerException"/>.</summary>
    public int MaxResponseBytes { get; init; } = 1 << 20;
}
