namespace Shoal.Swarm;

/// <summary>A <see cref="PieceLayerFetcher"/>'s state of one connection: whether it speaks v2, what we asked it.</summary>
public sealed class PieceLayerSource(bool supportsV2)
{
    /// <summary>Whether the peer speaks BEP 52 (its reserved bit, or a connection on the v2 hash): only such peers are asked for hashes.</summary>
    public bool SupportsV2 { get; } = supportsV2;

    internal List<PieceLayerChunk> Outstanding { get; } = [];
}
