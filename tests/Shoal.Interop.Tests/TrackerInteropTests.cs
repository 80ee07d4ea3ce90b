using System.Globalization;
using System.Text.Json;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>
/// Peers that know nothing of each other meet through a tracker: real clients through `shoal tracker`
/// (HTTP and UDP), and `shoal share`/`shoal get` through Debian's opentracker. No test names a peer.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed class TrackerInteropTests(SwarmSamples samples) : IClassFixture<SwarmSamples>, IDisposable
{
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(2);

    // The peers must meet through the tracker under test, not the DHT or local discovery.
    private static readonly string[] TrackersOnly = ["--no-dht", "--no-lsd"];

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-tracker-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_libtorrent_seed_and_an_aria2_leecher_meet_through_shoal_tracker_over_http()
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(NewFolder("tracker"));
        string torrent = await CreateAsync(samples.PathOf("single.bin"), "--v1", "--tracker", tracker.HttpAnnounce);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("aria2");
        int ariaPort = Tools.FreeTcpPort();
        await using RunningProcess aria = Aria2.Start(torrent, output, ariaPort);
        int code = await aria.WaitForExitAsync(TransferTimeout);

        Assert.True(code == 0, $"aria2c exited with {code}: {aria.Tail()}; tracker: {tracker.Tail()}");
        Transfers.AssertSameContent(samples.PathOf("single.bin"), Path.Combine(output, "single.bin"));
        InfoHash hash = TorrentParser.Parse(await File.ReadAllBytesAsync(torrent)).InfoHashes.V1!;
        using var http = new HttpClient();
        ScrapeResponse scrape = await new HttpTrackerClient(new Uri(tracker.HttpAnnounce), http).ScrapeAsync([hash], CancellationToken.None);
        Assert.True(scrape.Files[hash].Complete >= 1, $"the tracker should count libtorrent as a seeder: {scrape.Files[hash]}");
        await tracker.StopAsync();
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("hybrid")]
    public async Task Libtorrent_peers_meet_through_shoal_tracker_over_udp(string version)
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(NewFolder("tracker"));
        string torrent = await CreateAsync(samples.PathOf("multi"), $"--{version}", "--tracker", tracker.UdpAnnounce);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("lt");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python, [Tools.Script("lt_get.py"), torrent, output, "--port", Port(), "--timeout", "90"], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; tracker: {tracker.Tail()}");
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));

        // libtorrent announced event=completed when it finished.
        InfoHash hash = TorrentParser.Parse(await File.ReadAllBytesAsync(torrent)).InfoHashes.ForWire;
        var udp = new UdpTrackerClient(new Uri(tracker.UdpAnnounce), TimeProvider.System);
        ScrapeResponse scrape = await udp.ScrapeAsync([hash], CancellationToken.None);
        Assert.Equal(1, scrape.Files[hash].Downloaded);
        await tracker.StopAsync();
    }

    [Theory]
    [InlineData("http")]
    [InlineData("udp")]
    public async Task Shoal_share_and_shoal_get_meet_through_opentracker(string scheme)
    {
        string probe = await CreateAsync(samples.PathOf("multi"), "--hybrid");
        await using OpenTracker tracker = await OpenTracker.StartAsync(probe);
        string announce = scheme == "http" ? tracker.HttpAnnounce : tracker.UdpAnnounce;
        string torrent = await CreateAsync(samples.PathOf("multi"), "--hybrid", "--tracker", announce);
        Assert.Equal(
            TorrentParser.Parse(await File.ReadAllBytesAsync(probe)).InfoHashes,
            TorrentParser.Parse(await File.ReadAllBytesAsync(torrent)).InfoHashes);

        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf("multi"), torrent, extra: TrackersOnly);
        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), .. TrackersOnly], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}; shoal share: {share.Tail()}");
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));
        await share.StopAsync();
    }

    [Fact]
    public async Task Shoal_share_registers_its_file_and_shoal_files_lists_it()
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(NewFolder("tracker"), "--closed", "--open-registration");
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf("single.bin"), torrent: null, extra: ["--tracker", tracker.HttpAnnounce, .. TrackersOnly]);

        JsonElement page = default;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            ProcessResult files = await Tools.ShoalAsync("files", "--tracker", tracker.UdpAnnounce, "--json");
            Assert.True(files.ExitCode == 0, $"shoal files: {files.Error}");
            page = JsonDocument.Parse(files.Output).RootElement;
            if (page.GetProperty("files").EnumerateArray().Any(f => f.GetProperty("seeders").GetInt32() == 1))
            {
                break;
            }

            await Task.Delay(100);
        }

        JsonElement file = Assert.Single(page.GetProperty("files").EnumerateArray());
        Assert.Equal("single.bin", file.GetProperty("name").GetString());
        Assert.Equal(1, file.GetProperty("seeders").GetInt32());

        // The tracker is closed: the shared file is tracked because share registered it, so a get finds the seeder.
        string output = NewFolder("got");
        string torrent = Path.Combine(_folder, "from-index.torrent");
        using (var http = new HttpClient())
        {
            string hash = file.GetProperty("infoHashV1").GetString()!;
            await File.WriteAllBytesAsync(torrent, await http.GetByteArrayAsync(new Uri(new Uri(tracker.HttpAnnounce), $"/api/torrents/{hash}.torrent")));
        }

        ProcessResult get = await ProcessRunner.RunAsync(Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), .. TrackersOnly], timeout: TransferTimeout);
        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}; shoal share: {share.Tail()}");
        Transfers.AssertSameContent(samples.PathOf("single.bin"), Path.Combine(output, "single.bin"));
        await share.StopAsync();
    }

    [Fact]
    public async Task Two_shoal_trackers_on_one_postgresql_database_serve_the_same_swarm_and_keep_it_across_restarts()
    {
        await using Shoal.Tracker.Tests.Storage.TestDatabase database = await Shoal.Tracker.Tests.Storage.TestDatabase.CreateAsync();
        string[] onPostgres = ["--store", "postgres:" + database.ConnectionString, "--closed", "--open-registration"];
        string content = samples.PathOf("single.bin");
        string output = NewFolder("got");
        await using (ShoalTrackerProcess first = await ShoalTrackerProcess.StartAsync(NewFolder("first"), onPostgres))
        await using (ShoalTrackerProcess second = await ShoalTrackerProcess.StartAsync(NewFolder("second"), onPostgres))
        {
            // The seeder registers with and announces to the first; the leecher knows only the second.
            string torrent = await CreateAsync(content, "--v1", "--tracker", first.HttpAnnounce, "--register");
            string viaSecond = await CreateAsync(content, "--v1", "--tracker", second.UdpAnnounce);
            Assert.Equal(
                TorrentParser.Parse(await File.ReadAllBytesAsync(torrent)).InfoHashes,
                TorrentParser.Parse(await File.ReadAllBytesAsync(viaSecond)).InfoHashes);
            await using ShoalShare share = await ShoalShare.StartAsync(content, torrent, extra: TrackersOnly);

            ProcessResult get = await ProcessRunner.RunAsync(Tools.Shoal, ["get", viaSecond, "-o", output, "--port", Port(), .. TrackersOnly], timeout: TransferTimeout);
            Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}; first tracker: {first.Tail()}; second: {second.Tail()}");
            Transfers.AssertSameContent(content, Path.Combine(output, "single.bin"));
            await share.StopAsync();
            await first.StopAsync();
            await second.StopAsync();
        }

        await using ShoalTrackerProcess restarted = await ShoalTrackerProcess.StartAsync(NewFolder("restarted"), onPostgres);
        ProcessResult files = await Tools.ShoalAsync("files", "--tracker", restarted.HttpAnnounce, "--json");
        JsonElement file = Assert.Single(JsonDocument.Parse(files.Output).RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal(("single.bin", 1), (file.GetProperty("name").GetString(), file.GetProperty("completed").GetInt32()));
        await restarted.StopAsync();
    }

    private static string Port() => Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);

    private async Task<string> CreateAsync(string content, params string[] options)
    {
        string torrent = Path.Combine(_folder, $"{Guid.NewGuid():N}.torrent");
        ProcessResult created = await Tools.ShoalAsync(["create", content, "-o", torrent, "--piece-size", SwarmSamples.PieceLength.ToString(CultureInfo.InvariantCulture), .. options]);
        Assert.True(created.ExitCode == 0, $"shoal create: {created.Error}");
        return torrent;
    }

    private string NewFolder(string prefix) =>
        Directory.CreateDirectory(Path.Combine(_folder, $"{prefix}-{Guid.NewGuid():N}")).FullName;
}
