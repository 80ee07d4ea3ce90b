namespace Shoal.Swarm;

/// <summary>A <see cref="MagnetFetcher"/>'s state of one connection: its metadata copy, then the hashes asked of it.</summary>
public sealed class MagnetSource(bool supportsV2)
{
    internal MetadataSource Metadata { get; } = new();

    internal PieceLayerSource Layers { get; } = new(supportsV2);
}
