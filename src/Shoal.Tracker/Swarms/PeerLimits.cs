using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Counts the peers of every swarm, in all and per address block (<see cref="PeerAddress.Block"/>),
/// and admits a new peer only within the <see cref="PeerCaps"/>. The counts per block are split over
/// 64 locks, so announces from different addresses seldom wait for each other.
/// </summary>
internal sealed class PeerLimits
{
    private const int Stripes = 64;

    private readonly PeerCaps _caps;
    private readonly KeyedSlots<PeerAddress>[] _perBlock;
    private int _peers;
    private long _refusedTotal;
    private long _refusedSwarm;
    private long _refusedAddress;

    public PeerLimits(PeerCaps caps)
    {
        _caps = caps;
        _perBlock = [.. Enumerable.Range(0, Stripes).Select(_ => new KeyedSlots<PeerAddress>(caps.PerAddress))];
    }

    public int PeerCount => Volatile.Read(ref _peers);

    /// <summary>
    /// Makes room for <paramref name="peer"/>, new to a swarm of <paramref name="swarmCount"/> peers;
    /// returns null, or the failure reason of the cap it would break. Called under the swarm's lock.
    /// </summary>
    public string? TryAdmit(PeerAddress peer, int swarmCount)
    {
        if (swarmCount >= _caps.PerSwarm)
        {
            Interlocked.Increment(ref _refusedSwarm);
            return _caps.SwarmFull;
        }

        if (Interlocked.Increment(ref _peers) > _caps.Total)
        {
            Interlocked.Decrement(ref _peers);
            Interlocked.Increment(ref _refusedTotal);
            return _caps.TrackerFull;
        }

        if (SlotsOf(peer.Block).TryTake(peer.Block))
        {
            return null;
        }

        Interlocked.Decrement(ref _peers);
        Interlocked.Increment(ref _refusedAddress);
        return _caps.AddressFull;
    }

    /// <summary>A peer left its swarm (stopped or expired).</summary>
    public void Release(PeerAddress peer)
    {
        Interlocked.Decrement(ref _peers);
        SlotsOf(peer.Block).Release(peer.Block);
    }

    /// <summary>The new peers refused at each cap since the last call.</summary>
    public (long Total, long PerSwarm, long PerAddress) TakeRefusals() =>
        (Interlocked.Exchange(ref _refusedTotal, 0), Interlocked.Exchange(ref _refusedSwarm, 0), Interlocked.Exchange(ref _refusedAddress, 0));

    private KeyedSlots<PeerAddress> SlotsOf(PeerAddress block) => _perBlock[(block.GetHashCode() & int.MaxValue) % Stripes];
}
