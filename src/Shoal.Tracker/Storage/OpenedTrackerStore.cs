using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage;

/// <summary>An open store: the file index, the swarms, the accounts and groups, a description for the log, and what to dispose.</summary>
public sealed record OpenedTrackerStore(IFileIndexStore Files, ISwarmStore Swarms, IAccountStore Accounts, string Description, IAsyncDisposable Owner) : IAsyncDisposable
{
    /// <summary>Whether the swarms start with no peers (a first start, or every saved peer lost or expired).</summary>
    public bool StartedEmpty { get; init; }

    /// <summary>Whether other tracker instances write the same store (PostgreSQL), so this one's memory of it may lag.</summary>
    public bool Shared { get; init; }

    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}
