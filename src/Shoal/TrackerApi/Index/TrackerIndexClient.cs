using System.Globalization;
using System.Net.Http.Headers;
using Shoal.TrackerApi;

namespace Shoal.TrackerApi.Index;

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
    public const int MaxResponseBytes = TrackerApiTransport.MaxResponseBytes;

    private readonly TrackerApiTransport _api;

    /// <summary>A client of the index at <paramref name="baseAddress"/> (<c>http(s)://host:port</c>).</summary>
    public TrackerIndexClient(Uri baseAddress, HttpClient http)
    {
        _api = new TrackerApiTransport(baseAddress, http, (message, _, inner) =>
            inner is null ? new TrackerIndexException(message) : new TrackerIndexException(message, inner));
    }

    public Uri BaseAddress => _api.BaseAddress;

    /// <summary>A client of the index of the tracker at <paramref name="announceUrl"/> (see <see cref="TrackerIndexAddress"/>).</summary>
    public static TrackerIndexClient ForTracker(Uri announceUrl, HttpClient http) => new(TrackerIndexAddress.FromAnnounceUrl(announceUrl), http);

    /// <summary>Registers a torrent by its .torrent bytes; registering it again is not an error. Returns the entry the index keeps.</summary>
    public async Task<IndexedFile> RegisterAsync(ReadOnlyMemory<byte> torrentFile, CancellationToken ct)
    {
        using var content = new ReadOnlyMemoryContent(torrentFile);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-bittorrent");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "api/torrents")) { Content = content };
        return await _api.SendJsonAsync<IndexedFile>(request, ct).ConfigureAwait(false);
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
        return await _api.SendJsonAsync<FilePage>(request, ct).ConfigureAwait(false);
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
}
