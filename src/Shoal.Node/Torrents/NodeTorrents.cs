using System.Text;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Node.Groups;
using Shoal.Node.Storage;
using Shoal.Session;

namespace Shoal.Node.Torrents;

/// <summary>
/// The node's torrents: each change goes to the session and to the store together, so what the store
/// holds is what a restart brings back.
/// </summary>
public sealed partial class NodeTorrents(ShoalSession session, NodeStore store, NodeLogin login, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<NodeTorrent> _torrents = [];

    /// <summary>Raised after a torrent is added, removed or changes state, so the event stream need not wait for its next tick.</summary>
    public event Action? Changed;

    public IReadOnlyList<NodeTorrent> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _torrents];
            }
        }
    }

    public NodeTorrent? Find(string id)
    {
        lock (_gate)
        {
            return _torrents.Find(t => t.Has(id));
        }
    }

    /// <summary>Brings back every stored torrent in its stored state: paused ones stay paused, the others start.</summary>
    public void Restore()
    {
        foreach (StoredTorrent stored in store.All())
        {
            bool paused = stored.State == NodeTorrentState.Paused;
            MagnetLink? magnet = null;
            Torrent? torrent = null;
            try
            {
                switch (stored.SourceKind)
                {
                    case TorrentSourceKind.Magnet:
                        magnet = MagnetLink.Parse(Encoding.UTF8.GetString(stored.Source));
                        break;
                    case TorrentSourceKind.Metadata:
                        torrent = FetchedMetadata.Read(stored.Source);
                        break;
                    default:
                        torrent = TorrentParser.Parse(stored.Source);
                        break;
                }
            }
            catch (FormatException e)
            {
                // One unreadable row must not keep the node and its other torrents down: it shows as an error.
                InfoHash hash = InfoHash.FromHex(stored.Id);
                Track(new NodeTorrent(
                    stored with { State = NodeTorrentState.Error, Error = $"cannot restore: {e.Message}" },
                    new InfoHashes(hash.IsV2 ? null : hash, hash.IsV2 ? hash : null),
                    stored.Id,
                    magnet: null));
                continue;
            }

            if (magnet is not null)
            {
                NodeTorrent entry = Track(new NodeTorrent(stored, magnet.InfoHashes, magnet.DisplayName ?? stored.Id, magnet));
                if (!paused)
                {
                    StartFetch(entry);
                }

                continue;
            }

            NodeTorrent restored = Track(new NodeTorrent(stored, torrent!.InfoHashes, torrent.Name, magnet: null));
            Start(restored, torrent, OptionsFor(stored) with { Paused = paused });
        }
    }

    /// <summary>Adds a .torrent; <c>Created</c> is false when the torrent was already there (it is then left as it was).</summary>
    public (NodeTorrent Torrent, bool Created) Add(Torrent torrent, byte[] torrentFile, string savePath, bool paused, string? contentPath = null)
    {
        var stored = new StoredTorrent(
            NodeTorrent.IdOf(torrent.InfoHashes), TorrentSourceKind.TorrentFile, torrentFile, savePath,
            paused ? NodeTorrentState.Paused : contentPath is null ? NodeTorrentState.Downloading : NodeTorrentState.Seeding,
            null, 0, 0, time.GetUtcNow());
        if (!TryTrack(new NodeTorrent(stored, torrent.InfoHashes, torrent.Name, magnet: null), out NodeTorrent entry))
        {
            return (entry, false);
        }

        store.Save(stored);
        Start(entry, torrent, new AddTorrentOptions { SavePath = savePath, ContentPath = contentPath, ContentIsVerified = contentPath is not null, Paused = paused });
        Changed?.Invoke();
        return (entry, true);
    }

    /// <summary>Adds a magnet link; its metadata is fetched from peers in the background (state <c>metadata</c>).</summary>
    public (NodeTorrent Torrent, bool Created) Add(MagnetLink magnet, string savePath, bool paused)
    {
        var stored = new StoredTorrent(
            NodeTorrent.IdOf(magnet.InfoHashes), TorrentSourceKind.Magnet, Encoding.UTF8.GetBytes(magnet.ToUri()), savePath,
            paused ? NodeTorrentState.Paused : NodeTorrentState.Metadata, null, 0, 0, time.GetUtcNow());
        if (!TryTrack(new NodeTorrent(stored, magnet.InfoHashes, magnet.DisplayName ?? stored.Id, magnet), out NodeTorrent entry))
        {
            return (entry, false);
        }

        store.Save(stored);
        if (!paused)
        {
            StartFetch(entry);
        }

        Changed?.Invoke();
        return (entry, true);
    }

    public async Task PauseAsync(NodeTorrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        if (torrent.Handle is { } handle)
        {
            await handle.PauseAsync().ConfigureAwait(false);
        }
        else
        {
            await StopFetchAsync(torrent).ConfigureAwait(false);
        }

        SetState(torrent, NodeTorrentState.Paused, null);
    }

    public void Resume(NodeTorrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        if (torrent.Handle is { } handle)
        {
            handle.Resume();
            SetState(torrent, handle.GetStatus().Swarm.Progress >= 1 ? NodeTorrentState.Seeding : NodeTorrentState.Downloading, null);
        }
        else if (torrent.Magnet is not null && torrent.Fetch is null)
        {
            SetState(torrent, NodeTorrentState.Metadata, null);
            StartFetch(torrent);
        }
    }

    /// <summary>Changes the torrent's own rate limits (bytes per second, 0 unlimited), now and after restarts.</summary>
    public void SetLimits(NodeTorrent torrent, long upload, long download)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentOutOfRangeException.ThrowIfNegative(upload);
        ArgumentOutOfRangeException.ThrowIfNegative(download);
        lock (_gate)
        {
            if (!_torrents.Contains(torrent))
            {
                return;
            }

            torrent.Stored = torrent.Stored with { UploadLimit = upload, DownloadLimit = download };
            store.SetLimits(torrent.Id, upload, download);
        }

        torrent.Handle?.SetLimits(upload, download);
    }

    /// <summary>
    /// Chooses the files to fetch (one priority per entry of the torrent's file list), at once and after restarts.
    /// </summary>
    public void SetFilePriorities(NodeTorrent torrent, IReadOnlyList<FilePriority> priorities)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        TorrentHandle handle = torrent.Handle ?? throw new NodeException($"{torrent.Name} has no metadata yet: its files are not known");
        handle.SetFilePriorities(priorities);
        byte[] stored = [.. handle.FilePriorities.Select(p => (byte)p)];
        lock (_gate)
        {
            if (!_torrents.Contains(torrent))
            {
                return;
            }

            torrent.Stored = torrent.Stored with { FilePriorities = stored };
            store.SetFilePriorities(torrent.Id, stored);
        }

        if (handle.State is TorrentState.Downloading or TorrentState.Seeding)
        {
            SetState(torrent, handle.State == TorrentState.Seeding ? NodeTorrentState.Seeding : NodeTorrentState.Downloading, null);
        }
    }

    /// <summary>
    /// Checks the torrent's files against its hashes again, trusting no resume data, and runs it after: the check
    /// is what a user asks for when files were changed or restored behind the node's back.
    /// </summary>
    public async Task RecheckAsync(NodeTorrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        TorrentHandle handle = torrent.Handle ?? throw new NodeException($"{torrent.Name} has no metadata yet: there is nothing to check");
        await session.RemoveAsync(handle, deleteFiles: false).ConfigureAwait(false);
        StoredTorrent stored = torrent.Stored;
        Start(torrent, handle.Torrent, OptionsFor(stored) with { Recheck = true });
        SetState(torrent, NodeTorrentState.Downloading, null);
    }

    /// <summary>Stops the torrent and forgets it; <paramref name="deleteFiles"/> also removes its files.</summary>
    public async Task RemoveAsync(NodeTorrent torrent, bool deleteFiles)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        lock (_gate)
        {
            _torrents.Remove(torrent);
        }

        Changed?.Invoke();
        await StopFetchAsync(torrent).ConfigureAwait(false);
        if (torrent.Handle is { } handle)
        {
            await session.RemoveAsync(handle, deleteFiles).ConfigureAwait(false);
        }

        store.Delete(torrent.Id);
    }

    /// <summary>Stops the magnet fetches; the session, disposed after, stops the torrents.</summary>
    public void Dispose()
    {
        foreach (NodeTorrent torrent in All)
        {
            torrent.Fetch?.Cancel();
        }
    }

    private NodeTorrent Track(NodeTorrent torrent)
    {
        lock (_gate)
        {
            _torrents.Add(torrent);
        }

        return torrent;
    }

    private bool TryTrack(NodeTorrent torrent, out NodeTorrent tracked)
    {
        lock (_gate)
        {
            NodeTorrent? existing = _torrents.Find(t => (torrent.Hashes.V1 is { } v1 && t.Has(v1.ToHex())) || (torrent.Hashes.V2 is { } v2 && t.Has(v2.ToHex())));
            if (existing is not null)
            {
                tracked = existing;
                return false;
            }

            _torrents.Add(torrent);
            tracked = torrent;
            return true;
        }
    }

    /// <summary>How a stored torrent runs: its folder, its limits, and the files chosen for it.</summary>
    private static AddTorrentOptions OptionsFor(StoredTorrent stored) => new()
    {
        SavePath = stored.SavePath,
        UploadLimit = stored.UploadLimit,
        DownloadLimit = stored.DownloadLimit,
        ChooseFiles = stored.FilePriorities is { } chosen ? torrent => ChosenFiles(torrent, chosen) : null,
    };

    /// <summary>The stored choice, unless it does not fit the torrent (then every file, rather than refusing to start).</summary>
    private static FilePriority[] ChosenFiles(Torrent torrent, byte[] chosen) =>
        chosen.Length == torrent.Files.Count && chosen.All(b => Enum.IsDefined((FilePriority)b))
            ? [.. chosen.Select(b => (FilePriority)b)]
            : FilePriorities.All(torrent);

    private void Start(NodeTorrent entry, Torrent torrent, AddTorrentOptions options)
    {
        // A private group's tracker knows the user by the passkey in the announce URL, as for `shoal get`.
        TorrentHandle handle = session.Add(torrent, options with { AnnounceUrlRewrite = login.AnnounceUrlRewrite() });
        entry.Attach(handle);
        _ = RecordOutcomeAsync(entry, handle);
    }

    /// <summary>What the engine decides on its own (a download completes, a torrent fails) reaches the store too.</summary>
    private async Task RecordOutcomeAsync(NodeTorrent entry, TorrentHandle handle)
    {
        try
        {
            await handle.Completion.ConfigureAwait(false);
            if (handle.State == TorrentState.Seeding)
            {
                SetState(entry, NodeTorrentState.Seeding, null);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (handle.State == TorrentState.Failed)
        {
            string error = handle.GetStatus().Error ?? e.Message;
            LogTorrentFailed(logger, entry.Id, handle.Name, error);
            SetState(entry, NodeTorrentState.Error, error);
        }
    }

    private void StartFetch(NodeTorrent entry)
    {
        var fetch = new CancellationTokenSource();
        entry.Fetch = fetch;
        _ = FetchAsync(entry, fetch);
    }

    private async Task FetchAsync(NodeTorrent entry, CancellationTokenSource fetch)
    {
        StoredTorrent stored = entry.Stored;
        try
        {
            TorrentHandle handle = await session.AddAsync(
                entry.Magnet!, OptionsFor(stored) with { AnnounceUrlRewrite = login.AnnounceUrlRewrite() },
                fetch.Token).ConfigureAwait(false);
            entry.Attach(handle);
            bool kept;
            lock (_gate)
            {
                kept = _torrents.Contains(entry);
                if (kept)
                {
                    store.SetSource(entry.Id, TorrentSourceKind.Metadata, FetchedMetadata.Write(handle.Torrent));
                }
            }

            if (!kept)
            {
                // Removed while its metadata arrived.
                await session.RemoveAsync(handle, deleteFiles: false).ConfigureAwait(false);
                return;
            }

            SetState(entry, NodeTorrentState.Downloading, null);
            _ = RecordOutcomeAsync(entry, handle);
        }
        catch (OperationCanceledException) when (fetch.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SessionException or ObjectDisposedException)
        {
            LogFetchFailed(logger, entry.Id, e.Message);
            SetState(entry, NodeTorrentState.Error, e.Message);
        }
        finally
        {
            // Not disposed: a pause may be cancelling it at this moment.
            entry.Fetch = null;
        }
    }

    private static Task StopFetchAsync(NodeTorrent torrent) => torrent.Fetch?.CancelAsync() ?? Task.CompletedTask;

    private void SetState(NodeTorrent torrent, NodeTorrentState state, string? error)
    {
        lock (_gate)
        {
            if (!_torrents.Contains(torrent))
            {
                return;
            }

            torrent.Stored = torrent.Stored with { State = state, Error = error };
            store.SetState(torrent.Id, state, error);
        }

        Changed?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Torrent {Id} ({Name}) stopped: {Error}")]
    private static partial void LogTorrentFailed(ILogger logger, string id, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the metadata of {Id} failed: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string id, string reason);
}
