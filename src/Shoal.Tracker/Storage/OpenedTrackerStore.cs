using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage;

/// <summary>An open store: the file index and the swarms, a description for the log, and what to dispose.</summary>
public sealed record OpenedTrackerStore(IFileIndexStore Files, ISwarmStore Swarms, string Description, IAsyncDisposable Owner) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}
