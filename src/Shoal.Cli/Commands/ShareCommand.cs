using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Session;
using Shoal.Storage;
using Shoal.TrackerApi.Accounts;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal share PATH`: seeds a file or folder, from a new torrent or one given with --torrent, until Ctrl-C or SIGTERM.</summary>
public static class ShareCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("PATH") { Description = "The file or folder to seed" };
        var torrentFile = new Option<string?>("--torrent") { Description = "Seed with this .torrent (PATH is checked against it) instead of making a new one" };
        var torrentOut = new Option<string?>("--torrent-out") { Description = "Also write the new .torrent here" };
        var v1 = new Option<bool>("--v1") { Description = "Make a v1 torrent" };
        var v2 = new Option<bool>("--v2") { Description = "Make a v2 torrent" };
        var hybrid = new Option<bool>("--hybrid") { Description = "Make a hybrid v1 + v2 torrent (the default)" };
        var group = new Option<string?>("--group") { Description = "Share into this group on the current login's tracker: a private torrent (BEP 27) only its members get" };
        var flags = new SessionFlags();
        var command = new Command("share", "Seed a file or folder until Ctrl-C; with --tracker, announce to it and register in its file index") { path, torrentFile, torrentOut, v1, v2, hybrid, group };
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            string content = Path.GetFullPath(parse.GetValue(path)!);
            if (!File.Exists(content) && !Directory.Exists(content))
            {
                throw new IOException($"cannot share {content}: no such file or folder");
            }

            string? given = parse.GetValue(torrentFile);
            if (given is not null && (parse.GetValue(v1) || parse.GetValue(v2) || parse.GetValue(hybrid) || parse.GetValue(torrentOut) is not null))
            {
                throw new UsageException("--torrent uses an existing torrent: --v1, --v2, --hybrid and --torrent-out make a new one");
            }

            string? groupName = parse.GetValue(group);
            IReadOnlyList<System.Net.IPEndPoint> peers = flags.PeerList(parse);
            IReadOnlyList<string> trackers = flags.TrackerList(parse);
            if (groupName is not null && (given is not null || trackers.Count > 0))
            {
                throw new UsageException("--group makes a new private torrent for the current login's tracker: it takes neither --torrent nor --tracker");
            }

            LoginState? login = groupName is null ? CurrentLogin.ReadValid() : CurrentLogin.Require(null);
            var (upload, download) = flags.TorrentLimits(parse, runtime.Configuration);
            using var http = new HttpClient();
            SessionOptions sessionOptions = flags.SessionOptions(parse, runtime.Configuration, runtime.Loggers) with { HttpClient = http };
            Torrent torrent;
            byte[] torrentBytes;
            if (given is not null)
            {
                (torrent, torrentBytes) = await TorrentFile.ReadWithBytesAsync(given, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                TorrentVersion version = VersionFlags.Resolve(parse.GetValue(v1), parse.GetValue(v2), parse.GetValue(hybrid), runtime.Configuration["Create:Version"]);
                TorrentCreationOptions creation = groupName is null
                    ? new TorrentCreationOptions { Version = version, Trackers = trackers }
                    : new TorrentCreationOptions { Version = version, Trackers = [login!.Announce.ToString()], IsPrivate = true };
                CreatedTorrent created = await CreateAsync(runtime, content, creation, parse.GetValue(torrentOut), cancellationToken).ConfigureAwait(false);
                (torrent, torrentBytes) = (created.Torrent, created.FileBytes);
            }

            // Registered (or shared into the group) before the first announce, which the tracker refuses for an unknown torrent.
            if (groupName is not null)
            {
                GroupFile shared = await new TrackerAccountClient(login!.Tracker, http, login.Token, parse.GetValue(CliRuntime.InsecureOption)).ShareFileAsync(groupName, torrentBytes, cancellationToken).ConfigureAwait(false);
                runtime.Status.MarkupLine(Markup.Escape($"shared {shared.Name} in {groupName} on {login.Tracker}"));
            }

            await TrackerRegistration.TryRegisterAsync(runtime, http, parse.GetValue(CliRuntime.InsecureOption), trackers, torrentBytes, cancellationToken).ConfigureAwait(false);
            await using ShoalSession session = ShoalSession.Start(sessionOptions);
            PortMappingLines.Follow(session, line => runtime.Status.MarkupLine(Markup.Escape(line)));
            TorrentHandle handle = session.Add(torrent, new AddTorrentOptions
            {
                ContentPath = content,
                ContentIsVerified = given is null,
                Peers = peers,
                Trackers = trackers,
                AnnounceUrlRewrite = login is null ? null : login.RewriteAnnounceUrl,
                UploadLimit = upload,
                DownloadLimit = download,
            });
            if (given is not null)
            {
                // Checks PATH against the torrent; a mismatch fails here, before anything is announced.
                await TransferView.DownloadAsync(runtime.Status, handle, cancellationToken).ConfigureAwait(false);
            }

            await runtime.Output.WriteLineAsync(MagnetLink.FromTorrent(torrent).ToUri()).ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"listening on {session.ListenEndPoint}").ConfigureAwait(false);
            await TransferView.SeedAsync(runtime.Status, handle, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<CreatedTorrent> CreateAsync(CliRuntime runtime, string content, TorrentCreationOptions options, string? torrentOut, CancellationToken cancellationToken)
    {
        ContentSource source = ContentScanner.Scan(content);
        CreatedTorrent created = await TorrentHashing.CreateAsync(runtime, source, options, cancellationToken).ConfigureAwait(false);
        if (torrentOut is not null)
        {
            await AtomicFile.WriteAllBytesAsync(torrentOut, created.FileBytes, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }
}
