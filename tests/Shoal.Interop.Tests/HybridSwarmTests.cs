using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Swarm;

namespace Shoal.Interop.Tests;

/// <summary>
/// One hybrid swarm reached by both its info-hashes: a libtorrent seed and two Shoal leechers, one told only the v1
/// hash and one only the v2 hash, meeting through a tracker. aria2 1.36 and Transmission 3.00, the v1-only clients
/// here, cannot join a hybrid's swarm at all: aria2 computes a wrong v1 info-hash from a hybrid .torrent
/// (aria2/aria2#1903) and stalls after a hybrid magnet's metadata, and Transmission 3.00 refuses to open the file.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed class HybridSwarmTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-hybrid-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Leechers_told_only_the_v1_or_only_the_v2_hash_share_one_swarm_with_libtorrent_and_each_other()
    {
        string content = Path.Combine(_folder, "seed", "album");
        var random = new Random(14);
        foreach ((string name, int length) in new[] { ("one.bin", 3_000_000), ("two.bin", 2_500_000), ("three.bin", 2_900_000) })
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            Directory.CreateDirectory(content);
            await File.WriteAllBytesAsync(Path.Combine(content, name), bytes);
        }

        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(Path.Combine(_folder, "tracker"));
        string torrentFile = Path.Combine(_folder, "album.torrent");
        ProcessResult create = await Tools.ShoalAsync("create", content, "-o", torrentFile, "--hybrid", "--piece-size", "64K", "--tracker", tracker.HttpAnnounce);
        Assert.True(create.ExitCode == 0, create.Error);
        Torrent torrent = TorrentParser.Parse(await File.ReadAllBytesAsync(torrentFile));

        // Slow enough that the leechers have pieces the other lacks before the seed has sent everything twice.
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrentFile, Path.Combine(_folder, "seed"), uploadLimit: 1_500_000);
        await WaitForSeedInBothSwarmsAsync(tracker, torrent.InfoHashes);
        string tr = Uri.EscapeDataString(tracker.HttpAnnounce);
        string byV1 = $"magnet:?xt=urn:btih:{torrent.InfoHashes.V1!.ToHex()}&tr={tr}";
        string byV2 = $"magnet:?xt=urn:btmh:1220{torrent.InfoHashes.V2!.ToHex()}&tr={tr}";

        await using ShoalSession first = Session();
        await using ShoalSession second = Session();
        Task<TorrentHandle> v1Leecher = first.AddAsync(MagnetLink.Parse(byV1), new AddTorrentOptions { SavePath = Path.Combine(_folder, "v1") });
        Task<TorrentHandle> v2Leecher = second.AddAsync(MagnetLink.Parse(byV2), new AddTorrentOptions { SavePath = Path.Combine(_folder, "v2") });
        TorrentHandle[] leechers = await Task.WhenAll(v1Leecher, v2Leecher).WaitAsync(Timeout);
        await Task.WhenAll(leechers.Select(l => l.Completion)).WaitAsync(Timeout);

        foreach ((TorrentHandle leecher, string folder) in leechers.Zip(["v1", "v2"]))
        {
            Transfers.AssertSameContent(content, Path.Combine(_folder, folder, "album"));
            SwarmStatus status = leecher.GetStatus().Swarm;
            long fromLibtorrent = status.DownloadedByPeerId.Where(p => p.Key.StartsWith("-LT", StringComparison.Ordinal)).Sum(p => p.Value);
            long fromShoal = status.DownloadedByPeerId.Where(p => p.Key.StartsWith("-SH", StringComparison.Ordinal)).Sum(p => p.Value);
            Assert.True(fromLibtorrent > 0, $"the {folder} leecher got nothing from libtorrent: {string.Join(", ", status.DownloadedByPeerId)}");
            Assert.True(fromShoal > 0, $"the {folder} leecher got nothing from the other Shoal leecher: {string.Join(", ", status.DownloadedByPeerId)}");
        }
    }

    /// <summary>libtorrent announced both hashes: a magnet's fetch finds it at its first announce rather than a minute later.</summary>
    private static async Task WaitForSeedInBothSwarmsAsync(ShoalTrackerProcess tracker, InfoHashes hashes)
    {
        using var http = new HttpClient();
        var client = new HttpTrackerClient(new Uri(tracker.HttpAnnounce), http);
        InfoHash[] both = [hashes.V1!, hashes.V2!.Truncated];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Asked every half second: the tracker limits what one address may ask, and the leechers share this one.
        while ((await client.ScrapeAsync(both, CancellationToken.None)) is var scrape && !both.All(h => scrape.Files.TryGetValue(h, out ScrapeStats? s) && s.Complete > 0))
        {
            Assert.True(clock.Elapsed < Timeout, "libtorrent never announced itself as a seed of both the v1 and the v2 swarm");
            await Task.Delay(500);
        }
    }

    private static ShoalSession Session() => ShoalSession.Start(new SessionOptions { ListenAddress = IPAddress.Loopback });
}
