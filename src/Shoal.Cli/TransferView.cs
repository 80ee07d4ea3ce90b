using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Storage;
using Shoal.Swarm;
using Spectre.Console;

namespace Shoal.Cli;

/// <summary>Progress for a person on standard error: a bar while downloading or checking, a status line while seeding.</summary>
public static class TransferView
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>The columns of every transfer bar: what, bar, percent, rate, time left.</summary>
    public static ProgressColumn[] Columns() =>
        [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn()];

    /// <summary>
    /// Shows a bar (percent, rate, ETA, peers) until the torrent is complete; throws if it fails,
    /// <paramref name="cancellationToken"/> fires, or <paramref name="giveUp"/> gives a reason to stop
    /// (a <see cref="SessionException"/> with that reason).
    /// </summary>
    public static async Task DownloadAsync(IAnsiConsole console, TorrentHandle handle, CancellationToken cancellationToken, Func<TorrentStatus, string?>? giveUp = null)
    {
        await console.Progress()
            .AutoClear(false)
            .Columns(Columns())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(handle.Name), maxValue: Math.Max(1, handle.Torrent.AddressSpaceLength()));
                while (true)
                {
                    TorrentStatus status = handle.GetStatus();
                    Update(task, handle.Name, status);
                    if (handle.Completion.IsCompleted)
                    {
                        await handle.Completion.ConfigureAwait(false);
                        Update(task, handle.Name, handle.GetStatus());
                        return;
                    }

                    if (giveUp?.Invoke(status) is { } reason)
                    {
                        throw new SessionException(reason);
                    }

                    await Task.WhenAny(handle.Completion, Task.Delay(Refresh, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Shows upload rate and peers until <paramref name="cancellationToken"/> fires (then returns) or the torrent fails (then throws).</summary>
    public static async Task SeedAsync(IAnsiConsole console, TorrentHandle handle, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // Not a terminal (a log, a pipe): a line every few seconds, not a redraw every quarter second.
            // Written past the console's width rather than wrapped: one status per line, for whoever reads the log.
            await ReportSeedingAsync(status => console.Profile.Out.Writer.WriteLine(SeedingLine(status)), handle, LogInterval, cancellationToken).ConfigureAwait(false);
            return;
        }

        await console.Status().StartAsync(Markup.Escape($"seeding {handle.Name}"), context =>
            ReportSeedingAsync(status => context.Status(Markup.Escape(SeedingLine(status))), handle, Refresh, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task ReportSeedingAsync(Action<TorrentStatus> show, TorrentHandle handle, TimeSpan every, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TorrentStatus status = handle.GetStatus();
            if (status.State == TorrentState.Failed)
            {
                // A seeding torrent's completion has long succeeded: its failure is in the status alone.
                throw new StorageException(status.Error ?? $"{status.Name} stopped");
            }

            show(status);
            try
            {
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The totals as the seeding stops, not as they were up to a log interval before.
                show(handle.GetStatus());
                return;
            }
        }
    }

    public static string SeedingLine(TorrentStatus status)
    {
        SwarmStatus swarm = status.Swarm;
        string state = status.State == TorrentState.Checking ? $"checking {status.Checked}/{swarm.PieceCount} pieces" : status.State.ToString().ToLowerInvariant();
        string line = $"{status.Name}: {state} · up {ByteSize.Format(swarm.UploadRate)}/s · {PeerCount(swarm)} · uploaded {ByteSize.Format(swarm.Uploaded)}";
        return WithTrackers(line, status);
    }

    /// <summary>The line, then the trackers' state when the torrent has any: a line without trackers stays as it always was.</summary>
    private static string WithTrackers(string line, TorrentStatus status) =>
        TrackerLine.For(status.Trackers) is { } trackers ? $"{line} · {trackers}" : line;

    /// <summary>"received over TCP, encrypted: 1.0 GiB; uTP: 2.0 MiB", from peers (not web seeds); null when nothing came from one.</summary>
    public static string? ReceivedOverLine(TorrentStatus status) => status.Swarm.DownloadedByConnectionKind.Count == 0
        ? null
        : "received over " + string.Join("; ", status.Swarm.DownloadedByConnectionKind
            .OrderByDescending(pair => pair.Value)
            .Select(pair => $"{pair.Key}: {ByteSize.Format(pair.Value)}"));

    /// <summary>One line per web seed (BEP 19) that delivered, failed or was discarded, for after a download.</summary>
    public static IEnumerable<string> WebSeedLines(TorrentStatus status) => status.WebSeeds
        .Where(seed => seed.Downloaded > 0 || seed.LastError is not null)
        .Select(seed => seed.State switch
        {
            WebSeedState.Discarded => $"web seed {seed.Url}: discarded after {ByteSize.Format(seed.Downloaded)}: {seed.LastError}",
            _ when seed.LastError is not null => $"web seed {seed.Url}: fetched {ByteSize.Format(seed.Downloaded)}; last error: {seed.LastError}",
            _ => $"web seed {seed.Url}: fetched {ByteSize.Format(seed.Downloaded)}",
        });

    /// <summary>"3 peer(s) (1 uTP, 2 encrypted)", with web seeds counted apart.</summary>
    private static string PeerCount(SwarmStatus swarm)
    {
        int webSeeds = swarm.Peers.Count(peer => peer.WebSeed is not null);
        int peers = swarm.Peers.Count - webSeeds;
        int utp = swarm.Peers.Count(peer => peer.WebSeed is null && peer.Transport == PeerTransport.Utp);
        int encrypted = swarm.Peers.Count(peer => peer.WebSeed is null && peer.IsEncrypted);
        string kinds = utp + encrypted == 0 ? "" : $" ({string.Join(", ", new[] { utp > 0 ? $"{utp} uTP" : null, encrypted > 0 ? $"{encrypted} encrypted" : null }.OfType<string>())})";
        return webSeeds == 0 ? $"{peers} peer(s){kinds}" : $"{peers} peer(s){kinds}, {webSeeds} web seed(s)";
    }

    private static void Update(ProgressTask task, string name, TorrentStatus status)
    {
        SwarmStatus swarm = status.Swarm;
        string what = status.State switch
        {
            TorrentState.Checking => $"checking ({status.Checked}/{swarm.PieceCount})",
            _ => PeerCount(swarm),
        };
        task.Description = Markup.Escape(WithTrackers($"{name} · {what}", status));
        task.MaxValue = Math.Max(1, swarm.WantedBytes);
        task.Value = status.State == TorrentState.Checking ? 0 : swarm.WantedVerifiedBytes;
    }
}
