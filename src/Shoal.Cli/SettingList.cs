using Microsoft.Extensions.Configuration;

namespace Shoal.Cli;

/// <summary>
/// A setting that holds several values: a JSON array in settings.json (<c>"ShareRoots": ["/a", "/b"]</c>), or one
/// string split on the path separator, as PATH is (<c>SHOAL_Node__ShareRoots=/a:/b</c>).
/// </summary>
public static class SettingList
{
    /// <summary>The values of <paramref name="key"/>; null when it is not set at all.</summary>
    public static IReadOnlyList<string>? Read(IConfiguration configuration, string key)
    {
        IConfigurationSection section = configuration.GetSection(key);
        if (section.Value is { } single)
        {
            return single.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        string[] items = [.. section.GetChildren().Select(child => child.Value).OfType<string>()];
        return items.Length > 0 ? items : null;
    }
}
