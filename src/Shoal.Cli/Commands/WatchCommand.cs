using System.CommandLine;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Shoal.Cli.NodeApi;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal watch`: the running node's torrents, live from its event stream, until Ctrl-C.</summary>
public static class WatchCommand
{
    public static Command Build()
    {
        var flags = new NodeFlags();
        var command = new Command("watch", "Show the running node's torrents live until Ctrl-C (one line per change when the output is not a terminal)") { flags.Node, flags.Data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            using NodeClient client = flags.Connect(parse);
            IAsyncEnumerable<SseItem<JsonElement>> events = EventsAsync(client, cancellationToken);
            var torrents = new WatchedTorrents();
            try
            {
                if (runtime.Tables.Profile.Capabilities.Ansi)
                {
                    await ShowTableAsync(runtime.Tables, events, torrents).ConfigureAwait(false);
                }
                else
                {
                    await PrintLinesAsync(runtime.Output, events, torrents).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every event, across reconnections: the node ends the stream of a client that fell behind, and the next one starts from a fresh snapshot.</summary>
    private static async IAsyncEnumerable<SseItem<JsonElement>> EventsAsync(NodeClient client, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            await foreach (SseItem<JsonElement> item in client.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    private static async Task ShowTableAsync(IAnsiConsole console, IAsyncEnumerable<SseItem<JsonElement>> events, WatchedTorrents torrents)
    {
        await console.Live(Table(console, torrents)).StartAsync(async live =>
        {
            await foreach (SseItem<JsonElement> item in events.ConfigureAwait(false))
            {
                torrents.Apply(item);
                // A second's changes come just before its stats: redrawing then, not on each change, keeps
                // a thousand busy torrents to one redraw a second.
                if (item.EventType != "changed")
                {
                    live.UpdateTarget(Table(console, torrents));
                    live.Refresh();
                }
            }
        }).ConfigureAwait(false);
    }

    private static async Task PrintLinesAsync(TextWriter output, IAsyncEnumerable<SseItem<JsonElement>> events, WatchedTorrents torrents)
    {
        await foreach (SseItem<JsonElement> item in events.ConfigureAwait(false))
        {
            foreach (string line in torrents.Apply(item))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
    }

    private static Table Table(IAnsiConsole console, WatchedTorrents torrents)
    {
        Table table = TorrentTable.Build(torrents.List, console.Profile.Width);
        return torrents.Stats is { } stats
            ? table.Caption($"{stats.Torrents} torrent(s), down {TorrentTable.Rate(stats.DownRate)}, up {TorrentTable.Rate(stats.UpRate)}, {stats.Peers} peer(s); Ctrl-C to stop")
            : table;
    }
}
