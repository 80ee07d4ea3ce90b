using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>The tracker's account and group API as a test drives it: raw HTTP, so status codes are checked as sent.</summary>
internal sealed class AccountApi(HttpClient http)
{
    public const string Password = "correct horse battery";

    public static AccountApi Of(RunningTracker tracker) => new(tracker.Http);

    public Task<HttpResponseMessage> CreateUserAsync(string name, string password = Password) =>
        http.PostAsJsonAsync(new Uri("api/users", UriKind.Relative), new Credentials(name, password), JsonSerializerOptions.Web);

    public Task<HttpResponseMessage> LoginRawAsync(string name, string password = Password) =>
        http.PostAsJsonAsync(new Uri("api/sessions", UriKind.Relative), new Credentials(name, password), JsonSerializerOptions.Web);

    public async Task<LoginResult> LoginAsync(string name, string password = Password)
    {
        using HttpResponseMessage response = await LoginRawAsync(name, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LoginResult>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Creates the user and logs in.</summary>
    public async Task<LoginResult> SignUpAsync(string name)
    {
        using HttpResponseMessage created = await CreateUserAsync(name);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await LoginAsync(name);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, LoginResult? login, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (login is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login.Token);
        }

        return await http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendJsonAsync<T>(HttpMethod method, string path, LoginResult? login, T body) =>
        SendAsync(method, path, login, JsonContent.Create(body, options: JsonSerializerOptions.Web));

    public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, LoginResult? login, HttpContent? content = null)
    {
        using HttpResponseMessage response = await SendAsync(method, path, login, content);
        return response.StatusCode;
    }

    public async Task<T> GetAsync<T>(string path, LoginResult login)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, login);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    public async Task CreateGroupAsync(LoginResult owner, string group)
    {
        using HttpResponseMessage response = await SendJsonAsync(HttpMethod.Post, "api/groups", owner, new NewGroup(group));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary><paramref name="member"/> asks to join and <paramref name="owner"/> accepts.</summary>
    public async Task JoinAsync(LoginResult owner, LoginResult member, string group)
    {
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, $"api/groups/{group}/requests", member));
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(HttpMethod.Post, $"api/groups/{group}/requests/{member.Name}/accept", owner));
    }

    public Task<HttpResponseMessage> ShareAsync(LoginResult member, string group, byte[] torrent) =>
        SendAsync(HttpMethod.Post, $"api/groups/{group}/files", member, new ByteArrayContent(torrent));

    /// <summary>An announce to <c>/announce/PASSKEY</c> (or <c>/announce</c> without one).</summary>
    public static Task<AnnounceResponse> AnnounceAsync(RunningTracker tracker, string? passkey, InfoHash infoHash, int port, long left = 1000) =>
        new HttpTrackerClient(new Uri(tracker.HttpAnnounce, passkey is null ? "/announce" : $"/announce/{passkey}"), tracker.Http)
            .AnnounceAsync(RunningTracker.Request(infoHash, port, left), CancellationToken.None);

    /// <summary>A scrape of <c>/scrape/PASSKEY</c> (or <c>/scrape</c>).</summary>
    public static async Task<ScrapeStats> ScrapeAsync(RunningTracker tracker, string? passkey, InfoHash infoHash)
    {
        var url = new Uri(tracker.HttpAnnounce, passkey is null ? "/scrape" : $"/scrape/{passkey}");
        byte[] body = await tracker.Http.GetByteArrayAsync(new Uri(ScrapeRequestCodec.AppendQuery(url, [infoHash])));
        return ScrapeResponseCodec.Parse(body).Files[infoHash];
    }
}
