using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Shoal.Node;
using Shoal.Node.Api;
using Shoal.Node.Security;

namespace Shoal.Cli.NodeApi;

/// <summary>
/// The REST API of a running <c>shoal node</c>, found through its data folder (<c>api-endpoint</c>,
/// <c>api-token</c>) or a URL; every refusal and unreachable node becomes a <see cref="NodeClientException"/>.
/// </summary>
public sealed class NodeClient : IDisposable
{
    private const int PerPage = 1000;
    private const int WholeV1Id = 40;
    private const int WholeV2Id = 64;

    private readonly HttpClient _http;

    private NodeClient(Uri baseUrl, string token)
    {
        Url = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The node at <paramref name="nodeUrl"/>, else the one whose data folder names its endpoint; the token comes from the data folder.</summary>
    public static NodeClient Connect(Uri? nodeUrl, string dataDirectory)
    {
        Uri url = nodeUrl ?? ReadEndpoint(dataDirectory);
        string tokenFile = Path.Combine(dataDirectory, ApiToken.FileName);
        if (!File.Exists(tokenFile))
        {
            throw nodeUrl is null
                ? NoNode(url)
                : new NodeClientException($"no API token at {tokenFile}; pass the node's data folder with --data");
        }

        return new NodeClient(url, File.ReadAllText(tokenFile).Trim());
    }

    /// <summary>The node's API address.</summary>
    public Uri Url { get; }

    /// <summary>How peers reach the node: its ports, their mappings on the router, its external address and its DHT.</summary>
    public Task<ReachabilityView> ReachabilityAsync(CancellationToken cancellationToken) =>
        SendAsync<ReachabilityView>(HttpMethod.Get, "api/v1/reachability", null, cancellationToken);

    /// <summary>Every torrent, a page of the API's largest size at a time.</summary>
    public async Task<TorrentList> ListAsync(CancellationToken cancellationToken)
    {
        var torrents = new List<TorrentView>();
        for (int page = 1; ; page++)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"api/v1/torrents?perPage={PerPage}&page={page}");
            TorrentList part = await SendAsync<TorrentList>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            torrents.AddRange(part.Torrents);
            if (part.Torrents.Count < PerPage || torrents.Count >= part.Total)
            {
                return new TorrentList(part.Total, torrents);
            }
        }
    }

    /// <summary>The whole id of the one torrent whose id starts with <paramref name="id"/>, as `shoal list` shortens them.</summary>
    public async Task<string> ResolveAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is WholeV1Id or WholeV2Id)
        {
            return id;
        }

        List<TorrentView> matches = [.. (await ListAsync(cancellationToken).ConfigureAwait(false)).Torrents.Where(t => t.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase))];
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new NodeClientException($"no torrent's id starts with {id}"),
            _ => throw new NodeClientException($"{matches.Count} torrents' ids start with {id}; give more of it"),
        };
    }

    public Task<AddedTorrent> AddAsync(AddTorrentRequest request, CancellationToken cancellationToken) =>
        AddAsync(JsonContent.Create(request, NodeJsonContext.Api.AddTorrentRequest), cancellationToken);

    public Task<AddedTorrent> AddTorrentFileAsync(byte[] torrent, string? savePath, CancellationToken cancellationToken)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(torrent), "torrent", "add.torrent" } };
        if (savePath is not null)
        {
            form.Add(new StringContent(savePath), "savePath");
        }

        return AddAsync(form, cancellationToken);
    }

    public Task<TorrentView> PauseAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<TorrentView>(HttpMethod.Post, $"api/v1/torrents/{Uri.EscapeDataString(id)}/pause", null, cancellationToken);

    public Task<TorrentView> ResumeAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<TorrentView>(HttpMethod.Post, $"api/v1/torrents/{Uri.EscapeDataString(id)}/resume", null, cancellationToken);

    public async Task RemoveAsync(string id, bool deleteFiles, CancellationToken cancellationToken)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"api/v1/torrents/{Uri.EscapeDataString(id)}?deleteFiles={(deleteFiles ? "true" : "false")}");
        (await SendRawAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false)).Dispose();
    }

    /// <summary>
    /// The node's event stream (<c>GET /api/v1/events</c>), each event's data as JSON: a snapshot first, then
    /// changes, until the node ends the stream (it drops a client that falls behind) or the token is cancelled.
    /// </summary>
    public async IAsyncEnumerable<SseItem<JsonElement>> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Get, "api/v1/events", null, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            SseParser<JsonElement> events = SseParser.Create(body, (_, data) => JsonElement.Parse(data));
            await foreach (SseItem<JsonElement> item in events.EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static Uri ReadEndpoint(string dataDirectory)
    {
        string file = Path.Combine(dataDirectory, NodeHost.EndpointFileName);
        return File.Exists(file) && Uri.TryCreate(File.ReadAllText(file).Trim(), UriKind.Absolute, out Uri? url)
            ? url
            : throw NoNode(new Uri($"http://127.0.0.1:{NodeOptions.DefaultApiPort}/"));
    }

    private static NodeClientException NoNode(Uri url) => new($"no node running at {url}; start one with: shoal node");

    /// <summary>The node answers 201 for a torrent it did not have, 200 with the one it has.</summary>
    private async Task<AddedTorrent> AddAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "api/v1/torrents", content, cancellationToken).ConfigureAwait(false);
        return new AddedTorrent(await ReadAsync<TorrentView>(response, cancellationToken).ConfigureAwait(false), response.StatusCode == HttpStatusCode.Created);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendRawAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var type = (JsonTypeInfo<T>)NodeJsonContext.Api.Options.GetTypeInfo(typeof(T));
        return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
            ?? throw new NodeClientException($"the node at {_http.BaseAddress} answered {response.RequestMessage?.RequestUri} with nothing");
    }

    private async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw NoNode(_http.BaseAddress!);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new NodeClientException($"the node refused: {await ErrorAsync(response, cancellationToken).ConfigureAwait(false)}");
        }
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, NodeJsonContext.Api.ApiError)?.Error ?? $"HTTP {(int)response.StatusCode}";
        }
        catch (JsonException)
        {
            return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }
}
