using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tracker.Tests.Metrics;

public sealed class TrackerMetricsTests
{
    [Fact]
    public async Task Metrics_counts_this_trackers_announces_by_protocol_and_result_without_a_token()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        await using RunningTracker other = await RunningTracker.StartAsync(configure: o => o with { Closed = true });
        InfoHash hash = RunningTracker.RandomHash();
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        await tracker.UdpClient().AnnounceAsync(RunningTracker.Request(hash, 7002, left: 0), CancellationToken.None);
        await other.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7003), CancellationToken.None);

        string text = await tracker.Http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("# TYPE shoal_tracker_announces_total counter", text, StringComparison.Ordinal);
        Assert.Matches("""(?m)^shoal_tracker_announces_total\{[^}]*protocol="http",result="ok"\} 1( |$)""", text);
        Assert.Matches("""(?m)^shoal_tracker_announces_total\{[^}]*protocol="udp",result="ok"\} 1( |$)""", text);
        Assert.DoesNotContain("result=\"refused\"", text, StringComparison.Ordinal);
        Assert.Matches("""(?m)^shoal_tracker_swarms\{[^}]*\} 1( |$)""", text);
        Assert.Matches("""(?m)^shoal_tracker_peers\{[^}]*\} 2( |$)""", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);

        string closed = await other.Http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Matches("""(?m)^shoal_tracker_announces_total\{[^}]*protocol="http",result="refused"\} 1( |$)""", closed);
        Assert.DoesNotContain("result=\"ok\"", closed, StringComparison.Ordinal);
    }
}
