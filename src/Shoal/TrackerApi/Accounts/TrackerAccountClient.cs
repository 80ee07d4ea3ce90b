using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Shoal.TrackerApi.Index;

namespace Shoal.TrackerApi.Accounts;

/// <summary>
/// A client of a Shoal tracker's account and group API (docs/tracker-api.md): users, sessions, groups,
/// join requests and group files, with the bearer token of a login. Every failure is a
/// <see cref="TrackerAccountException"/>; cancelling the token throws <see cref="OperationCanceledException"/>.
/// The <see cref="HttpClient"/> is the caller's.
/// </summary>
public sealed class TrackerAccountClient
{
    /// <summary>The most pages a listing is fetched in: <see cref="Paging.MaxPerPage"/> items each.</summary>
    public const int MaxPages = 1_000;

    private readonly TrackerApiTransport _api;
    private readonly string? _token;

    /// <summary>
    /// A client of the API at <paramref name="baseAddress"/> (<c>http(s)://host:port</c>), authenticated with
    /// <paramref name="token"/> when given. Every request carries a password or a token, so none is sent
    /// over plain HTTP to an address that is not loopback unless <paramref name="insecure"/>: the
    /// constructor refuses, before anything is asked or sent.
    /// </summary>
    public TrackerAccountClient(Uri baseAddress, HttpClient http, string? token = null, bool insecure = false)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!insecure && baseAddress.Scheme == Uri.UriSchemeHttp && !baseAddress.IsLoopback)
        {
            throw new TrackerAccountException(
                $"refusing to send a password or token in clear to {baseAddress.GetLeftPart(UriPartial.Authority)}: use its https address, or --insecure to send it anyway");
        }

        _api = new TrackerApiTransport(baseAddress, http, (message, status, inner) => new TrackerAccountException(message, status, inner));
        _token = token;
    }

    public Uri BaseAddress => _api.BaseAddress;

    /// <summary><c>POST /api/users</c>: a new account (409 when the name is taken).</summary>
    public Task CreateUserAsync(Credentials credentials, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/users", ct, Body(credentials));

    /// <summary><c>POST /api/sessions</c>: logs in; the answer carries the token and the passkey.</summary>
    public Task<LoginResult> LoginAsync(Credentials credentials, CancellationToken ct) => SendJsonAsync<LoginResult>(HttpMethod.Post, "api/sessions", ct, Body(credentials));

    /// <summary><c>DELETE /api/sessions/current</c>: the token and its passkey stop working.</summary>
    public Task LogoutAsync(CancellationToken ct) => SendAsync(HttpMethod.Delete, "api/sessions/current", ct);

    public Task<AccountInfo> GetAccountAsync(CancellationToken ct) => SendJsonAsync<AccountInfo>(HttpMethod.Get, "api/me", ct);

    /// <summary><c>PUT /api/me/password</c>: every other session of the user is revoked.</summary>
    public Task ChangePasswordAsync(PasswordChange change, CancellationToken ct) => SendAsync(HttpMethod.Put, "api/me/password", ct, Body(change));

    public Task<GroupSummary> CreateGroupAsync(string group, CancellationToken ct) => SendJsonAsync<GroupSummary>(HttpMethod.Post, "api/groups", ct, Body(new NewGroup(group)));

    /// <summary>Every group, by name, fetched a page at a time.</summary>
    public Task<GroupSummary[]> GetGroupsAsync(CancellationToken ct) => GetAllAsync<GroupSummary>("api/groups", ct);

    public Task DeleteGroupAsync(string group, CancellationToken ct) => SendAsync(HttpMethod.Delete, ApiPath("api/groups", group), ct);

    /// <summary>Asks the group's owner to let the user in.</summary>
    public Task RequestToJoinAsync(string group, CancellationToken ct) => SendAsync(HttpMethod.Post, ApiPath("api/groups", group, "requests"), ct);

    /// <summary>Every request to join the group, oldest first, fetched a page at a time.</summary>
    public Task<JoinRequest[]> GetJoinRequestsAsync(string group, CancellationToken ct) => GetAllAsync<JoinRequest>(ApiPath("api/groups", group, "requests"), ct);

    public Task AcceptAsync(string group, string user, CancellationToken ct) => SendAsync(HttpMethod.Post, ApiPath("api/groups", group, "requests", user, "accept"), ct);

    public Task RejectAsync(string group, string user, CancellationToken ct) => SendAsync(HttpMethod.Post, ApiPath("api/groups", group, "requests", user, "reject"), ct);

    /// <summary>Removes a member (the owner), or leaves the group (the user itself).</summary>
    public Task RemoveMemberAsync(string group, string user, CancellationToken ct) => SendAsync(HttpMethod.Delete, ApiPath("api/groups", group, "members", user), ct);

    /// <summary>Every file of the group, newest first, fetched a page at a time.</summary>
    public Task<GroupFile[]> GetGroupFilesAsync(string group, CancellationToken ct) => GetAllAsync<GroupFile>(ApiPath("api/groups", group, "files"), ct);

    /// <summary>Registers a public torrent in the tracker's file index as this user (the index needs a login unless open).</summary>
    public Task<IndexedFile> RegisterTorrentAsync(ReadOnlyMemory<byte> torrentFile, CancellationToken ct)
    {
        var content = new ReadOnlyMemoryContent(torrentFile);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-bittorrent");
        return SendJsonAsync<IndexedFile>(HttpMethod.Post, "api/torrents", ct, content);
    }

    /// <summary>Shares a private (BEP 27) torrent into the group.</summary>
    public Task<GroupFile> ShareFileAsync(string group, ReadOnlyMemory<byte> torrentFile, CancellationToken ct)
    {
        var content = new ReadOnlyMemoryContent(torrentFile);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-bittorrent");
        return SendJsonAsync<GroupFile>(HttpMethod.Post, ApiPath("api/groups", group, "files"), ct, content);
    }

    /// <summary>The .torrent of a group file by its info-hash (hex); it carries no passkey.</summary>
    public Task<byte[]> GetGroupTorrentAsync(string group, string infoHash, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, ApiPath("api/groups", group, "files", $"{infoHash}.torrent"), ct);

    /// <summary>Stops sharing a group file (its sharer or the group's owner): it is no longer listed or tracked.</summary>
    public Task StopSharingAsync(string group, string infoHash, CancellationToken ct) => SendAsync(HttpMethod.Delete, ApiPath("api/groups", group, "files", infoHash), ct);

    /// <summary>The JSON body with its length: not chunked, which small servers and proxies may not take.</summary>
    private static ByteArrayContent Body<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, TrackerApiJson.Info<T>()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>A relative path whose segments are escaped: names come from users.</summary>
    private static string ApiPath(string prefix, params string[] segments) => string.Join('/', [prefix, .. segments.Select(Uri.EscapeDataString)]);

    private async Task<byte[]> SendAsync(HttpMethod method, string path, CancellationToken ct, HttpContent? content = null)
    {
        using HttpRequestMessage request = Request(method, path, content);
        return await _api.SendAsync(request, ct).ConfigureAwait(false);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, CancellationToken ct, HttpContent? content = null)
        where T : class
    {
        using HttpRequestMessage request = Request(method, path, content);
        return await _api.SendJsonAsync<T>(request, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Every item of a listing, <see cref="Paging.MaxPerPage"/> a page, up to <see cref="MaxPages"/> pages; from a tracker
    /// that does not page (no count in the answer), its one answer.
    /// </summary>
    private async Task<T[]> GetAllAsync<T>(string path, CancellationToken ct)
    {
        var items = new List<T>();
        for (int page = 1; page <= MaxPages; page++)
        {
            using HttpRequestMessage request = Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"{path}?page={page}&perPage={Paging.MaxPerPage}"), null);
            (T[] answer, long? total) = await _api.SendPageAsync<T>(request, ct).ConfigureAwait(false);
            items.AddRange(answer);
            if (total is null || answer.Length == 0 || items.Count >= total)
            {
                break;
            }
        }

        return [.. items];
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = content };
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return request;
    }
}
