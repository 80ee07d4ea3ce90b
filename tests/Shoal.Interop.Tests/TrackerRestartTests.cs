using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>`shoal tracker` killed with SIGKILL and started again: its clients do not notice.</summary>
public sealed class TrackerRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-tracker-restart-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task After_a_SIGKILL_a_new_leecher_gets_the_peers_announced_before_it()
    {
        var hash = new InfoHash(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        // The store's debug lines say when peers were saved.
        var saves = new Dictionary<string, string> { ["SHOAL_Logging__LogLevel__Shoal.Tracker.Store"] = "Debug" };
        ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(_folder, port: 0, saves);
        try
        {
            using var http = new HttpClient();
            var client = new HttpTrackerClient(new Uri(tracker.HttpAnnounce), http);
            await client.AnnounceAsync(Request(hash, 7001, left: 0), CancellationToken.None);
            await client.AnnounceAsync(Request(hash, 7002, left: 1000), CancellationToken.None);
            // The periodic save, not a clean stop, is what a crash leaves behind.
            await tracker.WaitForLogLineAsync(l => l.Contains("Saved 2 peers in 1 swarms", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await tracker.KillAsync();
            int port = tracker.Port;
            await tracker.DisposeAsync();

            tracker = await ShoalTrackerProcess.StartAsync(_folder, port);
            AnnounceResponse answer = await client.AnnounceAsync(Request(hash, 7003, left: 1000), CancellationToken.None);

            Assert.Equal([7001, 7002], answer.Peers.Select(p => p.Port).Order());
            Assert.All(answer.Peers, p => Assert.Equal(IPAddress.Loopback, p.Address));
            Assert.Equal(1800, answer.Interval);
            await tracker.StopAsync();
        }
        finally
        {
            await tracker.DisposeAsync();
        }
    }

    private static AnnounceRequest Request(InfoHash hash, int port, long left) =>
        new(hash, System.Text.Encoding.ASCII.GetBytes($"-TT0001-{port:D12}"), port, 0, 0, left, AnnounceEvent.Started);
}
