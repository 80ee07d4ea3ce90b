using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Tests.Net;

namespace Shoal.Tests.Session;

/// <summary>Choosing files in a running session, over real sockets and files.</summary>
public sealed class FileSelectionLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_file_wanted_again_after_the_download_completed_is_created_and_the_torrent_keeps_seeding()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1024 * 1024, TorrentVersion.V1);
        var (seeder, _) = swarm.StartSeeder();
        string target = swarm.DownloadFolder("download");
        int empty = swarm.Torrent.Files.ToList().FindIndex(f => f.Path[^1] == "empty");
        var time = new ManualTimeProvider();
        ShoalSession session = swarm.StartSession(configure: options => options with { Time = time });
        TorrentHandle handle = session.Add(swarm.Torrent, new AddTorrentOptions
        {
            SavePath = target,
            Peers = [seeder.ListenEndPoint],
            ChooseFiles = torrent => [.. torrent.Files.Select((_, i) => i == empty ? FilePriority.Skip : FilePriority.Normal)],
        });
        using var ticks = new SemaphoreSlim(0);
        handle.StatusUpdated += (_, _) => ticks.Release();
        await handle.Completion.WaitAsync(Timeout);
        string emptyPath = handle.FilePaths[empty];
        Assert.False(File.Exists(emptyPath), "a skipped file was created");
        await TickAsync(time, ticks, TimeSpan.FromSeconds(1));

        // Wanting the empty file needs no piece: the torrent stays complete, and the file it makes is no change behind its back.
        handle.SetFilePriorities(FilePriorities.All(swarm.Torrent));
        Assert.True(File.Exists(emptyPath));
        await TickAsync(time, ticks, TimeSpan.FromSeconds(11));
        await TickAsync(time, ticks, TimeSpan.FromSeconds(11));

        Assert.True(handle.State == TorrentState.Seeding, handle.GetStatus().Error);
        swarm.AssertDownloaded(target);
    }

    private static async Task TickAsync(ManualTimeProvider time, SemaphoreSlim ticks, TimeSpan by)
    {
        time.Advance(by);
        Assert.True(await ticks.WaitAsync(Timeout), "the torrent did not tick");
    }
}
