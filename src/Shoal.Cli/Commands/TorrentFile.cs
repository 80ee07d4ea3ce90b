using Shoal.Metainfo;

namespace Shoal.Cli.Commands;

/// <summary>Reads and parses a .torrent named on the command line (`get`, `share --torrent`).</summary>
public static class TorrentFile
{
    public static async Task<Torrent> ReadAsync(string path, CancellationToken cancellationToken) =>
        (await ReadWithBytesAsync(path, cancellationToken).ConfigureAwait(false)).Torrent;

    /// <summary>The torrent and the file's bytes, as a tracker's file index wants them.</summary>
    public static async Task<(Torrent Torrent, byte[] Bytes)> ReadWithBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return (TorrentParser.Parse(bytes), bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException(InfoHashArgument.LooksLikeMistypedInfoHash(path)
                ? $"'{path}' is no file, nor an info-hash ({InfoHashArgument.Forms}); it has {path.Length} characters"
                : $"cannot read {path}: no such file");
        }
    }
}
