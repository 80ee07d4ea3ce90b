namespace Shoal.Net.PortMapping;

/// <summary>
/// When each of the session's ports is asked for next, and what its status is, sans I/O on the times it is given. A
/// mapping is renewed at half of what is left of its lease (RFC 6886 3.3, RFC 6887 11.2.1), at least once an hour
/// (a lease for ever still ends when the router restarts). A failure is tried again after 15 s, doubling to 30 min; a
/// mapping whose renewal failed stays mapped until its lease runs out.
/// </summary>
public sealed class PortMappingSchedule
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan LongestRenewal = TimeSpan.FromHours(1);

    // A gateway granting seconds must not make us ask it in a loop.
    private static readonly TimeSpan ShortestRenewal = TimeSpan.FromSeconds(5);

    private readonly Dictionary<MappingProtocol, Entry> _entries = [];

    /// <summary>Every port is due at <paramref name="now"/>.</summary>
    public PortMappingSchedule(IEnumerable<(MappingProtocol Protocol, int Port)> ports, DateTimeOffset now)
    {
        foreach ((MappingProtocol protocol, int port) in ports)
        {
            _entries[protocol] = new Entry(port) { Due = now };
        }
    }

    /// <summary>When the next port is due, or null when there are none.</summary>
    public DateTimeOffset? NextDue => _entries.Count == 0 ? null : _entries.Values.Min(e => e.Due);

    /// <summary>The leases held now, for deleting on a clean stop.</summary>
    public IReadOnlyList<PortMappingLease> Leases => [.. _entries.Values.Where(e => e.Lease is not null).Select(e => e.Lease!)];

    /// <summary>The ports to ask for now, TCP first.</summary>
    public IReadOnlyList<MappingProtocol> Due(DateTimeOffset now) => [.. _entries.Where(e => e.Value.Due <= now).Select(e => e.Key).Order()];

    public int InternalPort(MappingProtocol protocol) => _entries[protocol].InternalPort;

    /// <summary>The external port to ask for: the one granted before, else the same as ours.</summary>
    public int WantedExternalPort(MappingProtocol protocol) => _entries[protocol].Lease?.ExternalPort ?? _entries[protocol].InternalPort;

    public void Mapped(PortMappingLease lease, DateTimeOffset now)
    {
        Entry entry = _entries[lease.Protocol];
        entry.Lease = lease;
        entry.Error = null;
        entry.Failures = 0;
        entry.State = PortMappingState.Mapped;
        TimeSpan half = lease.Expires == DateTimeOffset.MaxValue ? LongestRenewal : (lease.Expires - now) / 2;
        entry.Due = now + Clamp(half, ShortestRenewal, LongestRenewal);
    }

    /// <summary>
    /// Asking failed (<paramref name="state"/>: <see cref="PortMappingState.Failed"/> or <see cref="PortMappingState.NoGateway"/>).
    /// A lease still running stays mapped, with the error beside it.
    /// </summary>
    public void Failed(MappingProtocol protocol, string error, PortMappingState state, DateTimeOffset now)
    {
        Entry entry = _entries[protocol];
        entry.Error = error;
        entry.Failures++;
        if (entry.Lease is null || entry.Lease.Expires <= now)
        {
            entry.Lease = null;
            entry.State = state;
        }

        TimeSpan retry = FirstRetry * Math.Pow(2, Math.Min(entry.Failures - 1, 16));
        entry.Due = now + (retry < LongestRetry ? retry : LongestRetry);
    }

    /// <summary>Each port's status; a lease that ran out unrenewed shows as failed.</summary>
    public IReadOnlyList<PortMappingStatus> Statuses(DateTimeOffset now) => [.. _entries.OrderBy(e => e.Key).Select(e =>
    {
        Entry entry = e.Value;
        bool expired = entry.Lease is { } lease && lease.Expires <= now;
        PortMappingLease? held = expired ? null : entry.Lease;
        PortMappingState state = expired ? PortMappingState.Failed : entry.State;
        string? error = expired ? entry.Error ?? "the mapping ran out before it was renewed" : entry.Error;
        return new PortMappingStatus(e.Key, entry.InternalPort, state, held?.Method, held?.ExternalPort, held?.Expires, error);
    })];

    private static TimeSpan Clamp(TimeSpan value, TimeSpan low, TimeSpan high) => value < low ? low : value > high ? high : value;

    private sealed class Entry(int internalPort)
    {
        public int InternalPort { get; } = internalPort;

        public PortMappingState State { get; set; } = PortMappingState.Mapping;

        public PortMappingLease? Lease { get; set; }

        public string? Error { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset Due { get; set; }
    }
}
