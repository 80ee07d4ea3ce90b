using Shoal.Metainfo;

namespace Shoal.Cli.Commands;

/// <summary>Reads and parses a .torrent named on the command line (`get`, `share --torrent`).</summary>
public static class TorrentFile
{
    public static async Task<Torrent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return TorrentParser.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"cannot read {path}: no such file");
        }
    }
}
