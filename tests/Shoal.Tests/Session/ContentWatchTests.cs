using Shoal.Session;
using Shoal.Tests.Net;

namespace Shoal.Tests.Session;

/// <summary>A seeder whose file is edited under it stops and says so, rather than sending data every leecher rejects.</summary>
public sealed class ContentWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_seeder_whose_file_changes_stops_serving_it_and_names_the_file()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        var time = new ManualTimeProvider();
        ShoalSession seeder = swarm.StartSession(configure: options => options with { Time = time });
        TorrentHandle handle = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        using var ticks = new SemaphoreSlim(0);
        handle.StatusUpdated += (_, _) => ticks.Release();
        await WaitUntilAsync(() => handle.State == TorrentState.Seeding);

        await TickAsync(time, ticks, TimeSpan.FromSeconds(1));
        await TickAsync(time, ticks, TimeSpan.FromSeconds(10));
        Assert.Equal(TorrentState.Seeding, handle.State);

        string file = Directory.EnumerateFiles(swarm.ContentPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        await File.AppendAllTextAsync(file, "edited");
        time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => handle.State == TorrentState.Failed);

        TorrentStatus status = handle.GetStatus();
        Assert.Contains(file, status.Error, StringComparison.Ordinal);
        Assert.Contains("changed on disk", status.Error, StringComparison.Ordinal);
        Assert.Contains("recheck", status.Error, StringComparison.Ordinal);
    }

    private static async Task TickAsync(ManualTimeProvider time, SemaphoreSlim ticks, TimeSpan by)
    {
        time.Advance(by);
        Assert.True(await ticks.WaitAsync(Timeout), "the torrent did not tick");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
