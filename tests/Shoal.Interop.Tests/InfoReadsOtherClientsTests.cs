using System.Globalization;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>`shoal info` must report exactly the info-hashes of torrents made by libtorrent and Transmission.</summary>
public class InfoReadsOtherClientsTests(ContentSamples samples) : IClassFixture<ContentSamples>
{
    public static TheoryData<string, string> LibtorrentCases => new()
    {
        { "small.txt", "v1" }, { "three-pieces-plus-one.bin", "v2" }, { "fifty", "hybrid" }, { "unicode", "v2" }, { "nested", "hybrid" },
    };

    [Theory]
    [MemberData(nameof(LibtorrentCases))]
    public async Task Reads_libtorrent_torrents(string name, string version)
    {
        string torrent = Path.Combine(samples.Root, $"{name}.{version}.info-lt.torrent");
        JsonElement made = await Tools.PythonJsonAsync("lt_create.py", samples.PathOf(name), ContentSamples.PieceLength.ToString(CultureInfo.InvariantCulture), version, torrent);
        await AssertInfoMatchesAsync(torrent, made);
    }

    [Theory]
    [InlineData("small.txt")]
    [InlineData("three-pieces.bin")]
    [InlineData("fifty")]
    [InlineData("unicode")]
    [InlineData("nested")]
    public async Task Reads_transmission_torrents(string name)
    {
        string torrent = Path.Combine(samples.Root, $"{name}.transmission.torrent");
        File.Delete(torrent);
        ProcessResult created = await ProcessRunner.RunAsync(
            "transmission-create",
            ["-o", torrent, "-s", "32", "-t", "http://127.0.0.1:6969/announce", "-c", "made by transmission", samples.PathOf(name)]);
        Assert.True(created.ExitCode == 0, $"transmission-create failed (./test.sh installs transmission-cli): {created.Error}");
        JsonElement expected = await Tools.PythonJsonAsync("lt_hashes.py", torrent);
        JsonElement info = await AssertInfoMatchesAsync(torrent, expected);
        Assert.Equal("made by transmission", info.GetProperty("comment").GetString());
        Assert.Equal(["http://127.0.0.1:6969/announce"], info.GetProperty("trackers").EnumerateArray().Select(t => t.GetString()));
    }

    private static async Task<JsonElement> AssertInfoMatchesAsync(string torrent, JsonElement expected)
    {
        ProcessResult result = await Tools.ShoalAsync("info", torrent, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement info = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(Tools.Hash(expected, "v1"), Tools.Hash(info, "infoHashV1"));
        Assert.Equal(Tools.Hash(expected, "v2"), Tools.Hash(info, "infoHashV2"));
        if (expected.TryGetProperty("pieceCount", out JsonElement pieces))
        {
            Assert.Equal(pieces.GetInt32(), info.GetProperty("pieceCount").GetInt32());
            Assert.Equal(expected.GetProperty("pieceLength").GetInt32(), info.GetProperty("pieceLength").GetInt32());
            Assert.Equal(expected.GetProperty("name").GetString(), info.GetProperty("name").GetString());
        }

        Assert.StartsWith("magnet:?xt=urn:", info.GetProperty("magnet").GetString(), StringComparison.Ordinal);
        return info;
    }
}
