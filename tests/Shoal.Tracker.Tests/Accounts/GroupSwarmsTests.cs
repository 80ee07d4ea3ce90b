using System.Reflection;
using Shoal.Metainfo;
using Shoal.Tests;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Storage.Sqlite;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>Which announces ask the database about group membership: only those to a group's swarm.</summary>
public sealed class GroupSwarmsTests
{
    [Fact]
    public async Task Public_swarms_are_answered_without_asking_the_store_and_a_claimed_one_asks_every_time()
    {
        using var data = new TempFolder();
        SqliteTrackerStore sqlite = await SqliteTrackerStore.OpenAsync(Path.Combine(data.Path, "tracker.db"), CancellationToken.None);
        IAccountStore counted = CountingProxy.Wrap(sqlite.Accounts, out CountingProxy counter);
        GroupSwarms groups = await GroupSwarms.LoadAsync(counted, TimeProvider.System, complete: true, CancellationToken.None);
        Assert.Equal(1, counter.Calls);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(SwarmAccess.Public, await groups.AccessAsync(InfoHashKey.From(RunningTracker.RandomHash()), null, CancellationToken.None));
        }

        Assert.Equal(1, counter.Calls);

        InfoHashKey shared = InfoHashKey.From(RunningTracker.RandomHash());
        groups.Claim([shared]);
        for (int i = 0; i < 3; i++)
        {
            // Nothing is shared in the store, so it answers public; what matters is that it was asked.
            Assert.Equal(SwarmAccess.Public, await groups.AccessAsync(shared, "passkey", CancellationToken.None));
        }

        Assert.Equal(4, counter.Calls);
    }

    /// <summary>Counts the calls made through it to the store it wraps.</summary>
    public class CountingProxy : DispatchProxy
    {
        private object _target = null!;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public static IAccountStore Wrap(IAccountStore target, out CountingProxy counter)
        {
            IAccountStore proxy = Create<IAccountStore, CountingProxy>();
            counter = (CountingProxy)(object)proxy;
            counter._target = target;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Interlocked.Increment(ref _calls);
            return targetMethod!.Invoke(_target, args);
        }
    }
}
