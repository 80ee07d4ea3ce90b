using System.Diagnostics.Metrics;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Metrics;

/// <summary>
/// The tracker's own instruments on the <c>Shoal.Tracker</c> meter: announces by protocol and result,
/// the swarms and peers held, and UDP requests waiting for the store or dropped for want of room. <c>/metrics</c> exports them with ASP.NET Core's request durations.
/// </summary>
internal sealed class TrackerMetrics
{
    public const string MeterName = "Shoal.Tracker";
    public const string Http = "http";
    public const string Udp = "udp";

    private static readonly string[] Protocols = [Http, Udp];
    private static readonly AnnounceResult[] Results = [AnnounceResult.Ok, AnnounceResult.Refused, AnnounceResult.Error];

    // Per protocol and result, read when /metrics is scraped: a counter's Add with tags looked its tag
    // set up on every announce, a few percent of a UDP announce's CPU.
    private readonly long[] _announces = new long[Protocols.Length * Results.Length];
    private readonly Counter<long> _udpDropped;
    private readonly UpDownCounter<long> _udpPending;

    /// <summary>The meter comes from the web host's factory, which disposes it with the host.</summary>
    public TrackerMetrics(IMeterFactory meters, ISwarmStore swarms)
    {
        Meter meter = meters.Create(MeterName);
        meter.CreateObservableCounter("shoal.tracker.announces", ObserveAnnounces, "{announce}", "Announces answered, by protocol (http, udp) and result (ok, refused, error).");
        _udpDropped = meter.CreateCounter<long>("shoal.tracker.udp.dropped", "{packet}", "UDP requests dropped unread because the most allowed were waiting for the store.");
        _udpPending = meter.CreateUpDownCounter<long>("shoal.tracker.udp.pending", "{request}", "UDP requests waiting for the store (PostgreSQL).");
        // Swarms in PostgreSQL are shared by every tracker instance: each reporting the whole table
        // would count it once per instance, so only a store of this instance's own gives totals.
        if (swarms is ISwarmTotals totals)
        {
            meter.CreateObservableGauge("shoal.tracker.swarms", () => totals.SwarmCount, "{swarm}", "Swarms with at least one peer.");
            meter.CreateObservableGauge("shoal.tracker.peers", () => totals.PeerCount, "{peer}", "Peers that announced within the peer timeout.");
        }
    }

    public void Announced(string protocol, AnnounceResult result) => Interlocked.Increment(ref _announces[Slot(protocol, result)]);

    public void UdpDropped() => _udpDropped.Add(1);

    /// <summary>A UDP request began (+1) or finished (-1) waiting for the store.</summary>
    public void UdpPending(int change) => _udpPending.Add(change);

    private static int Slot(string protocol, AnnounceResult result) => ((protocol == Udp ? 1 : 0) * Results.Length) + (int)result;

    // Only the pairs that happened, as the counter with tags reported them.
    private IEnumerable<Measurement<long>> ObserveAnnounces()
    {
        foreach (string protocol in Protocols)
        {
            foreach (AnnounceResult result in Results)
            {
                long count = Volatile.Read(ref _announces[Slot(protocol, result)]);
                if (count > 0)
                {
                    yield return new Measurement<long>(count, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("result", Tag(result)));
                }
            }
        }
    }

    private static string Tag(AnnounceResult result) => result switch
    {
        AnnounceResult.Ok => "ok",
        AnnounceResult.Refused => "refused",
        _ => "error",
    };
}
