using Shoal.Metainfo;

namespace Shoal.Cli.Commands;

/// <summary>The --v1 / --v2 / --hybrid choice shared by the commands that make torrents.</summary>
public static class VersionFlags
{
    public static TorrentVersion Resolve(bool v1, bool v2, bool hybrid, string? configured)
    {
        int chosen = (v1 ? 1 : 0) + (v2 ? 1 : 0) + (hybrid ? 1 : 0);
        if (chosen > 1)
        {
            throw new UsageException("choose one of --v1, --v2 and --hybrid");
        }

        if (v1)
        {
            return TorrentVersion.V1;
        }

        if (v2)
        {
            return TorrentVersion.V2;
        }

        if (hybrid)
        {
            return TorrentVersion.Hybrid;
        }

        return configured?.Trim().ToLowerInvariant() switch
        {
            null or "" or "hybrid" => TorrentVersion.Hybrid,
            "v1" => TorrentVersion.V1,
            "v2" => TorrentVersion.V2,
            _ => throw new UsageException($"the setting Create:Version '{configured}' must be v1, v2 or hybrid"),
        };
    }

    public static string Name(TorrentVersion version) => version switch
    {
        TorrentVersion.V1 => "v1",
        TorrentVersion.V2 => "v2",
        _ => "hybrid",
    };
}
