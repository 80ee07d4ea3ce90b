using Shoal.Metainfo.Creation;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>Hashes content into a torrent behind a progress bar, for `create` and `share`.</summary>
public static class TorrentHashing
{
    public static async Task<CreatedTorrent> CreateAsync(CliRuntime runtime, ContentSource source, TorrentCreationOptions options, CancellationToken cancellationToken) =>
        await runtime.Status.Progress()
            .AutoClear(true)
            .Columns(TransferView.Columns())
            .StartAsync(async context =>
            {
                ProgressTask hashing = context.AddTask($"hashing {Markup.Escape(source.Name)}", maxValue: Math.Max(1, source.TotalSize));
                return await TorrentCreator.CreateAsync(source, options, bytes => hashing.Increment(bytes), cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
}
