using System.Diagnostics;
using Shoal.Tests.Net.WebSeeds;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests;

/// <summary>`shoal get` of a torrent whose only source is a web seed (BEP 19): an HTTP server on 127.0.0.1 this test runs.</summary>
[Collection(nameof(SwarmCollection))]
public sealed class WebSeedCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-webseed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("web seeded")]
    [InlineData("single file.bin")]
    public async Task Get_fetches_everything_from_the_web_seed_alone(string content)
    {
        string served = Path.Combine(_folder, "served");
        if (content.EndsWith(".bin", StringComparison.Ordinal))
        {
            Write(Path.Combine(served, content), (6 * 1024 * 1024) + 11, 1);
        }
        else
        {
            Write(Path.Combine(served, content, "a b.bin"), (5 * 1024 * 1024) + 3, 2);
            Write(Path.Combine(served, content, "sub", "日本 #1.bin"), 3 * 1024 * 1024, 3);
            Write(Path.Combine(served, content, "empty"), 0, 4);
        }

        await using var server = new WebSeedServer(served);
        string torrent = Path.Combine(_folder, "t.torrent");
        ProcessResult created = await Tools.ShoalAsync("create", Path.Combine(served, content), "-o", torrent, "--web-seed", server.BaseUrl.AbsoluteUri);
        Assert.True(created.ExitCode == 0, created.Error);

        string target = Path.Combine(_folder, "got");
        var stopwatch = Stopwatch.StartNew();
        ProcessResult got = await Tools.ShoalAsync("get", torrent, "-o", target, "--listen", "127.0.0.1", "--no-dht", "--no-lsd");
        output.WriteLine($"shoal get took {stopwatch.Elapsed.TotalSeconds:0.00} s for {server.BytesServed} bytes in {server.Requests} HTTP requests");
        output.WriteLine(got.Error);
        Assert.True(got.ExitCode == 0, got.Error);
        Assert.Equal(Path.Combine(target, content), got.Output.Trim());
        Assert.Contains($"web seed {server.BaseUrl.AbsoluteUri}: fetched", got.Error, StringComparison.Ordinal);

        string[] files = [.. Directory.EnumerateFiles(served, "*", SearchOption.AllDirectories)];
        Assert.NotEmpty(files);
        foreach (string original in files)
        {
            string copy = Path.Combine(target, Path.GetRelativePath(served, original));
            Assert.True(File.Exists(copy), $"{copy} is missing");
            Assert.Equal(Transfers.Sha256(original), Transfers.Sha256(copy));
        }

        Assert.Equal(files.Sum(f => new FileInfo(f).Length), server.BytesServed);
    }

    private static void Write(string path, int length, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

}
