using System.Globalization;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>A magnet link alone: no tracker, no peer named; libtorrent and Shoal meet through the DHT (BEP 5).</summary>
[Collection(nameof(SwarmCollection))]
public sealed class DhtInteropTests(SwarmSamples samples) : IClassFixture<SwarmSamples>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-dht-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Shoal_gets_a_magnet_whose_libtorrent_seed_it_finds_through_the_dht()
    {
        string content = samples.PathOf("single.bin");
        string torrent = Path.Combine(_folder, "single.torrent");
        ProcessResult created = await Tools.ShoalAsync("create", content, "-o", torrent, "--v1");
        Assert.True(created.ExitCode == 0, created.Error);
        string magnet = MagnetLink.FromTorrent(TorrentParser.Parse(await File.ReadAllBytesAsync(torrent))).ToUri();
        Assert.DoesNotContain("tr=", magnet, StringComparison.Ordinal);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root, extra: ["--dht"]);

        string output = Path.Combine(_folder, "got");
        string port = Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", magnet, "-o", output, "--port", port, "--dht-bootstrap", seed.Endpoint, "--no-lsd"], timeout: TimeSpan.FromMinutes(2));

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(content, Path.Combine(output, "single.bin"));
    }

    [Fact]
    public async Task Shoal_gets_a_bare_info_hash_whose_shoal_seed_it_finds_through_a_dht_on_loopback()
    {
        string content = samples.PathOf("multi");
        await using ShoalShare share = await ShoalShare.StartAsync(content, torrent: null, extra: ["--v1", "--no-lsd", "--listen", "127.0.0.1"]);
        string hash = MagnetLink.Parse(share.Magnet).InfoHashes.V1!.ToHex();

        string output = Path.Combine(_folder, "bare");
        string port = Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", hash, "-o", output, "--port", port, "--listen", "127.0.0.1", "--dht-bootstrap", share.Endpoint, "--no-lsd"], timeout: TimeSpan.FromMinutes(2));

        Assert.True(get.ExitCode == 0, $"shoal get {hash} exited with {get.ExitCode}: {get.Error}; shoal share: {share.Tail()}");
        Transfers.AssertSameContent(content, Path.Combine(output, "multi"));
        await share.StopAsync();
    }

    [Fact]
    public async Task Libtorrent_gets_a_magnet_whose_shoal_seed_it_finds_through_the_dht()
    {
        string content = samples.PathOf("multi");
        await using ShoalShare share = await ShoalShare.StartAsync(content, torrent: null, extra: ["--v1", "--no-lsd"]);
        Assert.DoesNotContain("tr=", share.Magnet, StringComparison.Ordinal);

        string output = Path.Combine(_folder, "lt");
        string port = Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), share.Magnet, output, "--port", port, "--dht-bootstrap", share.Endpoint, "--timeout", "90"],
            timeout: TimeSpan.FromMinutes(2));

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        Transfers.AssertSameContent(content, Path.Combine(output, "multi"));
        await share.StopAsync();
    }
}
