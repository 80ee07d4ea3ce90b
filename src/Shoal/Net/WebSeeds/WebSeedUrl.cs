using Shoal.Metainfo;

namespace Shoal.Net.WebSeeds;

/// <summary>BEP 19: where a torrent's files are, given one entry of its <c>url-list</c>.</summary>
public static class WebSeedUrl
{
    /// <summary>The entry as an absolute HTTP or HTTPS URL; null for any other scheme, which BEP 19 says to ignore, or a malformed entry.</summary>
    public static Uri? Parse(string entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" && url.Host.Length > 0 ? url : null;

    /// <summary>
    /// The URL of one content file. A single-file torrent's file is the URL itself, or the URL with the torrent's
    /// name appended when it ends in '/'; a multi-file torrent's URL is a folder holding the name, then the file's
    /// path. Every name is percent-encoded (RFC 3986), so that spaces, '#', '?' or non-ASCII names stay one segment.
    /// </summary>
    public static Uri ForFile(Uri seed, Torrent torrent, FileEntry file)
    {
        string text = seed.AbsoluteUri;
        if (!torrent.IsMultiFile)
        {
            return text.EndsWith('/') ? new Uri(text + Uri.EscapeDataString(torrent.Name)) : seed;
        }

        string folder = text.EndsWith('/') ? text : text + "/";
        return new Uri(folder + Uri.EscapeDataString(torrent.Name) + "/" + string.Join('/', file.Path.Select(Uri.EscapeDataString)));
    }
}
