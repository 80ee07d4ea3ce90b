using System.Buffers.Binary;
using Npgsql;
using Shoal.Tracker.Tests.Storage;

namespace Shoal.Tracker.Tests.Udp;

/// <summary>With PostgreSQL a UDP answer waits for the database: only so many requests may wait at once.</summary>
public sealed class UdpBackPressureTests
{
    [Fact]
    public async Task While_the_database_stalls_at_most_the_bound_of_requests_wait_and_the_rest_are_dropped_and_counted()
    {
        const int Bound = 50;
        const int Flood = 1_000;
        await using TestDatabase database = await TestDatabase.CreateAsync();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with
        {
            Store = "postgres:" + database.ConnectionString,
            RequestsPerMinutePerAddress = 0,
            MaxPendingUdpRequests = Bound,
        });
        using var socket = new RawUdp(tracker.Port);
        long id = await socket.ConnectAsync();

        // A transaction holding the peers table makes every announce wait, as a stalled database would.
        await using var stall = new NpgsqlConnection(database.ConnectionString);
        await stall.OpenAsync();
        NpgsqlTransaction transaction = await stall.BeginTransactionAsync();
        await using (var lockPeers = new NpgsqlCommand("LOCK TABLE peers IN EXCLUSIVE MODE", stall, transaction))
        {
            await lockPeers.ExecuteNonQueryAsync();
        }

        for (int i = 0; i < Bound; i++)
        {
            await socket.SendAsync(RawUdp.Announce(id, i, RunningTracker.RandomHash(), 7001));
        }

        await WaitForAsync(tracker, text => Metric(text, "shoal_tracker_udp_pending") == Bound);
        for (int i = Bound; i < Bound + Flood; i++)
        {
            await socket.SendAsync(RawUdp.Announce(id, i, RunningTracker.RandomHash(), 7001));
        }

        // Every packet read while the bound is reached is dropped; the kernel may drop some before they are read.
        string stalled = await WaitForAsync(tracker, text => Metric(text, "shoal_tracker_udp_dropped_total") > 0);
        Assert.Equal(Bound, Metric(stalled, "shoal_tracker_udp_pending"));

        await transaction.RollbackAsync();
        var answered = new HashSet<int>();
        while (answered.Count < Bound && await socket.ReceiveAsync(TimeSpan.FromSeconds(30)) is { } answer)
        {
            Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(answer));
            answered.Add(BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4)));
        }

        string drained = await WaitForAsync(tracker, text => Metric(text, "shoal_tracker_udp_pending") == 0);
        Assert.Equal([.. Enumerable.Range(0, Bound)], answered.Order());
        Assert.Null(await socket.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.InRange(Metric(drained, "shoal_tracker_udp_dropped_total"), 1, Flood);
    }

    /// <summary>Reads /metrics until <paramref name="condition"/> holds (30 s at most); returns that text.</summary>
    private static async Task<string> WaitForAsync(RunningTracker tracker, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            string text = await tracker.Http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            if (condition(text))
            {
                return text;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the metrics never showed what was awaited:\n{text}");
            await Task.Delay(50);
        }
    }

    private static long Metric(string text, string name) => (long)PrometheusText.Sum(text, name);
}
