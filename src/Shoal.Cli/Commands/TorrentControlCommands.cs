using System.CommandLine;
using Shoal.Cli.NodeApi;
using Shoal.Node.Api;

namespace Shoal.Cli.Commands;

/// <summary>`shoal pause ID`, `shoal resume ID` and `shoal remove ID [--delete-files]`: one torrent of the running node.</summary>
public static class TorrentControlCommands
{
    public static Command Pause() => Build("pause", "Pause one of the running node's torrents", async (client, id, _, cancellationToken) =>
    {
        TorrentView torrent = await client.PauseAsync(id, cancellationToken).ConfigureAwait(false);
        return $"paused {torrent.Name}";
    });

    public static Command Resume() => Build("resume", "Resume one of the running node's torrents", async (client, id, _, cancellationToken) =>
    {
        TorrentView torrent = await client.ResumeAsync(id, cancellationToken).ConfigureAwait(false);
        return $"resumed {torrent.Name}: {torrent.State}";
    });

    public static Command Remove()
    {
        var deleteFiles = new Option<bool>("--delete-files") { Description = "Also delete the torrent's downloaded or shared files" };
        Command command = Build("remove", "Remove one of the running node's torrents", async (client, id, parse, cancellationToken) =>
        {
            bool delete = parse.GetValue(deleteFiles);
            await client.RemoveAsync(id, delete, cancellationToken).ConfigureAwait(false);
            return delete ? $"removed {id} and its files" : $"removed {id}";
        });
        command.Options.Add(deleteFiles);
        return command;
    }

    private static Command Build(string name, string description, Func<NodeClient, string, ParseResult, CancellationToken, Task<string>> act)
    {
        var id = new Argument<string>("id") { Description = "The torrent's id (its info-hash), or the start of it as `shoal list` shows it" };
        var flags = new NodeFlags();
        var command = new Command(name, description) { id, flags.Node, flags.Data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            using NodeClient client = flags.Connect(parse);
            string whole = await client.ResolveAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            string done = await act(client, whole, parse, cancellationToken).ConfigureAwait(false);
            await runtime.Output.WriteLineAsync(done).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
