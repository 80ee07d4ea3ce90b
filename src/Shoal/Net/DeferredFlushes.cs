namespace Shoal.Net;

/// <summary>
/// Wakes the send loops of connections whose output may wait (<see cref="Swarm.IPeerLink.FlushSoon"/>), all of
/// them <see cref="Delay"/> after the first asked, on one timer: messages that trickle in (HAVE to the peers we
/// choke, one per piece) then leave several to a segment, and the peer wakes once for them.
/// </summary>
internal sealed class DeferredFlushes(TimeProvider time)
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private List<PeerConnection> _waiting = [];
    private ITimer? _timer;

    public void Add(PeerConnection connection)
    {
        lock (_lock)
        {
            _waiting.Add(connection);
            if (_waiting.Count > 1)
            {
                return;
            }

            if (_timer is null)
            {
                _timer = time.CreateTimer(static state => ((DeferredFlushes)state!).Fire(), this, Delay, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timer.Change(Delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Fire()
    {
        List<PeerConnection> due;
        lock (_lock)
        {
            due = _waiting;
            _waiting = [];
        }

        due.ForEach(connection => connection.SendDeferred());
    }
}
