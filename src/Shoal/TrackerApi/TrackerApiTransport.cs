using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Shoal.TrackerApi;

/// <summary>
/// Sends requests to a Shoal tracker's JSON API (docs/tracker-api.md) and reads the answers, bounded in
/// size and time. Every failure goes through <c>failure</c>, which makes the client's own exception from a
/// one-line message that names the tracker, the HTTP status when there was one, and the cause.
/// </summary>
internal sealed class TrackerApiTransport
{
    /// <summary>The largest answer accepted, in bytes.</summary>
    public const int MaxResponseBytes = 32 << 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly Func<string, HttpStatusCode?, Exception?, Exception> _failure;

    public TrackerApiTransport(Uri baseAddress, HttpClient http, Func<string, HttpStatusCode?, Exception?, Exception> failure)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(http);
        BaseAddress = baseAddress;
        _http = http;
        _failure = failure;
    }

    public Uri BaseAddress { get; }

    /// <summary>The body of a successful answer; a 4xx or 5xx answer throws with the API's <c>error</c> message.</summary>
    public async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken ct) => (await ExchangeAsync(request, ct).ConfigureAwait(false)).Body;

    /// <summary>Sends the request and reads its JSON answer (System.Text.Json web defaults).</summary>
    public async Task<T> SendJsonAsync<T>(HttpRequestMessage request, CancellationToken ct)
        where T : class => Parse<T>(await SendAsync(request, ct).ConfigureAwait(false));

    /// <summary>
    /// One page of a listing answered as a JSON array, and the count of all its items (<see cref="Paging.TotalCountHeader"/>);
    /// null when the tracker does not say, as one from before paging does not.
    /// </summary>
    public async Task<(T[] Items, long? Total)> SendPageAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        (byte[] body, long? total) = await ExchangeAsync(request, ct).ConfigureAwait(false);
        return (Parse<T[]>(body), total);
    }

    private async Task<(byte[] Body, long? Total)> ExchangeAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        byte[] body;
        long? total = null;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            using (response)
            {
                body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
                if (response.Headers.TryGetValues(Paging.TotalCountHeader, out IEnumerable<string>? values)
                    && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                {
                    total = count;
                }
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw Failure($"no answer within {Timeout.TotalSeconds:0} s", null, e);
        }
        catch (HttpRequestException e)
        {
            throw Failure($"cannot reach it: {e.Message}", null, e);
        }
        catch (IOException e)
        {
            throw Failure(e.Message, null, e);
        }

        if (!response.IsSuccessStatusCode)
        {
            string reason = ErrorMessage(body) ?? response.ReasonPhrase ?? "no reason given";
            throw Failure($"HTTP {(int)response.StatusCode}: {reason}", response.StatusCode);
        }

        return (body, total);
    }

    private T Parse<T>(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, TrackerApiJson.Info<T>()) ?? throw Failure("answered null");
        }
        catch (JsonException e)
        {
            throw Failure($"answered something that is not the tracker's API: {e.Message}", null, e);
        }
    }

    public Exception Failure(string what, HttpStatusCode? status = null, Exception? inner = null) =>
        _failure($"tracker {BaseAddress.GetLeftPart(UriPartial.Authority)}: {what.ReplaceLineEndings(" ")}", status, inner);

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
}
