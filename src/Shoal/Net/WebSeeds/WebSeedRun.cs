using Shoal.Swarm;

namespace Shoal.Net.WebSeeds;

/// <summary>
/// Adjacent blocks being filled from one or more HTTP bodies (a run may span files) and the gaps between files:
/// one block buffer, each block handed on as soon as it is whole, so a run of any length holds one block.
/// </summary>
internal sealed class WebSeedRun(byte[] buffer, Func<BlockRef, ReadOnlyMemory<byte>, CancellationToken, ValueTask> deliver)
{
    private readonly List<BlockRef> _blocks = [];
    private int _current;
    private int _filled;

    /// <summary>The run's blocks, in address order; fill them through <see cref="Space"/> and <see cref="AdvanceAsync"/>.</summary>
    public List<BlockRef> Blocks => _blocks;

    public int Length => _blocks.Sum(block => block.Length);

    /// <summary>Where the next bytes go: what the current block still lacks.</summary>
    public Memory<byte> Space => buffer.AsMemory(_filled, _blocks[_current].Length - _filled);

    /// <summary>Starts filling <see cref="Blocks"/> from their first byte.</summary>
    public void Restart()
    {
        _current = 0;
        _filled = 0;
    }

    /// <summary>Counts <paramref name="bytes"/> written to <see cref="Space"/>; a block made whole is delivered.</summary>
    public async ValueTask AdvanceAsync(int bytes, CancellationToken cancellationToken)
    {
        _filled += bytes;
        BlockRef block = _blocks[_current];
        if (_filled < block.Length)
        {
            return;
        }

        await deliver(block, buffer.AsMemory(0, block.Length), cancellationToken).ConfigureAwait(false);
        _current++;
        _filled = 0;
    }

    /// <summary>BEP 47 padding and the gaps between aligned v2 files are zeros: they are never asked of the server.</summary>
    public async ValueTask ZerosAsync(int length, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            Memory<byte> space = Space;
            int count = Math.Min(space.Length, length);
            space.Span[..count].Clear();
            length -= count;
            await AdvanceAsync(count, cancellationToken).ConfigureAwait(false);
        }
    }
}
