using System.Net;
using System.Text.Json;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Security;

public sealed class BrowserLoginTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_token_url_sets_an_httponly_strict_session_cookie_and_redirects_to_the_ui()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.ApiUrl };

        using HttpResponseMessage login = await client.GetAsync(node.WebLoginUrl);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
        string[] cookies = [.. login.Headers.GetValues("Set-Cookie")];
        string session = Assert.Single(cookies, c => c.StartsWith("shoal_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", session, StringComparison.OrdinalIgnoreCase);
        string csrf = Assert.Single(cookies, c => c.StartsWith("shoal_csrf=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(node.Token.Value, session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_url_with_a_wrong_or_no_token_gets_401_and_no_cookie()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.ApiUrl };

        foreach (string url in new[] { "login?token=" + new string('0', 64), "login" })
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task With_the_cookie_reads_pass_and_changes_need_the_csrf_header()
    {
        string file = _folder.File("shared/a.bin", TempFolder.RandomBytes(50_000, 1));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient browser = await LoggedInBrowserAsync(node);
        (HttpStatusCode listed, _) = await SendAsync(browser, HttpMethod.Get, "api/v1/torrents");
        Assert.Equal(HttpStatusCode.OK, listed);

        (HttpStatusCode forged, JsonElement refusal) = await AddJsonAsync(browser, new { share = file });
        Assert.Equal(HttpStatusCode.Forbidden, forged);
        Assert.Contains("X-Shoal-Csrf", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(node.Torrents.All);

        browser.DefaultRequestHeaders.Add("X-Shoal-Csrf", "not-the-cookie");
        (HttpStatusCode wrong, _) = await AddJsonAsync(browser, new { share = file });
        Assert.Equal(HttpStatusCode.Forbidden, wrong);

        browser.DefaultRequestHeaders.Remove("X-Shoal-Csrf");
        browser.DefaultRequestHeaders.Add("X-Shoal-Csrf", CsrfCookie(browser));
        (HttpStatusCode added, _) = await AddJsonAsync(browser, new { share = file });
        Assert.Equal(HttpStatusCode.Created, added);
    }

    [Fact]
    public async Task A_bearer_token_needs_no_csrf_header()
    {
        string file = _folder.File("shared/a.bin", TempFolder.RandomBytes(50_000, 1));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient script = TestNode.Client(node);

        (HttpStatusCode added, _) = await AddJsonAsync(script, new { share = file });

        Assert.Equal(HttpStatusCode.Created, added);
    }

    [Fact]
    public async Task Old_tokens_and_old_cookies_stop_working_once_the_token_is_replaced()
    {
        string oldToken;
        string oldCookie;
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            using HttpClient browser = await LoggedInBrowserAsync(node);
            oldToken = node.Token.Value;
            oldCookie = browser.DefaultRequestHeaders.GetValues("Cookie").Single();
        }

        File.Delete(Path.Combine(_folder.Path, "data", "api-token"));
        await using NodeHost restarted = await TestNode.StartAsync(_folder.Path);
        Assert.NotEqual(oldToken, restarted.Token.Value);

        using HttpClient withOldToken = TestNode.Client(restarted, oldToken);
        (HttpStatusCode tokenStatus, _) = await SendAsync(withOldToken, HttpMethod.Get, "api/v1/torrents");
        Assert.Equal(HttpStatusCode.Unauthorized, tokenStatus);

        using var withOldCookie = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = restarted.ApiUrl };
        withOldCookie.DefaultRequestHeaders.Add("Cookie", oldCookie);
        (HttpStatusCode cookieStatus, _) = await SendAsync(withOldCookie, HttpMethod.Get, "api/v1/torrents");
        Assert.Equal(HttpStatusCode.Unauthorized, cookieStatus);
    }

    [Fact]
    public async Task The_session_cookie_outlives_a_restart_of_the_node()
    {
        string cookie;
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            using HttpClient browser = await LoggedInBrowserAsync(node);
            cookie = browser.DefaultRequestHeaders.GetValues("Cookie").Single();
        }

        await using NodeHost restarted = await TestNode.StartAsync(_folder.Path);
        using var again = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = restarted.ApiUrl };
        again.DefaultRequestHeaders.Add("Cookie", cookie);
        (HttpStatusCode status, _) = await SendAsync(again, HttpMethod.Get, "api/v1/torrents");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A client that followed the login link and sends back the cookies it got, as a browser would.</summary>
    private static async Task<HttpClient> LoggedInBrowserAsync(NodeHost node)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.ApiUrl };
        using HttpResponseMessage login = await client.GetAsync(node.WebLoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        string cookies = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        client.DefaultRequestHeaders.Add("Cookie", cookies);
        return client;
    }

    private static string CsrfCookie(HttpClient browser)
    {
        string cookies = browser.DefaultRequestHeaders.GetValues("Cookie").Single();
        return cookies.Split("; ").Single(c => c.StartsWith("shoal_csrf=", StringComparison.Ordinal))["shoal_csrf=".Length..];
    }
}
