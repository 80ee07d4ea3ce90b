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
    public static string ConfigDirectory
    {
        get
        {
            string? explicitDirectory = Environment.GetEnvironmentVariable("SHOAL_CONFIG_DIR");
            if (!string.IsNullOrEmpty(explicitDirectory))
            {
                return explicitDirectory;
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            string baseDirectory = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(baseDirectory, "shoal");
        }
    }

    /// <summary>Where Shoal keeps state such as resume data: SHOAL_DATA_DIR, else $XDG_DATA_HOME/shoal, else ~/.local/share/shoal.</summary>
    public static string DataDirectory
    {
        get
        {
            string? explicitDirectory = Environment.GetEnvironmentVariable("SHOAL_DATA_DIR");
            if (!string.IsNullOrEmpty(explicitDirectory))
            {
                return explicitDirectory;
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            string baseDirectory = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(baseDirectory, "shoal");
        }
    }

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

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Create:Version"] = "hybrid",
        ["Net:ListenAddress"] = "::",
        ["Net:Port"] = "0",
        ["Net:MaxConnections"] = "200",
        ["Net:MaxConnectionsPerTorrent"] = "60",
        ["Limits:Upload"] = "0",
        ["Limits:Download"] = "0",
        ["Limits:TorrentUpload"] = "0",
        ["Limits:TorrentDownload"] = "0",
        ["Choking:UnchokeSlots"] = "4",
        ["Choking:OptimisticSlots"] = "1",
    };
}
