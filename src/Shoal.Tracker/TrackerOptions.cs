namespace Shoal.Tracker;

/// <summary>How a tracker instance runs: where it listens, what it stores, and what it answers.</summary>
public sealed record TrackerOptions
{
    /// <summary>The port number for both HTTP (TCP) and UDP (BEP 15).</summary>
    public int Port { get; init; } = 6969;
}
