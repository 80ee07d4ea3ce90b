namespace Shoal.Swarm;

/// <summary>A <see cref="MetadataFetcher"/>'s state of one connection: its ut_metadata id, its copy of the metadata.</summary>
public sealed class MetadataSource
{
    internal byte RemoteId { get; set; }

    internal MetadataAssembler? Assembler { get; set; }

    internal int Outstanding { get; set; }
}
