using System.Threading.Channels;

namespace Shoal.Node.Events;

/// <summary>
/// One client of the event stream: a bounded queue that starts with its snapshot and goes on with the events
/// after it. A client that falls a whole queue behind is dropped rather than sent a gap: it reconnects and
/// starts again from a fresh snapshot.
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    private readonly Channel<ServerSentEvent> _queue;

    // Never disposed: the producer may end a client at the moment its endpoint lets go of it.
    private readonly CancellationTokenSource _ended = new();
    private readonly Action<EventSubscription> _unsubscribe;

    public EventSubscription(int capacity, Action<EventSubscription> unsubscribe)
    {
        _queue = Channel.CreateBounded<ServerSentEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _unsubscribe = unsubscribe;
    }

    public ChannelReader<ServerSentEvent> Events => _queue.Reader;

    /// <summary>Cancelled when the queue overflowed or the node stopped, so a write blocked on the client ends too.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>False when the queue is full.</summary>
    public bool TryPost(ServerSentEvent item) => _queue.Writer.TryWrite(item);

    public void End()
    {
        _queue.Writer.TryComplete();
        _ended.Cancel();
    }

    public void Dispose() => _unsubscribe(this);
}
