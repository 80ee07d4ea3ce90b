using System.Diagnostics;
using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

public sealed class LoginThrottleTests
{
    [Fact]
    public async Task A_thousand_rapid_failed_logins_are_throttled_before_hashing_and_others_are_still_served()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        await api.SignUpAsync("alice");
        Assert.Equal(HttpStatusCode.Created, (await api.CreateUserAsync("bob")).StatusCode);

        var clock = Stopwatch.StartNew();
        var statuses = new HttpStatusCode[1000];
        await Parallel.ForAsync(0, statuses.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            using HttpResponseMessage response = await api.LoginRawAsync("alice", $"guess number {i}");
            statuses[i] = response.StatusCode;
        });
        TimeSpan flood = clock.Elapsed;

        // Each attempt counts from its start, so only the first ten per name are ever hashed.
        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.Unauthorized));
        Assert.Equal(990, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.True(flood < TimeSpan.FromSeconds(30), $"the flood took {flood}");

        // Other addresses and names are served at once; the tracker still answers announces.
        using HttpClient elsewhere = LoopbackClient.From(IPAddress.Parse("127.0.0.2"), tracker);
        clock.Restart();
        await new AccountApi(elsewhere).LoginAsync("bob");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"bob's login took {clock.Elapsed}");
        AnnounceResponse announce = await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(RunningTracker.RandomHash(), 7001), CancellationToken.None);
        Assert.Null(announce.FailureReason);

        // The name stays throttled from the guessing address, even with the right password, and says so.
        using HttpResponseMessage throttled = await api.LoginRawAsync("alice");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("too many failed logins", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stranger_failing_logins_for_a_name_does_not_lock_out_its_owner()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        await AccountApi.Of(tracker).SignUpAsync("alice");
        using HttpClient stranger = LoopbackClient.From(IPAddress.Parse("127.0.0.4"), tracker);
        var fromStranger = new AccountApi(stranger);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            using HttpResponseMessage response = await fromStranger.LoginRawAsync("alice", $"guess number {i}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fromStranger.LoginRawAsync("alice")).StatusCode);
        Assert.Equal("alice", (await AccountApi.Of(tracker).LoginAsync("alice")).Name);
    }

    [Fact]
    public async Task One_address_failing_with_many_names_is_throttled_and_others_are_not()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await AccountApi.Of(tracker).CreateUserAsync("bob")).StatusCode);
        using HttpClient attacker = LoopbackClient.From(IPAddress.Parse("127.0.0.3"), tracker);
        var fromAttacker = new AccountApi(attacker);

        // Names against the rules: refused without hashing, but counted against the address.
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await fromAttacker.LoginRawAsync($"no such user {i}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await fromAttacker.LoginRawAsync("bob")).StatusCode);
        LoginResult bob = await AccountApi.Of(tracker).LoginAsync("bob");
        Assert.Equal("bob", bob.Name);
    }
}
