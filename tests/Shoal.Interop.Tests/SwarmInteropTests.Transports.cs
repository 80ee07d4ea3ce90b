using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>
/// Protocol encryption (MSE/PE) and uTP (BEP 29) with libtorrent 2.0.8 on 127.0.0.1: libtorrent forcing RC4 both ways,
/// libtorrent with TCP off, and both together, in each direction; every file's SHA-256 checked, and how the bytes
/// travelled checked on both sides (libtorrent's peer flags, Shoal's `received over` line).
/// </summary>
public sealed partial class SwarmInteropTests
{
    private const string Content = "single.bin";

    public static TheoryData<string, string, string> Transports => new()
    {
        // libtorrent's flags, Shoal's flags, the kind of connection both must report
        { "--transport tcp --encryption forced", "--encryption require", "tcp+rc4" },
        { "--transport utp --encryption disabled", "", "utp+plaintext" },
        { "--transport utp --encryption forced", "--encryption require --no-tcp", "utp+rc4" },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Shoal_gets_from_a_libtorrent_seed_over(string libtorrent, string shoal, string kind)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(Content), "v1", SwarmSamples.PieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root, extra: Flags(libtorrent));

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), "--peer", seed.Endpoint, "--no-dht", "--no-lsd", .. Flags(shoal)], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(samples.PathOf(Content), Path.Combine(output, Content));
        Assert.Contains($"received over {ShoalKind(kind)}: ", get.Error, StringComparison.Ordinal);
        JsonElement stopped = await seed.StopWithSummaryAsync();
        Assert.Equal([kind], stopped.GetProperty("connections").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Libtorrent_gets_from_shoal_share_over(string libtorrent, string shoal, string kind)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(Content), "v1", SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(Content), torrent, extra: ["--no-dht", "--no-lsd", .. Flags(shoal)]);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), torrent, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90", .. Flags(libtorrent)],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal([kind], finished.GetProperty("connections").EnumerateArray().Select(e => e.GetString()));
        Transfers.AssertSameContent(samples.PathOf(Content), Path.Combine(output, Content));
        await share.StopAsync();
    }

    [Fact]
    public async Task Libtorrent_gets_64_mib_from_shoal_share_over_utp_through_its_losses()
    {
        // Enough that libtorrent's socket drops some of our bursts: it then puts selective acks of (span + 7) / 8 bytes
        // on every packet, which we once dropped, so it timed each connection out after a few MB.
        const long Size = 64L << 20;
        string content = Path.Combine(NewFolder("source"), "large.bin");
        WriteRandomFile(content, Size, seed: 29);
        string torrent = await MakeTorrentAsync(content, "v1", SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(content, torrent, extra: ["--no-dht", "--no-lsd", "--no-tcp"]);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), torrent, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90", "--transport", "utp"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal(["utp+plaintext"], finished.GetProperty("connections").EnumerateArray().Select(e => e.GetString()));
        Transfers.AssertSameContent(content, Path.Combine(output, "large.bin"));

        // Under a second on loopback; each stall cost 4.5 s and a new connection (50 s in all was usual).
        Assert.True(finished.GetProperty("seconds").GetDouble() < 30, $"64 MiB took {finished.GetProperty("seconds")} s");
        await share.StopAsync();
    }

    [Fact]
    public async Task Shoal_requiring_encryption_refuses_a_plaintext_only_libtorrent_seed()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(Content), "v1", SwarmSamples.PieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root, extra: ["--encryption", "disabled"]);
        string output = NewFolder("got");

        await using (RunningProcess get = RunningProcess.Start(
            Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), "--peer", seed.Endpoint, "--no-dht", "--no-lsd", "--encryption", "require"]))
        {
            // Long enough for several dials (5 s back-off after the first failure); nothing may get through meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.False(get.HasExited, $"shoal get ended: {get.Tail()}");
            await get.TerminateAsync(TimeSpan.FromSeconds(15));
        }

        JsonElement stopped = await seed.StopWithSummaryAsync();
        Assert.Equal(0, stopped.GetProperty("total_payload_upload").GetInt64());
        Assert.Empty(stopped.GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Shoal_share_requiring_encryption_refuses_a_plaintext_only_libtorrent()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(Content), "v1", SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(Content), torrent, extra: ["--no-dht", "--no-lsd", "--encryption", "require"]);

        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), torrent, NewFolder("got"), "--port", Port(), "--connect", share.Endpoint, "--timeout", "8", "--encryption", "disabled"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 1, $"lt_get.py should time out with nothing: {get.Output} {get.Error}");
        Assert.Contains("\"event\": \"error\"", get.Output, StringComparison.Ordinal);
        Assert.Contains(": 0 of ", get.Output, StringComparison.Ordinal);
        await share.StopAsync();
    }

    private static string[] Flags(string flags) => flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>libtorrent's "utp+rc4" as Shoal's `received over` line says it: "uTP, encrypted".</summary>
    private static string ShoalKind(string kind) => kind switch
    {
        "tcp+rc4" => "TCP, encrypted",
        "tcp+plaintext" => "TCP",
        "utp+rc4" => "uTP, encrypted",
        "utp+plaintext" => "uTP",
        _ => throw new ArgumentException($"unknown kind {kind}", nameof(kind)),
    };
}
