using System.Text.Json;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>Magnet links both ways (BEP 9): each side fetches the metadata from the other, then the content.</summary>
public sealed partial class SwarmInteropTests
{
    public static TheoryData<string, string> MagnetContents => new()
    {
        { "multi", "v1" },
        { "multi", "hybrid" },
    };

    [Theory]
    [MemberData(nameof(MagnetContents))]
    public async Task Shoal_gets_a_magnet_from_a_libtorrent_seed(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", MagnetOf(torrent), "-o", output, "--port", Port(), "--peer", seed.Endpoint], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Assert.Equal(Path.Combine(output, name), get.Output.Trim());
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
    }

    [Theory]
    [MemberData(nameof(MagnetContents))]
    public async Task Libtorrent_gets_a_magnet_from_shoal_share(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(name), torrent);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), share.Magnet, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
        await share.StopAsync();
    }

    private static string MagnetOf(string torrent) => MagnetLink.FromTorrent(TorrentParser.Parse(File.ReadAllBytes(torrent))).ToUri();
}
