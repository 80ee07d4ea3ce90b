using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.Metainfo;
using Shoal.Session;
using Shoal.TrackerApi.Accounts;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal get TORRENT_FILE|MAGNET|INFO_HASH [-o DIR]`: downloads, verifies, prints the path; `--seed` keeps seeding;
/// `--only` and `--skip` choose files.
/// </summary>
public static class GetCommand
{
    public static Command Build()
    {
        var source = new Argument<string>("TORRENT")
        {
            Description = $"A .torrent file, a magnet link or a bare info-hash ({InfoHashArgument.Forms}: peers and metadata then come from the DHT, local discovery, --tracker and --peer); with --group, the name of a file of the group",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Download folder (default: the current folder)" };
        var seed = new Option<bool>("--seed") { Description = "Keep seeding after the download completes, until Ctrl-C" };
        var recheck = new Option<bool>("--recheck") { Description = "Check every piece on disk instead of trusting resume data" };
        var group = new Option<string?>("--group") { Description = "Download the group's file named TORRENT, from the current login's tracker" };
        var only = new Option<string[]>("--only")
        {
            Description = "Fetch only the files matching these patterns (paths as `shoal info` shows them, the torrent's name first; * ? [abc] **; a folder selects what is under it)",
            AllowMultipleArgumentsPerToken = true,
        };
        var skip = new Option<string[]>("--skip")
        {
            Description = "Do not fetch the files matching these patterns (as --only); skipped files are not created",
            AllowMultipleArgumentsPerToken = true,
        };
        var flags = new SessionFlags();
        var command = new Command("get", "Download a torrent") { source, output, seed, recheck, group, only, skip };
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            string what = parse.GetValue(source)!;
            string folder = Path.GetFullPath(parse.GetValue(output) ?? ".");
            IReadOnlyList<System.Net.IPEndPoint> peers = flags.PeerList(parse);
            IReadOnlyList<string> trackers = flags.TrackerList(parse);
            var (upload, download) = flags.TorrentLimits(parse, runtime.Configuration);
            SessionOptions sessionOptions = flags.SessionOptions(parse, runtime.Configuration, runtime.Loggers);
            string? groupName = parse.GetValue(group);
            LoginState? login = groupName is null ? CurrentLogin.ReadValid() : CurrentLogin.Require(null);
            Torrent? torrent = groupName is null
                ? null
                : await GroupTorrentAsync(login!, groupName, what, parse.GetValue(CliRuntime.InsecureOption), cancellationToken).ConfigureAwait(false);

            await using ShoalSession session = ShoalSession.Start(sessionOptions);
            PortMappingLines.Follow(session, line => runtime.Status.MarkupLine(Markup.Escape(line)));
            var options = new AddTorrentOptions
            {
                SavePath = folder,
                Peers = peers,
                Trackers = trackers,
                AnnounceUrlRewrite = login is null ? null : login.RewriteAnnounceUrl,
                Recheck = parse.GetValue(recheck),
                UploadLimit = upload,
                DownloadLimit = download,
                ChooseFiles = ChooseFiles(parse.GetValue(only) ?? [], parse.GetValue(skip) ?? []),
            };
            TorrentHandle handle;
            try
            {
                handle = torrent is not null
                    ? session.Add(torrent, options)
                    : what.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase)
                    ? await AddMagnetAsync(runtime, session, MagnetLink.Parse(what), options, cancellationToken).ConfigureAwait(false)
                    : InfoHashArgument.LooksLikeInfoHash(what)
                    ? await AddMagnetAsync(runtime, session, MagnetLink.FromInfoHash(what), options, cancellationToken).ConfigureAwait(false)
                    : session.Add(await TorrentFile.ReadAsync(what, cancellationToken).ConfigureAwait(false), options);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("shoal: interrupted before the torrent's metadata arrived").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await TransferView.DownloadAsync(runtime.Status, handle, cancellationToken, status => TrackerRefusal.Reason(handle.Torrent, status, peers.Count > 0)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                TorrentStatus stopped = handle.GetStatus();
                await Console.Error.WriteLineAsync(
                    $"shoal: interrupted; {stopped.Swarm.PiecesHave} of {stopped.Swarm.PieceCount} pieces are verified and kept: run the same command to resume").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            TorrentStatus done = handle.GetStatus();
            double seconds = stopwatch.Elapsed.TotalSeconds;
            runtime.Status.MarkupLine(Markup.Escape(
                $"fetched {ByteSize.Format(done.Swarm.Downloaded)} in {seconds:0.00} s ({ByteSize.Format((long)(done.Swarm.Downloaded / Math.Max(seconds, 0.001)))}/s), {done.Swarm.HashFailures} piece(s) failed their check"));
            foreach (string line in TransferView.WebSeedLines(done).Prepend(TransferView.ReceivedOverLine(done)).OfType<string>())
            {
                runtime.Status.MarkupLine(Markup.Escape(line));
            }

            string path = Path.Combine(folder, handle.Torrent.Name);
            await runtime.Output.WriteLineAsync(path).ConfigureAwait(false);
            if (parse.GetValue(seed))
            {
                await TransferView.SeedAsync(runtime.Status, handle, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--only and --skip, applied once the file list is known; null without them (a magnet's so= then decides).</summary>
    private static Func<Torrent, IReadOnlyList<FilePriority>>? ChooseFiles(string[] only, string[] skip) =>
        only.Length == 0 && skip.Length == 0 ? null : torrent => FileChoice.Priorities(torrent, only, skip);

    /// <summary>Fetches the magnet's metadata (BEP 9) first; saying so when no peer source is known yet, since it then waits.</summary>
    private static Task<TorrentHandle> AddMagnetAsync(CliRuntime runtime, ShoalSession session, MagnetLink magnet, AddTorrentOptions options, CancellationToken cancellationToken)
    {
        if (options.Peers.Count == 0 && magnet.Peers.Count == 0 && magnet.Trackers.Count == 0 && options.Trackers.Count == 0)
        {
            runtime.Status.MarkupLine(Markup.Escape(
                "shoal: the magnet link names no peers and no tracker, and none was given: waiting for peers"));
        }
        else
        {
            runtime.Status.MarkupLine(Markup.Escape($"fetching the metadata of {magnet.DisplayName ?? magnet.InfoHashes.ForWire.ToHex()} from peers"));
        }

        return session.AddAsync(magnet, options, cancellationToken);
    }

    /// <summary>The .torrent of the group's file named <paramref name="name"/>, from the login's tracker.</summary>
    private static async Task<Torrent> GroupTorrentAsync(LoginState login, string group, string name, bool insecure, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var client = new TrackerAccountClient(login.Tracker, http, login.Token, insecure);
        GroupFile file = await GroupFileLookup.FindAsync(client, group, name, cancellationToken).ConfigureAwait(false);
        byte[] bytes = await client.GetGroupTorrentAsync(group, GroupFileLookup.HashOf(file), cancellationToken).ConfigureAwait(false);
        return TorrentParser.Parse(bytes);
    }
}
