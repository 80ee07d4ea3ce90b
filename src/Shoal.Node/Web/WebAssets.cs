using System.Reflection;
using System.Security.Cryptography;

namespace Shoal.Node.Web;

/// <summary>
/// The web UI's files, embedded in this assembly under <c>wwwroot/</c> so a packed tool carries them and the node
/// needs nothing beside its own binary. Read once at start; <c>index.html</c> is served at <c>/</c>.
/// </summary>
internal static class WebAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    public static IReadOnlyList<WebAsset> Load()
    {
        Assembly assembly = typeof(WebAssets).Assembly;
        List<WebAsset> assets = [];
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string path = name[Prefix.Length..];
            string route = path == "index.html" ? "/" : "/" + path;
            string type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            string etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"";
            assets.Add(new WebAsset(route, content, type, etag));
        }

        return assets;
    }
}
