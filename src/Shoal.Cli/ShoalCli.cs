using System.CommandLine;
using Shoal.Bencoding;
using Shoal.Cli.Accounts;
using Shoal.Cli.Commands;
using Shoal.Cli.NodeApi;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Net;
using Shoal.Node;
using Shoal.Session;
using Shoal.Tracker.Storage;
using Shoal.Tracker.Storage.Sql;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using Shoal.Wire;

namespace Shoal.Cli;

/// <summary>The `shoal` command line: parsing, dispatch, and the one-line error contract.</summary>
public static class ShoalCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Shoal: share and fetch files with BitTorrent peers");
        root.Options.Add(CliRuntime.VerboseOption);
        root.Options.Add(CliRuntime.InsecureOption);
        root.Subcommands.Add(CreateCommand.Build());
        root.Subcommands.Add(InfoCommand.Build());
        root.Subcommands.Add(ShareCommand.Build());
        root.Subcommands.Add(GetCommand.Build());
        root.Subcommands.Add(FilesCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(TrackerCommand.Build());
        root.Subcommands.Add(NodeCommand.Build());
        root.Subcommands.Add(AddCommand.Build());
        root.Subcommands.Add(ListCommand.Build());
        root.Subcommands.Add(WatchCommand.Build());
        root.Subcommands.Add(TorrentControlCommands.Pause());
        root.Subcommands.Add(TorrentControlCommands.Resume());
        root.Subcommands.Add(TorrentControlCommands.Remove());
        root.Subcommands.Add(DhtCommand.Build());
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(UserCommand.Build());
        root.Subcommands.Add(LoginCommand.Build());
        root.Subcommands.Add(LogoutCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(GroupCommand.Build());
        root.Subcommands.Add(StopSharingCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The last error is the most specific (an unknown word rather than "command missing").
            await Console.Error.WriteLineAsync($"shoal: {parse.Errors[^1].Message} (see 'shoal --help')").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        try
        {
            // Ctrl-C and SIGTERM cancel the command's token; a session then has time to stop cleanly.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(20) };
            return await parse.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            int? known = ExitCodeFor(e);
            string message = e switch
            {
                OperationCanceledException => "interrupted; nothing was written",
                _ when known is null => $"unexpected error ({e.GetType().Name}): {e.Message}",
                _ => e.Message,
            };
            await Console.Error.WriteLineAsync($"shoal: {OneLine(message)}").ConfigureAwait(false);
            if (parse.GetValue(CliRuntime.VerboseOption))
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return known ?? ExitCodes.BadInput;
        }
    }

    private static int? ExitCodeFor(Exception e) => e switch
    {
        UsageException => ExitCodes.BadUsage,
        MetainfoException or MagnetLinkException or BencodeException or TorrentCreationException => ExitCodes.BadInput,
        SessionException or NetworkException or PeerProtocolException or TrackerIndexException => ExitCodes.BadInput,
        TrackerAccountException or LoginException => ExitCodes.BadInput,
        TrackerStoreException or NodeException or NodeClientException => ExitCodes.BadInput,
        IOException or UnauthorizedAccessException => ExitCodes.BadInput,
        OperationCanceledException => ExitCodes.Interrupted,
        _ => null,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
