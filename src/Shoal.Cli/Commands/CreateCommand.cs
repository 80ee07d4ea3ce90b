using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Storage;

namespace Shoal.Cli.Commands;

/// <summary>`shoal create PATH -o OUT.torrent`: hashes a file or folder into a new torrent.</summary>
public static class CreateCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("PATH") { Description = "The file or folder to make a torrent of" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the .torrent file", Required = true };
        var pieceSize = new Option<string?>("--piece-size") { Description = "Bytes per piece (e.g. 262144, 256K, 4M); chosen from the size when left out" };
        var v1 = new Option<bool>("--v1") { Description = "A v1 torrent (BEP 3, SHA-1)" };
        var v2 = new Option<bool>("--v2") { Description = "A v2 torrent (BEP 52, SHA-256 Merkle trees)" };
        var hybrid = new Option<bool>("--hybrid") { Description = "A hybrid v1 + v2 torrent (the default)" };
        var trackers = new Option<string[]>("--tracker") { Description = "A tracker URL (repeatable; each becomes its own tier)", AllowMultipleArgumentsPerToken = false };
        var isPrivate = new Option<bool>("--private") { Description = "Mark the torrent private (BEP 27): no DHT, PEX or local discovery" };
        var comment = new Option<string?>("--comment") { Description = "A comment stored in the torrent" };
        var webSeeds = new Option<string[]>("--web-seed") { Description = "A web seed URL (BEP 19, repeatable)" };
        var register = new Option<bool>("--register") { Description = "Register the torrent in the file index of each --tracker" };

        var command = new Command("create", "Make a .torrent file from a file or a folder")
        {
            path, output, pieceSize, v1, v2, hybrid, trackers, isPrivate, comment, webSeeds, register,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            TorrentVersion version = VersionFlags.Resolve(parse.GetValue(v1), parse.GetValue(v2), parse.GetValue(hybrid), runtime.Configuration["Create:Version"]);
            string? pieceSizeText = parse.GetValue(pieceSize) ?? runtime.Configuration["Create:PieceSize"];
            long? pieceLength = null;
            if (!string.IsNullOrWhiteSpace(pieceSizeText))
            {
                pieceLength = ByteSize.TryParse(pieceSizeText, out long bytes)
                    ? bytes
                    : throw new UsageException($"--piece-size '{pieceSizeText}' is not a size in bytes");
            }

            string[] trackerUrls = parse.GetValue(trackers) ?? [];
            bool registering = parse.GetValue(register);
            if (registering && trackerUrls.Length == 0)
            {
                throw new UsageException("--register needs at least one --tracker to register with");
            }

            IReadOnlyList<string> registerWith = registering ? [.. trackerUrls.Select(TrackerUrl.Check)] : [];

            var options = new TorrentCreationOptions
            {
                Version = version,
                PieceLength = pieceLength,
                Trackers = trackerUrls,
                WebSeeds = parse.GetValue(webSeeds) ?? [],
                IsPrivate = parse.GetValue(isPrivate),
                Comment = parse.GetValue(comment),
            };
            byte[] torrentFile = await RunAsync(runtime, parse.GetValue(path)!, parse.GetValue(output)!, options, cancellationToken).ConfigureAwait(false);
            if (registerWith.Count > 0)
            {
                using var http = new HttpClient();
                await TrackerRegistration.RegisterAsync(runtime, http, parse.GetValue(CliRuntime.InsecureOption), registerWith, torrentFile, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<byte[]> RunAsync(CliRuntime runtime, string path, string outputPath, TorrentCreationOptions options, CancellationToken cancellationToken)
    {
        ILogger logger = runtime.Loggers.CreateLogger("shoal.create");
        ContentSource source = ContentScanner.Scan(path);
        CliLog.ContentFound(logger, source.Files.Count, source.TotalSize, path);
        string? outputFolder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (outputFolder is not null && !Directory.Exists(outputFolder))
        {
            throw new IOException($"cannot write {outputPath}: the folder {outputFolder} does not exist");
        }

        var stopwatch = Stopwatch.StartNew();
        CreatedTorrent created = await TorrentHashing.CreateAsync(runtime, source, options, cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        CliLog.Hashed(logger, source.TotalSize, seconds, options.HashingThreads);

        await AtomicFile.WriteAllBytesAsync(outputPath, created.FileBytes, cancellationToken).ConfigureAwait(false);
        Torrent torrent = created.Torrent;
        TextWriter output = runtime.Output;
        await output.WriteLineAsync(
            $"created {outputPath}: {VersionFlags.Name(torrent.Version)}, {ByteSize.Format(torrent.TotalSize)} in {torrent.ContentFiles.Count()} file(s), " +
            $"{torrent.PieceCount} pieces of {ByteSize.Format(torrent.PieceLength)}, hashed in {seconds:0.00} s").ConfigureAwait(false);
        if (torrent.InfoHashes.V1 is { } hashV1)
        {
            await output.WriteLineAsync($"info-hash v1: {hashV1.ToHex()}").ConfigureAwait(false);
        }

        if (torrent.InfoHashes.V2 is { } hashV2)
        {
            await output.WriteLineAsync($"info-hash v2: {hashV2.ToHex()}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(MagnetLink.FromTorrent(torrent).ToUri()).ConfigureAwait(false);
        return created.FileBytes;
    }
}
