using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Index;

/// <summary>
/// Which swarms belong to a private group's file, shared or no longer shared: those stay out of the
/// public index. Groups are the accounts' business, above the index, so the index asks through this.
/// </summary>
internal interface IPrivateSwarms
{
    ValueTask<bool> IsPrivateAsync(InfoHashKey swarm, CancellationToken cancellationToken);
}
