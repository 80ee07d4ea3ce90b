using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Shoal.Discovery.Trackers.Index;

/// <summary>
/// A client of a Shoal tracker's file index: <c>POST /api/torrents</c> registers a .torrent,
/// <c>GET /api/files</c> lists what is registered. JSON is camelCase (System.Text.Json web defaults).
/// Every failure is a <see cref="TrackerIndexException"/>; cancelling the token throws
/// <see cref="OperationCanceledException"/>. The <see cref="HttpClient"/> is the caller's.
/// </summary>
public sealed class TrackerIndexClient
{
    /// <summary>The most pages <see cref="GetAllFilesAsync"/> fetches.</summary>
    public const int MaxPages = 20;

    /// <summary>The largest answer accepted, in bytes.</summary>
    public const int MaxResponseBytes = 32 << 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    /// <summary>A client of the index at <paramref name="baseAddress"/> (<c>http(s)://host:port</c>).</summary>
    public TrackerIndexClient(Uri baseAddress, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(http);
        BaseAddress = baseAddress;
        _http = http;
    }

    public Uri BaseAddress { get; }

    /// <summary>A client of the index of the tracker at <paramref name="announceUrl"/> (see <see cref="TrackerIndexAddress"/>).</summary>
    public static TrackerIndexClient ForTracker(Uri announceUrl, HttpClient http) => new(TrackerIndexAddress.FromAnnounceUrl(announceUrl), http);

    /// <summary>Registers a torrent by its .torrent bytes; registering it again is not an error. Returns the entry the index keeps.</summary>
    public async Task<IndexedFile> RegisterAsync(ReadOnlyMemory<byte> torrentFile, CancellationToken ct)
    {
        using var content = new ReadOnlyMemoryContent(torrentFile);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-bittorrent");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "api/torrents")) { Content = content };
        return await SendAsync<IndexedFile>(request, ct).ConfigureAwait(false);
    }

    /// <summary>One page (from 1) of the files whose name matches <paramref name="query"/> (all when it is empty).</summary>
    public async Task<FilePage> GetFilesAsync(string? query, int page, int perPage, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, FilePage.MaxPerPage);
        string q = string.IsNullOrEmpty(query) ? "" : $"q={Uri.EscapeDataString(query)}&";
        var url = new Uri(BaseAddress, string.Create(CultureInfo.InvariantCulture, $"api/files?{q}page={page}&perPage={perPage}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync<FilePage>(request, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Every matching file, fetched <see cref="FilePage.MaxPerPage"/> at a time, up to <see cref="MaxPages"/>
    /// pages: one page holding them all, whose <see cref="FilePage.Total"/> says how many match.
    /// </summary>
    public async Task<FilePage> GetAllFilesAsync(string? query, CancellationToken ct)
    {
        var files = new List<IndexedFile>();
        long total = 0;
        for (int page = 1; page <= MaxPages; page++)
        {
            FilePage answer = await GetFilesAsync(query, page, FilePage.MaxPerPage, ct).ConfigureAwait(false);
            files.AddRange(answer.Files);
            total = answer.Total;
            if (answer.Files.Count == 0 || files.Count >= total)
            {
                break;
            }
        }

        return new FilePage { Total = total, Page = 1, PerPage = Math.Max(files.Count, 1), Files = files };
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        byte[] body;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            using (response)
            {
                body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw Failure($"no answer within {Timeout.TotalSeconds:0} s", e);
        }
        catch (HttpRequestException e)
        {
            throw Failure($"cannot reach it: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw Failure(e.Message, e);
        }

        if (!response.IsSuccessStatusCode)
        {
            string reason = ErrorMessage(body) ?? response.ReasonPhrase ?? "no reason given";
            throw Failure($"HTTP {(int)response.StatusCode}: {reason}");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web) ?? throw Failure("answered null");
        }
        catch (JsonException e)
        {
            throw Failure($"answered something that is not the file index API: {e.Message}", e);
        }
    }

    /// <summary>The <c>error</c> of a <c>{"error": "message"}</c> body, if it is one.</summary>
    private static string? ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out JsonElement error)
                && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw Failure($"answered {content.Headers.ContentLength} bytes, more than {MaxResponseBytes}");
        }

        Stream stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw Failure($"answered more than {MaxResponseBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private TrackerIndexException Failure(string what, Exception? inner = null)
    {
        string message = $"tracker {BaseAddress.GetLeftPart(UriPartial.Authority)}: {what.ReplaceLineEndings(" ")}";
        return inner is null ? new TrackerIndexException(message) : new TrackerIndexException(message, inner);
    }
}
