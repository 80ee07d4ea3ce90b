using System.Globalization;

namespace Shoal.Interop.Tests.Faults;

/// <summary>The content the fault tests move: one file of random bytes and its torrent.</summary>
internal static class FaultContent
{
    /// <summary>Writes <paramref name="name"/> (random bytes) in <paramref name="folder"/> and its torrent with `shoal create`; returns both paths.</summary>
    public static async Task<(string Content, string Torrent)> CreateAsync(string folder, string name, long size, int pieceLength, params string[] createFlags)
    {
        string content = ContentSamples.RandomFile(Path.Combine(folder, name), size, seed: name.Length);
        string torrent = Path.Combine(folder, $"{name}.torrent");
        ProcessResult created = await Tools.ShoalAsync(
            ["create", content, "-o", torrent, "--piece-size", pieceLength.ToString(CultureInfo.InvariantCulture), .. createFlags]);
        Assert.True(created.ExitCode == 0, created.Error);
        return (content, torrent);
    }
}
