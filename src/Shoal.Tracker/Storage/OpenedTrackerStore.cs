using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage;

/// <summary>An open store: the file index, the swarms, the accounts and groups, a description for the log, and what to dispose.</summary>
public sealed record OpenedTrackerStore(IFileIndexStore Files, ISwarmStore Swarms, IAccountStore Accounts, string Description, IAsyncDisposable Owner) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}
