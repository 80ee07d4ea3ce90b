namespace Shoal.TrackerLoad;

/// <summary>One worker's counts, owned by that worker until the run ends, then summed.</summary>
internal sealed class WorkerStats
{
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Announces answered with a peer list (measured window only).</summary>
    public long Announces { get; set; }

    /// <summary>Non-200 statuses, failure reasons, error actions, broken connections.</summary>
    public long Errors { get; private set; }

    /// <summary>The first error's text, to tell a rate limit from a crash.</summary>
    public string? FirstError { get; private set; }

    public long Timeouts { get; set; }

    /// <summary>TCP connections opened (http) or BEP 15 connects made (udp).</summary>
    public long Connects { get; set; }

    public long BytesReceived { get; set; }

    public void Error(string text)
    {
        Errors++;
        FirstError ??= text;
    }

    public void Add(WorkerStats other)
    {
        FirstError ??= other.FirstError;
        Latency.Add(other.Latency);
        Announces += other.Announces;
        Errors += other.Errors;
        Timeouts += other.Timeouts;
        Connects += other.Connects;
        BytesReceived += other.BytesReceived;
    }
}
