using Microsoft.AspNetCore.Http;
using Shoal.Node.Settings;

namespace Shoal.Node.Api;

/// <summary>Where an added torrent is saved: the absolute folder the request names, else the download folder setting.</summary>
internal sealed class SavePaths(LiveSettings settings)
{
    public string Resolve(string? given)
    {
        if (given is null)
        {
            return settings.Current.DownloadDir;
        }

        return Path.IsPathFullyQualified(given)
            ? Path.GetFullPath(given)
            : throw new ApiException(StatusCodes.Status400BadRequest, $"savePath '{given}' is not an absolute path");
    }
}
