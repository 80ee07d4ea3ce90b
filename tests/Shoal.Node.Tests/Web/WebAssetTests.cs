using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shoal.Tests;

namespace Shoal.Node.Tests.Web;

/// <summary>The UI's files as the node serves them: each one the page or a module names, typed, revalidated, and locked down.</summary>
public sealed partial class WebAssetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Every_file_the_page_and_its_modules_name_is_served_with_its_type_and_the_security_headers()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        var pending = new Queue<string>(["/"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out string? path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.Equal(ExpectedType(path), response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            string text = await response.Content.ReadAsStringAsync();
            foreach (string named in Named(path, text))
            {
                pending.Enqueue(named);
            }
        }

        Assert.Contains("/js/main.js", seen);
        Assert.Contains("/style.css", seen);
        Assert.True(seen.Count > 10, $"only {seen.Count} files were reached from the page");
    }

    [Fact]
    public async Task A_file_unchanged_since_the_browser_got_it_is_304_and_an_unknown_one_is_404()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        using HttpResponseMessage first = await client.GetAsync(new Uri("/js/main.js", UriKind.Relative));
        EntityTagHeaderValue etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/js/main.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(etag);
        using HttpResponseMessage revalidated = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        using HttpResponseMessage unknown = await client.GetAsync(new Uri("/js/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_ui_files_are_not_in_the_api_description()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/v1/openapi.json", UriKind.Relative)));

        JsonElement paths = document.RootElement.GetProperty("paths");
        Assert.All(["/", "/js/main.js", "/style.css"], path => Assert.False(paths.TryGetProperty(path, out _), $"{path} is described as API"));
    }

    public void Dispose() => _folder.Dispose();

    private static string ExpectedType(string path) => Path.GetExtension(path) switch
    {
        "" => "text/html",
        ".js" => "text/javascript",
        ".css" => "text/css",
        ".svg" => "image/svg+xml",
        string other => throw new InvalidOperationException($"no expected type for {other}"),
    };

    /// <summary>The node's own files a page (src and href) or a module (import … from) names, as absolute paths.</summary>
    private static IEnumerable<string> Named(string path, string text)
    {
        Regex pattern = path.EndsWith(".js", StringComparison.Ordinal) ? ModuleImport() : PageReference();
        var baseUri = new Uri(new Uri("http://node/"), path);
        return pattern.Matches(text).Select(m => new Uri(baseUri, m.Groups["path"].Value).AbsolutePath);
    }

    [GeneratedRegex("""(?:src|href)="(?<path>/[^"#]+)""")]
    private static partial Regex PageReference();

    [GeneratedRegex("""from '(?<path>\./[^']+)'""")]
    private static partial Regex ModuleImport();
}
