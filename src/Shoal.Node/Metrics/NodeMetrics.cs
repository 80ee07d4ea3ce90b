using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Shoal.Node.Api;
using Shoal.Node.Storage;
using Shoal.Node.Torrents;
using Shoal.Swarm;

namespace Shoal.Node.Metrics;

/// <summary>
/// <c>GET /metrics</c> (Prometheus text) with the <c>Shoal.Node</c> meter: torrents by state, bytes
/// downloaded and uploaded, connected peers. Every figure is read from the torrents when scraped, so
/// nothing keeps a second count in step with the session.
/// </summary>
internal static class NodeMetrics
{
    public const string MeterName = "Shoal.Node";

    private static readonly NodeTorrentState[] States = Enum.GetValues<NodeTorrentState>();

    public static IServiceCollection AddNodeMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("shoal-node")).WithMetrics(otel => otel.AddPrometheusExporter());
        // Only this host's meter (MeterScope.Local): another node in the process has its own /metrics.
        services.AddMetrics(metrics => metrics.EnableMetrics(MeterName, null, null, MeterScope.Local));
        return services;
    }

    public static void MapNodeMetrics(this WebApplication web, NodeTorrents torrents)
    {
        // Made by the host's factory, so the meter goes when the host does.
        Meter meter = web.Services.GetRequiredService<IMeterFactory>().Create(MeterName);
        meter.CreateObservableGauge("shoal.node.torrents", () => ByState(torrents), "{torrent}", "Torrents by state.");
        meter.CreateObservableCounter("shoal.node.downloaded", () => Sum(torrents, s => s.Downloaded), "By", "Bytes downloaded by the torrents the node holds.");
        meter.CreateObservableCounter("shoal.node.uploaded", () => Sum(torrents, s => s.Uploaded), "By", "Bytes uploaded by the torrents the node holds.");
        meter.CreateObservableGauge("shoal.node.peers", () => Sum(torrents, s => s.Peers.Count), "{peer}", "Connected peers over all torrents.");
        web.MapPrometheusScrapingEndpoint();
    }

    // Every state, those with no torrent at 0, so a series does not vanish while its state is empty.
    private static IEnumerable<Measurement<int>> ByState(NodeTorrents torrents)
    {
        int[] counts = new int[States.Length];
        foreach (NodeTorrent torrent in torrents.All)
        {
            counts[Array.IndexOf(States, torrent.State)]++;
        }

        return States.Select((state, i) => new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", TorrentViews.Name(state))));
    }

    private static long Sum(NodeTorrents torrents, Func<SwarmStatus, long> figure) =>
        torrents.All.Sum(t => t.Handle is { } handle ? figure(handle.GetStatus().Swarm) : 0);
}
