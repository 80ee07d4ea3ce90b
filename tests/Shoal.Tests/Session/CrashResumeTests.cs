using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Session;
using Shoal.Storage;

namespace Shoal.Tests.Session;

/// <summary>What a session trusts at start after a run that was killed (no stop, no last record).</summary>
public sealed class CrashResumeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_killed_after_a_record_trusts_it_hashes_only_the_pieces_written_since_and_fetches_only_the_rest()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        Torrent torrent = swarm.Torrent;
        var (seeder, _) = swarm.StartSeeder();
        string state = swarm.DownloadFolder("state");
        string target = swarm.DownloadFolder("download");
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, target);
        var recorded = new PieceSet(torrent.PieceCount);
        var since = new PieceSet(torrent.PieceCount);

        // What the killed run left: its files made, a record written during the run, then more pieces written.
        using (var source = new FileStorage(torrent, FileStorage.PathsForContent(torrent, swarm.ContentPath), StorageAccess.ReadOnly))
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            storage.Allocate();
            CopyPieces(torrent, source, storage, recorded, Enumerable.Range(0, torrent.PieceCount).Where(p => p % 3 == 0));
            await ResumeDataFile.SaveAsync(ResumePath(state, torrent), ResumeDataFile.Capture(torrent, paths, recorded, stillWriting: true), CancellationToken.None);
            CopyPieces(torrent, source, storage, since, [1, 5, torrent.PieceCount - 1]);
        }

        ShoalSession session = swarm.StartSession(state);
        TorrentHandle handle = session.Add(torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        TorrentStatus status = handle.GetStatus();
        Assert.Equal(since.Count, status.Checked);
        var fetched = new PieceSet(torrent.PieceCount);
        foreach (int piece in Enumerable.Range(0, torrent.PieceCount).Where(p => !recorded[p] && !since[p]))
        {
            fetched.Set(piece);
        }

        Assert.Equal(torrent.BytesIn(fetched), status.Swarm.Downloaded);
        swarm.AssertDownloaded(target);
    }

    [Fact]
    public async Task A_run_killed_while_seeding_what_it_downloaded_is_trusted_without_a_check()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1024 * 1024);
        var (seeder, _) = swarm.StartSeeder();
        string state = swarm.DownloadFolder("state");
        string target = swarm.DownloadFolder("download");
        ShoalSession first = swarm.StartSession(state);
        await first.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] }).Completion.WaitAsync(Timeout);

        // The record of the completion is what a kill -9 while seeding leaves behind.
        ResumeData completed = await RecordAsync(ResumePath(state, swarm.Torrent), swarm.Torrent, r => r.Pieces.IsComplete);
        Assert.False(completed.StillWriting);

        ShoalSession second = swarm.StartSession(state);
        TorrentHandle restarted = second.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target });
        await restarted.Completion.WaitAsync(Timeout);
        Assert.Equal(0, restarted.GetStatus().Checked);
        Assert.Equal(TorrentState.Seeding, restarted.State);
    }

    private static string ResumePath(string state, Torrent torrent) => Path.Combine(state, $"{torrent.InfoHashes.ForWire.ToHex()}.resume");

    private static void CopyPieces(Torrent torrent, FileStorage source, FileStorage target, PieceSet copied, IEnumerable<int> pieces)
    {
        foreach (int piece in pieces)
        {
            byte[] data = new byte[torrent.PieceSize(piece)];
            source.Read(torrent.PieceOffset(piece), data);
            target.Write(torrent.PieceOffset(piece), [data]);
            copied.Set(piece);
        }
    }

    /// <summary>The saved record once it is one that <paramref name="wanted"/> accepts (saves run in the background).</summary>
    private static async Task<ResumeData> RecordAsync(string path, Torrent torrent, Func<ResumeData, bool> wanted)
    {
        using var limit = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (ResumeDataFile.TryLoad(path, torrent) is { } record && wanted(record))
            {
                return record;
            }

            await Task.Delay(20, limit.Token);
        }
    }
}
