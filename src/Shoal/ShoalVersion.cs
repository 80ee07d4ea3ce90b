using System.Reflection;

namespace Shoal;

public static class ShoalVersion
{
    public static string Version { get; } =
        typeof(ShoalVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>The 'created by' value Shoal writes into torrents.</summary>
    public static string CreatedBy => $"Shoal/{Version}";
}
