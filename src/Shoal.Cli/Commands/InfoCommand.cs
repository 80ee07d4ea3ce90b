using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal info TORRENT_FILE|MAGNET [--json]`: what a torrent or magnet link describes.</summary>
public static class InfoCommand
{
    public static Command Build()
    {
        var source = new Argument<string>("TORRENT_FILE|MAGNET") { Description = "A .torrent file or a magnet link" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("info", "Show what a .torrent file or magnet link describes") { source, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            ILogger logger = runtime.Loggers.CreateLogger("shoal.info");
            TorrentSummary summary = await ReadAsync(parse.GetValue(source)!, cancellationToken).ConfigureAwait(false);
            CliLog.TorrentRead(logger, summary.Name, summary.Version ?? "magnet link", summary.PieceCount, summary.Files.Count);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, summary, CliJson.Output.TorrentSummary).ConfigureAwait(false);
            }
            else
            {
                Print(runtime.Tables, summary);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<TorrentSummary> ReadAsync(string source, CancellationToken cancellationToken)
    {
        if (source.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase))
        {
            return TorrentSummary.From(MagnetLink.Parse(source));
        }

        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"{source}: no such file (give a .torrent file or a magnet link)");
        }

        byte[] bytes = await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false);
        return TorrentSummary.From(TorrentParser.Parse(bytes));
    }

    private static void Print(IAnsiConsole console, TorrentSummary summary)
    {
        var table = new Table().HideHeaders().NoBorder().AddColumn("field").AddColumn("value");
        void Row(string field, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                table.AddRow(new Text(field, new Style(decoration: Decoration.Bold)), new Text(value));
            }
        }

        Row("name", summary.Name);
        Row("version", summary.Version);
        Row("size", summary.TotalSize is { } size ? $"{ByteSize.Format(size)} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)" : null);
        Row("pieces", summary.PieceCount is { } count ? $"{count} of {ByteSize.Format(summary.PieceLength!.Value)}" : null);
        Row("info-hash v1", summary.InfoHashV1);
        Row("info-hash v2", summary.InfoHashV2);
        Row("private", summary.Private ? "yes (BEP 27)" : null);
        Row("trackers", string.Join('\n', summary.Trackers));
        Row("web seeds", string.Join('\n', summary.WebSeeds));
        Row("comment", summary.Comment);
        Row("created by", summary.CreatedBy);
        Row("created", summary.CreationDate?.ToString("u", CultureInfo.InvariantCulture));
        Row("magnet", summary.Magnet);
        console.Write(table);

        if (summary.Files.Count > 0)
        {
            var files = new Table().AddColumn(new TableColumn("#").RightAligned()).AddColumn("file").AddColumn(new TableColumn("size").RightAligned());
            foreach (var file in summary.Files)
            {
                files.AddRow(new Text(file.Index.ToString(CultureInfo.InvariantCulture)), new Text(file.Path), new Text(ByteSize.Format(file.Length)));
            }

            console.Write(files);
        }
    }
}
