using System.Diagnostics;
using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Storage;

namespace Shoal.Tests.Session;

/// <summary>The public session API over real sockets on 127.0.0.1 and real files.</summary>
public sealed class SessionLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_leecher_session_fetches_a_folder_from_a_seeder_session_and_keeps_resume_data()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(3 * 1024 * 1024 + 17);
        var (seeder, _) = swarm.StartSeeder();
        string state = swarm.DownloadFolder("state");
        ShoalSession leecher = swarm.StartSession(state);
        string target = swarm.DownloadFolder("download");
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });

        await handle.Completion.WaitAsync(Timeout);
        Assert.Equal(TorrentState.Seeding, handle.State);
        TorrentStatus status = handle.GetStatus();
        Assert.Equal(swarm.Torrent.PieceCount, status.Swarm.PiecesHave);
        Assert.Equal(0, status.Swarm.HashFailures);
        await leecher.DisposeAsync();
        swarm.AssertDownloaded(target);

        // A new session trusts the resume data the first one saved and is complete without a peer.
        Assert.Single(Directory.GetFiles(state, "*.resume"));
        ShoalSession again = swarm.StartSession(state);
        TorrentHandle resumed = again.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target });
        await resumed.Completion.WaitAsync(Timeout);
        Assert.Equal(0, resumed.GetStatus().Checked);
    }

    [Fact]
    public async Task A_changed_file_is_rechecked_and_only_its_damaged_piece_fetched_again()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder(uploadLimit: 1024 * 1024);
        string state = swarm.DownloadFolder("state");
        string target = swarm.DownloadFolder("download");
        ShoalSession first = swarm.StartSession(state);
        await first.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] }).Completion.WaitAsync(Timeout);
        await first.DisposeAsync();

        string damaged = Path.Combine(target, swarm.Torrent.Name, "a.bin");
        using (FileStream stream = File.OpenWrite(damaged))
        {
            stream.Position = 1000;
            stream.WriteByte(0x42);
        }

        ShoalSession second = swarm.StartSession(state);
        TorrentHandle handle = second.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);
        Assert.Equal(swarm.Torrent.PieceCount, handle.GetStatus().Checked);
        Assert.Equal(swarm.Torrent.PieceLength, handle.GetStatus().Swarm.Downloaded);
        swarm.AssertDownloaded(target);
    }

    [Fact]
    public async Task An_upload_limit_holds_the_transfer_to_its_rate()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(6 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder(uploadLimit: 2 * 1024 * 1024);
        ShoalSession leecher = swarm.StartSession();
        var stopwatch = Stopwatch.StartNew();
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download"), Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        // 6 MiB at 2 MiB/s is 3 s, less the bucket's initial burst of half a second.
        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 2.2, 10);
        swarm.AssertDownloaded(swarm.DownloadFolder("download"));
    }

    [Fact]
    public async Task A_paused_torrent_moves_nothing_until_resumed_and_a_removed_one_can_take_its_files()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(6 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder(uploadLimit: 2 * 1024 * 1024);
        ShoalSession leecher = swarm.StartSession(swarm.DownloadFolder("state"));
        string target = swarm.DownloadFolder("download");
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        while (handle.GetStatus().Swarm.VerifiedBytes < 1024 * 1024)
        {
            await Task.Delay(50);
        }

        await handle.PauseAsync();
        Assert.Equal(TorrentState.Paused, handle.State);
        Assert.Equal((0L, 0L), (handle.GetStatus().Swarm.DownloadRate, handle.GetStatus().Swarm.UploadRate));
        long paused = handle.GetStatus().Swarm.VerifiedBytes;
        await Task.Delay(1500);
        Assert.Equal(paused, handle.GetStatus().Swarm.VerifiedBytes);
        Assert.False(handle.Completion.IsCompleted);

        handle.Resume();
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);

        await leecher.RemoveAsync(handle, deleteFiles: true);
        Assert.False(File.Exists(Path.Combine(target, swarm.Torrent.Name, "a.bin")));
        Assert.False(Directory.Exists(Path.Combine(target, swarm.Torrent.Name)), "the torrent's emptied folder is removed too");
        Assert.True(Directory.Exists(target), "the save folder itself stays");
        Assert.Empty(Directory.GetFiles(swarm.DownloadFolder("state"), "*.resume"));
        Assert.Empty(leecher.Torrents);
    }

    [Fact]
    public async Task A_torrent_added_paused_shows_its_saved_progress_and_fetches_nothing_until_resumed()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder(uploadLimit: 1024 * 1024);
        string state = swarm.DownloadFolder("state");
        string target = swarm.DownloadFolder("download");
        ShoalSession first = swarm.StartSession(state);
        TorrentHandle partial = first.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        while (partial.GetStatus().Swarm.PiecesHave == 0)
        {
            await Task.Delay(20);
        }

        await partial.PauseAsync();
        int saved = partial.GetStatus().Swarm.PiecesHave;
        Assert.InRange(saved, 1, swarm.Torrent.PieceCount - 1);
        await first.DisposeAsync();

        ShoalSession second = swarm.StartSession(state);
        TorrentHandle handle = second.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint], Paused = true });
        Assert.Equal(TorrentState.Paused, handle.State);
        await Task.Delay(500);
        Assert.Equal(saved, handle.GetStatus().Swarm.PiecesHave);
        Assert.Equal(0, handle.GetStatus().Swarm.Downloaded);

        handle.Resume();
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
    }

    /// <summary>
    /// BEP 52: a hybrid's two halves must describe the same data. Here its SHA-1 hashes are another content's, so the
    /// pieces the seeder sends match the Merkle roots and not the SHA-1 hashes: the leecher refuses the torrent.
    /// </summary>
    [Fact]
    public async Task A_hybrid_whose_v1_and_v2_hashes_disagree_is_refused_with_a_clear_error()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000);
        using var other = new TempFolder();
        other.File("content/a.bin", TempFolder.RandomBytes(100_000, 7));
        other.File("content/sub/b.bin", TempFolder.RandomBytes(200_000, 8));
        other.File("content/empty", []);
        Torrent otherTorrent = (await Shoal.Metainfo.Creation.TorrentCreator.CreateAsync(
            Path.Combine(other.Path, "content"),
            new Shoal.Metainfo.Creation.TorrentCreationOptions { Version = TorrentVersion.Hybrid, PieceLength = 64 * 1024 })).Torrent;
        Assert.Equal(swarm.Torrent.PieceCount, otherTorrent.PieceCount);
        Torrent lie = swarm.Torrent with { PieceHashesV1 = otherTorrent.PieceHashesV1 };
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(lie, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        ShoalSession leecher = swarm.StartSession();

        TorrentHandle handle = leecher.Add(lie, new AddTorrentOptions { SavePath = swarm.DownloadFolder("lie"), Peers = [seeder.ListenEndPoint] });

        StorageException error = await Assert.ThrowsAsync<StorageException>(() => handle.Completion.WaitAsync(Timeout));
        Assert.Contains("v1 and v2 hashes disagree", error.Message, StringComparison.Ordinal);
        Assert.Equal(TorrentState.Failed, handle.State);
    }

    [Fact]
    public async Task Seeding_content_that_does_not_match_the_torrent_fails_with_a_clear_error()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1024 * 1024);
        File.WriteAllBytes(Path.Combine(swarm.ContentPath, "a.bin"), TempFolder.RandomBytes((1024 * 1024) / 3, 99));
        ShoalSession session = swarm.StartSession();
        TorrentHandle handle = session.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath });
        StorageException error = await Assert.ThrowsAsync<StorageException>(() => handle.Completion.WaitAsync(Timeout));
        Assert.Contains("does not match the torrent", error.Message, StringComparison.Ordinal);
        Assert.Equal(TorrentState.Failed, handle.State);
    }
}
