using System.CommandLine;
using System.Globalization;
using Shoal.TrackerApi.Index;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal files --tracker URL [--search TEXT] [--page N] [--json]`: what a Shoal tracker's file index holds.</summary>
public static class FilesCommand
{
    public static Command Build()
    {
        var tracker = new Option<string>("--tracker") { Description = "The tracker's announce URL (http://, https:// or udp://)", Required = true };
        var search = new Option<string?>("--search") { Description = "Only files whose name contains this text" };
        var page = new Option<int?>("--page") { Description = $"Only this page ({FilePage.DefaultPerPage} files a page, from 1) instead of every file" };
        var json = new Option<bool>("--json") { Description = "Print the file page as JSON for scripts" };
        var command = new Command("files", "List the files a Shoal tracker's index knows, with their seeders and leechers") { tracker, search, page, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            var url = new Uri(TrackerUrl.Check(parse.GetValue(tracker)!));
            int? pageNumber = parse.GetValue(page);
            if (pageNumber < 1)
            {
                throw new UsageException($"--page {pageNumber} is not a page number (they start at 1)");
            }

            using var http = new HttpClient();
            var client = TrackerIndexClient.ForTracker(url, http);
            string? query = parse.GetValue(search);
            FilePage files = pageNumber is { } number
                ? await client.GetFilesAsync(query, number, FilePage.DefaultPerPage, cancellationToken).ConfigureAwait(false)
                : await client.GetAllFilesAsync(query, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, files, CliJson.Output.FilePage).ConfigureAwait(false);
            }
            else
            {
                runtime.Tables.Write(Table(files, runtime.Tables.Profile.Width));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Table Table(FilePage page, int consoleWidth)
    {
        var table = new Table()
            .AddColumn("name")
            .AddColumn(new TableColumn("size").RightAligned().NoWrap())
            .AddColumn(new TableColumn("seeders").RightAligned().NoWrap())
            .AddColumn(new TableColumn("leechers").RightAligned().NoWrap())
            .AddColumn(new TableColumn("completed").RightAligned().NoWrap())
            .AddColumn(new TableColumn("info-hash").NoWrap());
        // On a narrow terminal the name gets the room and the hash is shortened (--json has it whole).
        bool shortHashes = consoleWidth < 140;
        foreach (IndexedFile file in page.Files)
        {
            string hash = file.InfoHashV1 ?? file.InfoHashV2 ?? "";
            table.AddRow(
                new Text(file.Name),
                new Text(ByteSize.Format(file.Size)),
                new Text(file.Seeders.ToString(CultureInfo.InvariantCulture)),
                new Text(file.Leechers.ToString(CultureInfo.InvariantCulture)),
                new Text(file.Completed.ToString(CultureInfo.InvariantCulture)),
                new Text(shortHashes && hash.Length > 16 ? hash[..16] + "…" : hash));
        }

        int first = ((page.Page - 1) * page.PerPage) + 1;
        return table.Caption(page.Files.Count == 0
            ? $"no file of {page.Total}"
            : $"files {first} to {first + page.Files.Count - 1} of {page.Total}");
    }
}
