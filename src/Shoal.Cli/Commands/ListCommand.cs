using System.CommandLine;
using Shoal.Cli.NodeApi;
using Shoal.Node.Api;

namespace Shoal.Cli.Commands;

/// <summary>`shoal list [--json]`: the running node's torrents.</summary>
public static class ListCommand
{
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "Print the torrent list as JSON for scripts" };
        var flags = new NodeFlags();
        var command = new Command("list", "List the running node's torrents with their state, progress and rates") { json, flags.Node, flags.Data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            using NodeClient client = flags.Connect(parse);
            TorrentList list = await client.ListAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, list, CliJson.Output.TorrentList).ConfigureAwait(false);
            }
            else
            {
                runtime.Tables.Write(TorrentTable.Build(list, runtime.Tables.Profile.Width));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
