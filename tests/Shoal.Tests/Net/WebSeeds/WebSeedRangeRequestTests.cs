using System.Net;
using Shoal.Metainfo;
using Shoal.Net.WebSeeds;
using Shoal.Swarm;

namespace Shoal.Tests.Net.WebSeeds;

/// <summary>One HTTP range GET of a web seed against a real server on 127.0.0.1: what it accepts and every way it fails.</summary>
public sealed class WebSeedRangeRequestTests : IAsyncDisposable
{
    private const int FileLength = 100_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly byte[] _content = TempFolder.RandomBytes(FileLength, 7);
    private readonly HttpClient _http = WebSeedHttp.Create();
    private readonly WebSeedServer _server;

    public WebSeedRangeRequestTests()
    {
        _folder.File("file.bin", _content);
        _server = new WebSeedServer(_folder.Path);
    }

    private Uri FileUrl => new(_server.BaseUrl, "file.bin");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_range_is_read_exactly_and_handed_on_block_by_block()
    {
        (WebSeedRun run, List<(BlockRef Block, byte[] Data)> delivered) = Run(2 * PieceGeometry.BlockSize + 100);
        await WebSeedRangeRequest.ReadAsync(_http, FileUrl, 5000, run.Length, FileLength, run, Timeout, TimeProvider.System, CancellationToken.None);

        Assert.Equal(3, delivered.Count);
        Assert.Equal(_content.AsSpan(5000, run.Length).ToArray(), delivered.SelectMany(d => d.Data).ToArray());
        Assert.Equal(run.Length, _server.BytesServed);
    }

    [Fact]
    public async Task The_whole_file_may_come_as_200_from_a_server_without_ranges()
    {
        _server.IgnoreRange = true;
        (WebSeedRun run, List<(BlockRef Block, byte[] Data)> delivered) = Run(FileLength);
        await WebSeedRangeRequest.ReadAsync(_http, FileUrl, 0, FileLength, FileLength, run, Timeout, TimeProvider.System, CancellationToken.None);
        Assert.Equal(_content, delivered.SelectMany(d => d.Data).ToArray());
    }

    [Fact]
    public Task A_part_of_the_file_answered_with_the_whole_file_is_refused()
    {
        _server.IgnoreRange = true;
        return AssertFailsAsync("does not answer range requests", FileUrl, offset: 1000, length: 1000);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "503")]
    [InlineData(HttpStatusCode.Forbidden, "403")]
    public Task An_error_status_fails_the_request(HttpStatusCode status, string expected)
    {
        _server.FailWith = status;
        return AssertFailsAsync(expected, FileUrl);
    }

    [Fact]
    public Task A_missing_file_fails_the_request() => AssertFailsAsync("404", new Uri(_server.BaseUrl, "other.bin"));

    [Fact]
    public Task A_file_of_another_length_than_the_torrents_is_refused() =>
        AssertFailsAsync($"is {FileLength} bytes long", FileUrl, fileLength: FileLength + 1);

    [Fact]
    public Task A_body_cut_short_fails_the_request()
    {
        _server.CutBodyAfter = 20_000;
        return AssertFailsAsync(FileUrl.AbsoluteUri, FileUrl, length: 50_000);
    }

    [Fact]
    public async Task A_refused_connection_fails_the_request()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await AssertFailsAsync("127.0.0.1", new Uri($"http://127.0.0.1:{port}/file.bin"));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_on_the_given_clock()
    {
        _server.Delay = TimeSpan.FromMinutes(5);
        var time = new ManualTimeProvider();
        (WebSeedRun run, _) = Run(1000);
        Task reading = WebSeedRangeRequest.ReadAsync(_http, FileUrl, 0, 1000, FileLength, run, Timeout, time, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(reading.IsCompleted);
        time.Advance(Timeout + TimeSpan.FromSeconds(1));
        WebSeedException e = await Assert.ThrowsAsync<WebSeedException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("did not answer within 30 s", e.Message, StringComparison.Ordinal);
    }

    private async Task AssertFailsAsync(string expected, Uri url, int offset = 0, int length = 1000, long fileLength = FileLength)
    {
        (WebSeedRun run, _) = Run(length);
        WebSeedException e = await Assert.ThrowsAsync<WebSeedException>(
            () => WebSeedRangeRequest.ReadAsync(_http, url, offset, length, fileLength, run, Timeout, TimeProvider.System, CancellationToken.None));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A run of blocks of one piece covering <paramref name="length"/> bytes, keeping copies of what it delivers.</summary>
    private static (WebSeedRun Run, List<(BlockRef Block, byte[] Data)> Delivered) Run(int length)
    {
        List<(BlockRef, byte[])> delivered = [];
        var run = new WebSeedRun(new byte[PieceGeometry.BlockSize], (block, data, _) =>
        {
            delivered.Add((block, data.ToArray()));
            return ValueTask.CompletedTask;
        });
        for (int begin = 0; begin < length; begin += PieceGeometry.BlockSize)
        {
            run.Blocks.Add(new BlockRef(0, begin, Math.Min(PieceGeometry.BlockSize, length - begin)));
        }

        run.Restart();
        return (run, delivered);
    }
}
