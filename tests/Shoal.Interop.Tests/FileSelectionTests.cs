
namespace Shoal.Interop.Tests;

/// <summary>`shoal get --only/--skip` and magnets' `so=` (BEP 53) fetch exactly the files chosen, from a real `shoal share`.</summary>
[Collection(nameof(SwarmCollection))]
public sealed class FileSelectionTests : IDisposable
{
    private const int FileCount = 20;
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-select-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Only_fetches_exactly_the_files_its_patterns_match_and_creates_no_other()
    {
        (string season, string torrent) = await SeasonAsync("--v1");
        await using ShoalShare share = await ShoalShare.StartAsync(season, torrent);
        string target = Path.Combine(_folder, "got");

        ProcessResult get = await Tools.ShoalAsync(
            "get", torrent, "-o", target, "--peer", share.Endpoint, "--listen", "127.0.0.1", "--only", "season/episode0[34].mkv", "season/extras");
        Assert.True(get.ExitCode == 0, get.Error);

        AssertExactly(season, Path.Combine(target, "season"), ["episode03.mkv", "episode04.mkv", "extras/making-of.mkv", "extras/trailer.mkv"]);
        Assert.False(File.Exists(Path.Combine(target, "season", "episode05.mkv")));
        await share.StopAsync();
    }

    [Fact]
    public async Task Skip_leaves_out_what_its_patterns_match_and_a_pattern_matching_nothing_is_a_usage_error()
    {
        (string season, string torrent) = await SeasonAsync("--v1");
        await using ShoalShare share = await ShoalShare.StartAsync(season, torrent);
        string target = Path.Combine(_folder, "got");

        ProcessResult typo = await Tools.ShoalAsync("get", torrent, "-o", target, "--peer", share.Endpoint, "--listen", "127.0.0.1", "--only", "episode03.mkv");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("no file of 'season' matches 'episode03.mkv'", typo.Error, StringComparison.Ordinal);

        ProcessResult get = await Tools.ShoalAsync(
            "get", torrent, "-o", target, "--peer", share.Endpoint, "--listen", "127.0.0.1", "--skip", "season/episode1*", "season/extras/**");
        Assert.True(get.ExitCode == 0, get.Error);
        AssertExactly(season, Path.Combine(target, "season"), [.. Enumerable.Range(0, 10).Select(Episode)]);
        await share.StopAsync();
    }

    [Fact]
    public async Task A_magnet_with_so_fetches_only_the_files_it_selects()
    {
        (string season, string torrent) = await SeasonAsync("--hybrid");
        await using ShoalShare share = await ShoalShare.StartAsync(season, torrent);
        string target = Path.Combine(_folder, "got");

        // File indices count the hybrid's padding files, as libtorrent's do: pick the indices by name from `shoal info`.
        ProcessResult info = await Tools.ShoalAsync("info", torrent, "--json");
        Assert.True(info.ExitCode == 0, info.Error);
        int[] indices = FileIndices(info.Output, ["season/episode07.mkv", "season/episode08.mkv", "season/extras/trailer.mkv"]);
        string magnet = $"{share.Magnet}&so={indices[0]}-{indices[1]},{indices[2]}";

        ProcessResult get = await Tools.ShoalAsync("get", magnet, "-o", target, "--peer", share.Endpoint, "--listen", "127.0.0.1");
        Assert.True(get.ExitCode == 0, get.Error);
        AssertExactly(season, Path.Combine(target, "season"), ["episode07.mkv", "episode08.mkv", "extras/trailer.mkv"]);
        await share.StopAsync();
    }

    private static string Episode(int i) => $"episode{i:00}.mkv";

    /// <summary>A season of 18 episodes and 2 extras, of odd sizes so that pieces span files, and its torrent.</summary>
    private async Task<(string Season, string Torrent)> SeasonAsync(string version)
    {
        string season = Path.Combine(_folder, "season");
        var random = new Random(5);
        List<string> names = [.. Enumerable.Range(0, FileCount - 2).Select(Episode), "extras/making-of.mkv", "extras/trailer.mkv"];
        foreach (string name in names)
        {
            string path = Path.Combine(season, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            byte[] bytes = new byte[random.Next(100_000, 400_000)];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes);
        }

        string torrent = Path.Combine(_folder, "season.torrent");
        ProcessResult create = await Tools.ShoalAsync("create", season, "-o", torrent, version, "--piece-size", "64K");
        Assert.True(create.ExitCode == 0, create.Error);
        return (season, torrent);
    }

    /// <summary>The download folder holds exactly <paramref name="expected"/>, each with the original's SHA-256.</summary>
    private static void AssertExactly(string original, string downloaded, string[] expected)
    {
        string[] present = [.. Directory.EnumerateFiles(downloaded, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(downloaded, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), present);
        foreach (string file in expected)
        {
            Assert.Equal(Transfers.Sha256(Path.Combine(original, file)), Transfers.Sha256(Path.Combine(downloaded, file)));
        }
    }

    private static int[] FileIndices(string infoJson, string[] paths)
    {
        using var json = System.Text.Json.JsonDocument.Parse(infoJson);
        Dictionary<string, int> listed = json.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("index").GetInt32());
        return [.. paths.Select(p => listed[p])];
    }

}
