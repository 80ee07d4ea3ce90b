using System.Globalization;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>`shoal create` must give the info-hashes libtorrent computes for the same content and piece size.</summary>
public class CreateMatchesLibtorrentTests(ContentSamples samples) : IClassFixture<ContentSamples>
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (string name in ContentSamples.Names)
            {
                foreach (string version in new[] { "v1", "v2", "hybrid" })
                {
                    cases.Add(name, version);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Shoal_create_gives_libtorrents_info_hashes(string name, string version)
    {
        string content = samples.PathOf(name);
        string pieceSize = ContentSamples.PieceLength.ToString(CultureInfo.InvariantCulture);
        string ours = Path.Combine(samples.Root, $"{name}.{version}.shoal.torrent");
        string theirs = Path.Combine(samples.Root, $"{name}.{version}.lt.torrent");

        JsonElement libtorrent = await Tools.PythonJsonAsync("lt_create.py", content, pieceSize, version, theirs);
        ProcessResult shoal = await Tools.ShoalAsync("create", content, "-o", ours, "--piece-size", pieceSize, $"--{version}");

        if (libtorrent.TryGetProperty("error", out JsonElement refusal))
        {
            // libtorrent refuses content with no data; so must we, with a clear one-line error.
            Assert.Equal(1, shoal.ExitCode);
            Assert.Contains("holds no data", shoal.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(ours), $"libtorrent said {refusal}; shoal must not write a torrent either");
            return;
        }

        Assert.True(shoal.ExitCode == 0, shoal.Error);
        string[] lines = shoal.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("magnet:?", lines[^1], StringComparison.Ordinal);
        AssertHashLine(lines, "v1", Tools.Hash(libtorrent, "v1"));
        AssertHashLine(lines, "v2", Tools.Hash(libtorrent, "v2"));

        // And libtorrent reads our file back to the same hashes.
        JsonElement readBack = await Tools.PythonJsonAsync("lt_hashes.py", ours);
        Assert.Equal(Tools.Hash(libtorrent, "v1"), Tools.Hash(readBack, "v1"));
        Assert.Equal(Tools.Hash(libtorrent, "v2"), Tools.Hash(readBack, "v2"));
    }

    [Fact]
    public async Task Default_piece_size_is_libtorrents()
    {
        string content = Path.Combine(samples.Root, "three-megabytes.bin");
        var bytes = new byte[3 * 1024 * 1024];
        new Random(9).NextBytes(bytes);
        await File.WriteAllBytesAsync(content, bytes);
        string ours = content + ".shoal.torrent";

        JsonElement libtorrent = await Tools.PythonJsonAsync("lt_create.py", content, "0", "hybrid", content + ".lt.torrent");
        ProcessResult shoal = await Tools.ShoalAsync("create", content, "-o", ours);
        Assert.True(shoal.ExitCode == 0, shoal.Error);
        Assert.Contains($"info-hash v1: {Tools.Hash(libtorrent, "v1")}", shoal.Output, StringComparison.Ordinal);
        Assert.Contains($"info-hash v2: {Tools.Hash(libtorrent, "v2")}", shoal.Output, StringComparison.Ordinal);
    }

    private static void AssertHashLine(string[] lines, string version, string? expected)
    {
        string? line = lines.FirstOrDefault(l => l.StartsWith($"info-hash {version}: ", StringComparison.Ordinal));
        Assert.Equal(expected, line?[$"info-hash {version}: ".Length..]);
    }
}
