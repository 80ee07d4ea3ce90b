namespace Shoal.Storage;

/// <summary>
/// Where a torrent's bytes live, addressed by offset in the piece address space (piece index × piece
/// length + offset in the piece). Reads of padding or of gaps between v2 files give zeros; writes to
/// them are dropped. A download writes a piece before it verifies it and claims it only after (a piece that
/// fails is written again when fetched again). Implementations are safe for concurrent calls on distinct ranges.
/// </summary>
public interface IPieceStorage : IDisposable
{
    void Read(long offset, Span<byte> destination);

    /// <summary>Writes the buffers one after another starting at <paramref name="offset"/>.</summary>
    void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers);

    void Flush();
}
