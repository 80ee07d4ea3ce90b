using System.Text.Json;
using Shoal.Node.Storage;
using Shoal.Session;

namespace Shoal.Node.Settings;

/// <summary>
/// The node's settings while it runs. Limits change in the session at once; the DHT and local discovery open
/// sockets when the session starts, so a change to them waits for the next start. Every change is kept in the
/// store and wins over settings.json and flags from then on: the user made it last.
/// </summary>
internal sealed class LiveSettings
{
    private const string StoreKey = "node";

    private readonly NodeStore _store;
    private readonly NodeSettings _atStart;
    private readonly Lock _gate = new();
    private NodeSettings _current;

    private LiveSettings(NodeStore store, NodeSettings atStart)
    {
        _store = store;
        _atStart = atStart;
        _current = atStart;
    }

    public NodeSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The settings the node starts with: those last changed through the API, else what the options say.</summary>
    public static LiveSettings Load(NodeStore store, NodeOptions options)
    {
        NodeSettings settings = store.LoadSetting(StoreKey) is { } json
            ? JsonSerializer.Deserialize(json, SettingsJsonContext.Default.NodeSettings) ?? throw new NodeException("the node's stored settings are empty")
            : new NodeSettings(
                options.Session.DownloadLimit,
                options.Session.UploadLimit,
                options.Session.MaxConnections,
                options.Session.MaxConnectionsPerTorrent,
                options.DownloadDirectory,
                options.Session.Dht is not null,
                options.Session.LocalDiscovery);
        return new LiveSettings(store, settings);
    }

    /// <summary>The session's options with these settings in them; <paramref name="dhtWhenTurnedOn"/> when the settings turn on a DHT the options have not.</summary>
    public SessionOptions ApplyTo(SessionOptions session, SessionDhtOptions dhtWhenTurnedOn) => session with
    {
        DownloadLimit = _atStart.DownloadLimit,
        UploadLimit = _atStart.UploadLimit,
        MaxConnections = _atStart.MaxConnections,
        MaxConnectionsPerTorrent = _atStart.MaxConnectionsPerTorrent,
        Dht = _atStart.Dht ? session.Dht ?? dhtWhenTurnedOn : null,
        LocalDiscovery = _atStart.LocalDiscovery,
    };

    public NodeSettingsView View()
    {
        NodeSettings current = Current;
        var waiting = new List<string>(2);
        if (current.Dht != _atStart.Dht)
        {
            waiting.Add("dht");
        }

        if (current.LocalDiscovery != _atStart.LocalDiscovery)
        {
            waiting.Add("localDiscovery");
        }

        return new NodeSettingsView(current, waiting);
    }

    /// <summary>Checks the whole change first, so a bad field changes nothing; then applies and keeps it.</summary>
    public void Change(NodeSettingsPatch patch, ShoalSession session)
    {
        lock (_gate)
        {
            NodeSettings next = Validated(new NodeSettings(
                patch.DownloadLimit ?? _current.DownloadLimit,
                patch.UploadLimit ?? _current.UploadLimit,
                patch.MaxConnections ?? _current.MaxConnections,
                patch.MaxConnectionsPerTorrent ?? _current.MaxConnectionsPerTorrent,
                patch.DownloadDir ?? _current.DownloadDir,
                patch.Dht ?? _current.Dht,
                patch.LocalDiscovery ?? _current.LocalDiscovery));
            _store.SaveSetting(StoreKey, JsonSerializer.Serialize(next, SettingsJsonContext.Default.NodeSettings));
            session.SetRateLimits(next.UploadLimit, next.DownloadLimit);
            session.SetConnectionLimits(next.MaxConnections, next.MaxConnectionsPerTorrent);
            _current = next;
        }
    }

    private static NodeSettings Validated(NodeSettings settings)
    {
        if (settings.DownloadLimit < 0 || settings.UploadLimit < 0)
        {
            throw new SettingsException("rate limits are bytes per second, 0 for unlimited: not negative");
        }

        if (settings.MaxConnections is < 1 or > MaxConnectionLimit || settings.MaxConnectionsPerTorrent is < 1 or > MaxConnectionLimit)
        {
            throw new SettingsException($"connection limits are from 1 to {MaxConnectionLimit}");
        }

        if (!Path.IsPathFullyQualified(settings.DownloadDir))
        {
            throw new SettingsException($"downloadDir '{settings.DownloadDir}' is not an absolute path");
        }

        return settings with { DownloadDir = Path.GetFullPath(settings.DownloadDir) };
    }

    private const int MaxConnectionLimit = 10_000;
}
