namespace Shoal.Node.Settings;

/// <summary>
/// What <c>/api/v1/settings</c> shows and changes: rate limits in bytes per second (0 unlimited), connection
/// limits, the download folder, and whether the DHT and local discovery run.
/// </summary>
public record NodeSettings(
    long DownloadLimit,
    long UploadLimit,
    int MaxConnections,
    int MaxConnectionsPerTorrent,
    string DownloadDir,
    bool Dht,
    bool LocalDiscovery);

/// <summary>A <c>PATCH</c> body: the fields given change, the others stay.</summary>
public sealed record NodeSettingsPatch(
    long? DownloadLimit,
    long? UploadLimit,
    int? MaxConnections,
    int? MaxConnectionsPerTorrent,
    string? DownloadDir,
    bool? Dht,
    bool? LocalDiscovery);

/// <summary>The settings now, and the names of those whose new value waits for the node's next start.</summary>
public sealed record NodeSettingsView : NodeSettings
{
    public NodeSettingsView(NodeSettings settings, IReadOnlyList<string> restartRequired)
        : base(settings)
    {
        RestartRequired = restartRequired;
    }

    public IReadOnlyList<string> RestartRequired { get; }
}
