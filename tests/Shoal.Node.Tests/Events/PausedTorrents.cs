using System.Globalization;
using System.Text;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;

namespace Shoal.Node.Tests.Events;

/// <summary>Many small torrents added paused straight to a node, each of a file of a few bytes, so none has anything to check or fetch.</summary>
internal static class PausedTorrents
{
    private static readonly TorrentCreationOptions V1 = new() { Version = TorrentVersion.V1, HashingThreads = 1 };

    public static async Task AddAsync(NodeHost node, TempFolder folder, int count)
    {
        for (int i = 0; i < count; i++)
        {
            string file = folder.File($"paused/file-{i:D4}.bin", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
            CreatedTorrent created = await TorrentCreator.CreateAsync(file, V1);
            node.Torrents.Add(created.Torrent, created.FileBytes, Path.GetDirectoryName(file)!, paused: true);
        }
    }
}
