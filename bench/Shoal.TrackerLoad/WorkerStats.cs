namespace Shoal.TrackerLoad;

/// <summary>One worker's counts, owned by that worker until the run ends, then summed.</summary>
internal sealed class WorkerStats
{
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Announces answered with a peer list (measured window only).</summary>
    public long Announces { get; set; }

    /// <summary>Non-200 statuses, failure reasons, error actions, broken connections.</summary>
    public long Errors { get; set; }

    public long Timeouts { get; set; }

    /// <summary>TCP connections opened (http) or BEP 15 connects made (udp).</summary>
    public long Connects { get; set; }

    public long BytesReceived { get; set; }

    public void Add(WorkerStats other)
    {
        Latency.Add(other.Latency);
        Announces += other.Announces;
        Errors += other.Errors;
        Timeouts += other.Timeouts;
        Connects += other.Connects;
        BytesReceived += other.BytesReceived;
    }
}
