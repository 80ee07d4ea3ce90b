using Microsoft.Extensions.Configuration;

namespace Shoal.Cli;

/// <summary>
/// Settings for every command, in the usual .NET order of precedence: defaults, then
/// settings.json in the config folder, then SHOAL_* environment variables, then flags.
/// </summary>
public static class ShoalConfiguration
{
    public const string EnvironmentPrefix = "SHOAL_";
    public const string SettingsFileName = "settings.json";

    /// <summary>SHOAL_CONFIG_DIR, else $XDG_CONFIG_HOME/shoal, else ~/.config/shoal.</summary>
    public static string ConfigDirectory => UserFolder("SHOAL_CONFIG_DIR", "XDG_CONFIG_HOME", ".config");

    /// <summary>Where Shoal keeps state such as resume data: SHOAL_DATA_DIR, else $XDG_DATA_HOME/shoal, else ~/.local/share/shoal.</summary>
    public static string DataDirectory => UserFolder("SHOAL_DATA_DIR", "XDG_DATA_HOME", Path.Combine(".local", "share"));

    /// <summary>The folder <c>shoal node</c> keeps its database, token and endpoint in unless given <c>--data</c>.</summary>
    public static string NodeDataDirectory => Path.Combine(DataDirectory, "node");

    public static IConfiguration Build(IEnumerable<KeyValuePair<string, string?>> flagOverrides)
    {
        string settingsFile = Path.Combine(ConfigDirectory, SettingsFileName);
        try
        {
            return new ConfigurationBuilder()
                .AddInMemoryCollection(Defaults)
                .AddJsonFile(settingsFile, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddInMemoryCollection(flagOverrides)
                .Build();
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"cannot read the settings file {settingsFile}: {e.Message}");
        }
    }

    /// <summary>The folder an explicit variable names, else the XDG base folder's "shoal", else the home fallback's.</summary>
    private static string UserFolder(string explicitVariable, string xdgVariable, string homeFallback)
    {
        string? explicitDirectory = Environment.GetEnvironmentVariable(explicitVariable);
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return explicitDirectory;
        }

        string? xdg = Environment.GetEnvironmentVariable(xdgVariable);
        string baseDirectory = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), homeFallback);
        return Path.Combine(baseDirectory, "shoal");
    }

    /// <summary>The nodes libtorrent, Transmission and µTorrent join the DHT through.</summary>
    public const string DefaultDhtBootstrap = "router.bittorrent.com:6881,dht.transmissionbt.com:6881,router.utorrent.com:6881,dht.libtorrent.org:25401";

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        // A tracker is a server: it says where it listens and what it registers.
        ["Logging:LogLevel:Shoal.Tracker"] = "Information",
        ["Create:Version"] = "hybrid",
        ["Net:ListenAddress"] = "::",
        // A stable port (the one BitTorrent clients have used since BEP 3's 6881-6889): mappings on the router and
        // peers' caches of our address depend on it. Taken, the next free one is used, with a warning.
        ["Net:Port"] = "6881",
        ["Net:MaxConnections"] = "200",
        ["Net:LocalDiscovery"] = "true",
        ["Net:Encryption"] = "prefer",
        ["Net:Tcp"] = "true",
        ["Net:Utp"] = "true",
        // Ask the home router to forward the listening ports (UPnP IGD, PCP, NAT-PMP).
        ["Net:PortMapping"] = "true",
        ["Dht:Enabled"] = "true",
        // The well-known routers a fresh install joins the DHT through (BEP 5); "none" or empty for none.
        ["Dht:Bootstrap"] = DefaultDhtBootstrap,
        // BEP 43: use the DHT without answering queries (for a node that is often offline or metered).
        ["Dht:ReadOnly"] = "false",
        ["Net:MaxConnectionsPerTorrent"] = "60",
        ["Net:MaxConnectionsPerAddress"] = "4",
        ["Limits:Upload"] = "0",
        ["Limits:Download"] = "0",
        ["Limits:TorrentUpload"] = "0",
        ["Limits:TorrentDownload"] = "0",
        ["Choking:UnchokeSlots"] = "4",
        ["Choking:OptimisticSlots"] = "1",
        // Opt-in, as libtorrent's super-seeding is: idle connections can hold its unchoke slots (see docs/node.md).
        ["Seeding:InitialSeeding"] = "false",
    };
}
