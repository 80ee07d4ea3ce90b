using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Session;

namespace Shoal.Node.Tests;

/// <summary>Starts nodes on loopback with free ports, no DHT and no local discovery, over one data folder.</summary>
internal static class TestNode
{
    public static NodeOptions Options(string folder) => new()
    {
        DataDirectory = Path.Combine(folder, "data"),
        DownloadDirectory = Path.Combine(folder, "downloads"),
        Api = new IPEndPoint(IPAddress.Loopback, 0),
        ShareRoots = [folder],
        Session = new SessionOptions { ListenAddress = IPAddress.Loopback, ListenPort = 0 },
    };

    public static Task<NodeHost> StartAsync(string folder) => NodeHost.StartAsync(Options(folder), NullLoggerFactory.Instance);

    /// <summary>
    /// A session fetching <paramref name="magnet"/> from <paramref name="node"/> at 20 kB/s over uTP and RC4 only: a
    /// connection that lasts and can be nothing else.
    /// </summary>
    public static ShoalSession StartEncryptedUtpLeecher(NodeHost node, string magnet, string savePath)
    {
        var leecher = ShoalSession.Start(new SessionOptions
        {
            ListenAddress = IPAddress.Loopback,
            Tcp = false,
            DownloadLimit = 20_000,
            Encryption = EncryptionMode.Require,
        });
        _ = leecher.AddAsync(MagnetLink.Parse(magnet), new AddTorrentOptions { SavePath = savePath, Peers = [node.Session.ListenEndPoint] });
        return leecher;
    }

    public static HttpClient Client(NodeHost node, string? token = null)
    {
        var client = new HttpClient { BaseAddress = node.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? node.Token.Value);
        return client;
    }
}
