using System.Threading.Channels;
using Shoal.Node.Api;

namespace Shoal.Node.Events;

/// <summary>
/// One client of the event stream: the snapshot it starts from and a bounded queue of the events after it.
/// A client that falls a whole queue behind is dropped rather than sent a gap: it reconnects and starts
/// again from a fresh snapshot.
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    private readonly Channel<ServerSentEvent> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<EventSubscription> _unsubscribe;

    public EventSubscription(EventSnapshot snapshot, int capacity, Action<EventSubscription> unsubscribe)
    {
        Snapshot = snapshot;
        _queue = Channel.CreateBounded<ServerSentEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _unsubscribe = unsubscribe;
    }

    public EventSnapshot Snapshot { get; }

    public ChannelReader<ServerSentEvent> Events => _queue.Reader;

    /// <summary>Cancelled when the queue overflowed or the node stopped, so a write blocked on the client ends too.</summary>
    public CancellationToken Ended => _dropped.Token;

    /// <summary>False when the queue is full.</summary>
    public bool TryPost(ServerSentEvent item) => _queue.Writer.TryWrite(item);

    public void End()
    {
        _queue.Writer.TryComplete();
        _dropped.Cancel();
    }

    public void Dispose() => _unsubscribe(this);
}
