using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// An HTTP(S) tracker (BEP 3 "trackers" section): an announce is a GET of the announce URL with the
/// request's parameters appended (BEP 23 <c>compact</c>), answered by a bencoded dictionary; a scrape
/// is a GET of the BEP 48 scrape URL. Every request is bounded by <see cref="HttpTrackerOptions.Timeout"/>
/// and the body by <see cref="HttpTrackerOptions.MaxResponseBytes"/>. The <see cref="HttpClient"/> is
/// the caller's: it is not disposed here.
/// </summary>
public sealed class HttpTrackerClient : ITrackerClient
{
    private readonly HttpClient _http;
    private readonly HttpTrackerOptions _options;

    /// <summary>A client of the tracker at <paramref name="announceUrl"/>, an absolute http or https URL.</summary>
    public HttpTrackerClient(Uri announceUrl, HttpClient http, HttpTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(announceUrl);
        ArgumentNullException.ThrowIfNull(http);
        if (!announceUrl.IsAbsoluteUri || (announceUrl.Scheme != Uri.UriSchemeHttp && announceUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("an HTTP tracker URL is an absolute http or https URL", nameof(announceUrl));
        }

        Url = announceUrl;
        _http = http;
        _options = options ?? HttpTrackerOptions.Default;
    }

    /// <inheritdoc/>
    public Uri Url { get; }

    /// <inheritdoc/>
    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = new Uri(AnnounceRequestCodec.AppendQuery(Url, request));
        byte[] body = await GetAsync(url, ct).ConfigureAwait(false);
        try
        {
            return AnnounceResponseCodec.Parse(body);
        }
        catch (TrackerProtocolException e)
        {
            throw new TrackerException($"{Url}: not a tracker response: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="TrackerException">Also when the announce URL has no scrape form (BEP 48).</exception>
    public async Task<ScrapeResponse> ScrapeAsync(IReadOnlyList<InfoHash> infoHashes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        Uri scrapeUrl = ScrapeRequestCodec.GetScrapeUrl(Url)
            ?? throw new TrackerException($"{Url}: cannot be scraped (the last path segment does not begin with 'announce')");
        byte[] body = await GetAsync(new Uri(ScrapeRequestCodec.AppendQuery(scrapeUrl, infoHashes)), ct).ConfigureAwait(false);
        try
        {
            return ScrapeResponseCodec.Parse(body);
        }
        catch (TrackerProtocolException e)
        {
            throw new TrackerException($"{Url}: not a scrape response: {e.Message}", e);
        }
    }

    /// <summary>
    /// GETs the URL and returns the body. A status other than 2xx is an error unless the body is
    /// bencoded (trackers send a <c>failure reason</c> with 4xx too), which the caller then parses.
    /// </summary>
    private async Task<byte[]> GetAsync(Uri url, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && (body.Length == 0 || body[0] != (byte)'d'))
            {
                throw new TrackerException($"{Url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return body;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TrackerException($"{Url}: no answer within {_options.Timeout.TotalSeconds:0.###} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new TrackerException($"{Url}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TrackerException($"{Url}: {e.Message}", e);
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        int limit = _options.MaxResponseBytes;
        if (content.Headers.ContentLength > limit)
        {
            throw new TrackerException($"{Url}: response of {content.Headers.ContentLength} bytes, more than {limit}");
        }

        Stream stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = new byte[Math.Min(limit + 1, 16 * 1024)];
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        throw new TrackerException($"{Url}: response longer than {limit} bytes");
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)limit + 1, buffer.Length * 2L));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, filled).ToArray();
                }

                filled += read;
            }
        }
    }
}
