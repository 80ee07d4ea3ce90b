using System.Diagnostics;
using System.Net;
using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Tests.Net;
using Shoal.Tests.Net.WebSeeds;
using Xunit.Abstractions;

namespace Shoal.Tests.Session;

/// <summary>Web seeds (BEP 19) in a session: an HTTP server on 127.0.0.1 as the only source, alongside a peer, serving bad data, failing.</summary>
public sealed class WebSeedLoopbackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_torrent_whose_only_source_is_a_web_seed_downloads_and_no_padding_is_asked_for()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(8 * 1024 * 1024 + 4321);
        await using var server = new WebSeedServer(swarm.Folder.Path);
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        Assert.Contains(torrent.Files, file => file.IsPadding);
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("download");

        var stopwatch = Stopwatch.StartNew();
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = target });
        await handle.Completion.WaitAsync(Timeout);
        output.WriteLine($"{torrent.TotalSize} bytes from the web seed alone in {stopwatch.Elapsed.TotalSeconds:0.00} s, {server.Requests} HTTP requests");

        swarm.AssertDownloaded(target);
        TorrentStatus status = handle.GetStatus();
        Assert.Equal(0, status.Swarm.HashFailures);
        WebSeedStatus webSeed = Assert.Single(status.WebSeeds);
        Assert.Equal(torrent.AddressSpaceLength(), webSeed.Downloaded);

        // The padding's zeros count as delivered, but the server was asked for the files' bytes only.
        Assert.Equal(torrent.TotalSize, server.BytesServed);
        Assert.DoesNotContain(server.Paths, path => path.Contains(".pad", StringComparison.Ordinal));

        // Runs of adjacent blocks over several 64 KiB pieces, not one request per block or per piece.
        Assert.True(server.Requests < torrent.TotalSize / (256 * 1024), $"{server.Requests} requests for {torrent.TotalSize} bytes");
    }

    [Fact]
    public async Task A_web_seed_is_asked_only_for_the_files_chosen()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(3 * 1024 * 1024);
        await using var server = new WebSeedServer(swarm.Folder.Path);
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("download");

        // The hybrid torrent aligns each file to a piece: a.bin shares no piece with sub/b.bin.
        FileEntry a = Assert.Single(torrent.Files, f => f.DisplayPath == "a.bin");
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions
        {
            SavePath = target,
            ChooseFiles = t => [.. t.Files.Select(f => f.DisplayPath == "a.bin" ? FilePriority.Normal : FilePriority.Skip)],
        });
        await handle.Completion.WaitAsync(Timeout);

        Assert.Equal(File.ReadAllBytes(Path.Combine(swarm.ContentPath, "a.bin")), File.ReadAllBytes(Path.Combine(target, torrent.Name, "a.bin")));
        Assert.False(File.Exists(Path.Combine(target, torrent.Name, "sub", "b.bin")));
        Assert.All(server.Paths, path => Assert.Equal($"{torrent.Name}/a.bin", path));
        Assert.Equal(a.Length, server.BytesServed);
    }

    [Fact]
    public async Task A_web_seed_shows_in_the_peer_list_with_its_url_and_rate_while_it_serves()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(4 * 1024 * 1024);
        await using var server = new WebSeedServer(swarm.Folder.Path) { Delay = TimeSpan.FromMilliseconds(50) };
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        ShoalSession leecher = swarm.StartSession();
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download") });

        await WaitUntilAsync(() => handle.GetStatus().Swarm.Peers.Any(p => p.WebSeed is not null && p.DownloadRate > 0), handle.Completion);
        TorrentStatus status = handle.GetStatus();
        if (!handle.Completion.IsCompleted)
        {
            Assert.Equal(server.BaseUrl.AbsoluteUri, Assert.Single(status.Swarm.Peers).WebSeed);
            Assert.Equal(WebSeedState.Connected, Assert.Single(status.WebSeeds).State);
            Assert.True(status.WebSeeds[0].DownloadRate > 0);
        }

        await handle.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_peer_and_a_web_seed_share_the_work()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(6 * 1024 * 1024);
        // The web seed is held to about the peer's pace, so that neither can take every piece.
        await using var server = new WebSeedServer(swarm.Folder.Path) { Delay = TimeSpan.FromMilliseconds(100) };
        var (seeder, seederHandle) = swarm.StartSeeder(uploadLimit: 1024 * 1024);
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("download");

        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(target);
        TorrentStatus status = handle.GetStatus();
        long fromWebSeed = Assert.Single(status.WebSeeds).Downloaded;
        long fromPeer = seederHandle.GetStatus().Swarm.Uploaded;
        output.WriteLine($"web seed {fromWebSeed} bytes, peer {fromPeer} bytes");
        Assert.True(fromWebSeed > 0, "the web seed delivered nothing");
        Assert.True(fromPeer > 0, "the peer delivered nothing");
    }

    [Fact]
    public async Task A_magnet_links_web_seed_serves_once_a_peer_gave_the_metadata()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        await using var server = new WebSeedServer(swarm.Folder.Path);
        var (seeder, _) = swarm.StartSeeder(uploadLimit: 256 * 1024);
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("download");

        MagnetLink magnet = MagnetLink.FromTorrent(swarm.Torrent) with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        Assert.Contains("ws=", magnet.ToString(), StringComparison.Ordinal);
        TorrentHandle handle = await leecher.AddAsync(magnet, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] }).WaitAsync(Timeout);
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
        Assert.True(Assert.Single(handle.GetStatus().WebSeeds).Downloaded > 0, "the magnet's web seed delivered nothing");
    }

    [Fact]
    public async Task A_web_seed_serving_a_wrong_byte_is_discarded_and_the_piece_comes_from_a_peer()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        await using var server = new WebSeedServer(swarm.Folder.Path) { CorruptByte = ($"{swarm.Torrent.Name}/sub/b.bin", 100_000) };
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("download");

        // The web seed alone first: it must serve the bad piece, and nothing else can mix with it.
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = target });
        await WaitUntilAsync(() => handle.GetStatus().WebSeeds[0].State == WebSeedState.Discarded, handle.Completion);
        Assert.False(handle.Completion.IsCompleted, "the download completed with a bad piece");
        TorrentStatus discarded = handle.GetStatus();
        Assert.Equal(1, discarded.Swarm.HashFailures);
        Assert.DoesNotContain(discarded.Swarm.Peers, p => p.WebSeed is not null);
        Assert.Contains("hash check", discarded.WebSeeds[0].LastError, StringComparison.Ordinal);
        int requestsAtDiscard = server.Requests;

        var (seeder, _) = swarm.StartSeeder();
        handle.AddPeers([seeder.ListenEndPoint]);
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
        Assert.Equal(1, handle.GetStatus().Swarm.HashFailures);
        Assert.Equal(WebSeedState.Discarded, handle.GetStatus().WebSeeds[0].State);

        // Requests the web seed had under way when it was discarded may still land; none start after.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.InRange(server.Requests, requestsAtDiscard, requestsAtDiscard + 2);
    }

    [Fact]
    public async Task A_failing_web_seed_is_retried_after_30_s_then_60_s_and_serves_once_it_recovers()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(512 * 1024);
        await using var server = new WebSeedServer(swarm.Folder.Path) { FailWith = HttpStatusCode.ServiceUnavailable };
        Torrent torrent = swarm.Torrent with { WebSeeds = [server.BaseUrl.AbsoluteUri] };
        var time = new ManualTimeProvider();
        ShoalSession leecher = swarm.StartSession(configure: options => options with { Time = time });
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download") });
        using var ticks = new SemaphoreSlim(0);
        handle.StatusUpdated += (_, _) => ticks.Release();

        await WaitUntilAsync(() => handle.GetStatus().WebSeeds[0].State == WebSeedState.Waiting, handle.Completion);
        WebSeedStatus waiting = handle.GetStatus().WebSeeds[0];
        Assert.Contains("503", waiting.LastError, StringComparison.Ordinal);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(30), waiting.RetryAt);
        int first = server.Requests;

        await TickAsync(time, ticks, 29);
        Assert.Equal(first, server.Requests);
        await TickAsync(time, ticks, 1);
        await WaitUntilAsync(() => server.Requests > first && handle.GetStatus().WebSeeds[0].State == WebSeedState.Waiting, handle.Completion);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(60), handle.GetStatus().WebSeeds[0].RetryAt);
        int second = server.Requests;

        server.FailWith = null;
        await TickAsync(time, ticks, 59);
        Assert.Equal(second, server.Requests);
        await TickAsync(time, ticks, 1);
        await handle.Completion.WaitAsync(Timeout);
        Assert.Equal(torrent.AddressSpaceLength(), handle.GetStatus().WebSeeds[0].Downloaded);
    }

    private static async Task TickAsync(ManualTimeProvider time, SemaphoreSlim ticks, int seconds)
    {
        for (int i = 0; i < seconds; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await ticks.WaitAsync(Timeout), "the torrent did not tick");
        }
    }

    /// <summary>Waits for the condition; fails if <paramref name="failsIfDone"/> ends first or the timeout passes.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task? failsIfDone = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.False(failsIfDone?.IsFaulted == true, "the torrent failed");
            await Task.Delay(10, timeout.Token);
        }
    }
}
