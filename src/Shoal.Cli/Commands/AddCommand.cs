using System.CommandLine;
using Shoal.Cli.NodeApi;
using Shoal.Node.Api;

namespace Shoal.Cli.Commands;

/// <summary>`shoal add MAGNET|TORRENT_FILE|--share PATH [-o DIR]`: hands a torrent to the running node.</summary>
public static class AddCommand
{
    public static Command Build()
    {
        var source = new Argument<string?>("source") { Description = $"A magnet link, a .torrent file or an info-hash ({InfoHashArgument.Forms})", Arity = ArgumentArity.ZeroOrOne };
        var share = new Option<string?>("--share") { Description = "Share this local file or folder instead" };
        var output = new Option<string?>("--output", "-o") { Description = "Folder the node saves the torrent in (default: the node's download folder)" };
        var flags = new NodeFlags();
        var command = new Command("add", "Add a magnet, a .torrent or a local path to the running node") { source, share, output, flags.Node, flags.Data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? link = parse.GetValue(source);
            string? path = parse.GetValue(share);
            if ((link is null) == (path is null))
            {
                throw new UsageException("give one of a magnet link, a .torrent file, an info-hash and --share PATH");
            }

            string? savePath = parse.GetValue(output) is { } folder ? Path.GetFullPath(folder) : null;
            using CliRuntime runtime = CliRuntime.Create(parse);
            using NodeClient client = flags.Connect(parse);
            AddedTorrent added = link switch
            {
                null => await client.AddAsync(new AddTorrentRequest(null, null, Path.GetFullPath(path!), savePath, false), cancellationToken).ConfigureAwait(false),
                _ when link.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase) =>
                    await client.AddAsync(new AddTorrentRequest(link, null, null, savePath, false), cancellationToken).ConfigureAwait(false),
                _ when InfoHashArgument.LooksLikeInfoHash(link) =>
                    await client.AddAsync(new AddTorrentRequest(null, link, null, savePath, false), cancellationToken).ConfigureAwait(false),
                _ => await client.AddTorrentFileAsync(await File.ReadAllBytesAsync(link, cancellationToken).ConfigureAwait(false), savePath, cancellationToken).ConfigureAwait(false),
            };
            await runtime.Output.WriteLineAsync($"{(added.Created ? "added" : "already added")} {added.Torrent.Name}: {added.Torrent.Id}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
