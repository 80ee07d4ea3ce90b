using System.Threading.Channels;

namespace Shoal.Session;

/// <summary>
/// Groups the pieces that reach the checker close together into batches for <see cref="Storage.PieceBatchVerifier"/>'s
/// lanes: after the first piece (waited for), the pieces that follow it within <see cref="GatherWait"/> of each other
/// (<see cref="FastGatherWait"/> right after a full batch), up to the limit. A trickle of pieces makes batches of one,
/// each held up at most that long; with a limit of one no piece waits.
/// </summary>
internal sealed class PieceBatches
{
    /// <summary>A fast download completes a piece every millisecond or less; a slow one is not held up for long.</summary>
    internal static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(2);

    /// <summary>After a full batch: on a busy machine a fast download's pieces come in bursts with gaps of several milliseconds.</summary>
    internal static readonly TimeSpan FastGatherWait = TimeSpan.FromMilliseconds(10);

    private readonly ChannelReader<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> _pieces;
    private readonly Channel<List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>> _batches =
        Channel.CreateUnbounded<List<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly TimeSpan _wait;
    private readonly TimeSpan _fastWait;
    private bool _lastBatchFull;

    /// <param name="wait">Replaces <see cref="GatherWait"/> and <see cref="FastGatherWait"/> (a test's batches close only when full).</param>
    public PieceBatches(ChannelReader<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> pieces, int limit, TimeSpan? wait = null)
    {
        _pieces = pieces;
        Limit = limit;
        _wait = wait ?? GatherWait;
        _fastWait = wait ?? FastGatherWait;
        Completion = Task.Run(GatherAllAsync);
    }

    public int Limit { get; }

    /// <summary>Batches in the order gathered; completed once the pieces are completed and all gathered.</summary>
    public ChannelReader<List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>> Reader => _batches.Reader;

    public Task Completion { get; }

    private async Task GatherAllAsync()
    {
        try
        {
            while (true)
            {
                var batch = new List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>(Limit);
                if (!await GatherAsync(batch).ConfigureAwait(false))
                {
                    return;
                }

                _batches.Writer.TryWrite(batch);
            }
        }
        finally
        {
            _batches.Writer.TryComplete();
        }
    }

    /// <summary>Takes the next piece (waiting for one) and those that follow it closely; false once the pieces are completed and taken.</summary>
    private async Task<bool> GatherAsync(List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> batch)
    {
        while (batch.Count < Limit)
        {
            if (_pieces.TryRead(out var item))
            {
                batch.Add(item);
                continue;
            }

            ValueTask<bool> more = _pieces.WaitToReadAsync();
            if (batch.Count == 0 || more.IsCompleted)
            {
                if (!await more.ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            Task<bool> waiting = more.AsTask();
            if (await Task.WhenAny(waiting, Task.Delay(_lastBatchFull ? _fastWait : _wait)).ConfigureAwait(false) != waiting
                || !await waiting.ConfigureAwait(false))
            {
                break;
            }
        }

        _lastBatchFull = batch.Count == Limit && Limit > 1;
        return batch.Count > 0;
    }
}
