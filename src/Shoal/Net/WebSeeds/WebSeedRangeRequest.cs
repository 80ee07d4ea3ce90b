using System.Net;
using System.Net.Http.Headers;

namespace Shoal.Net.WebSeeds;

/// <summary>
/// One HTTP range GET of part of one file: the answer must be 206 with exactly the range asked for (or 200 with the
/// whole file when the whole file was asked for), and its body is read only as far as asked, never more, each read
/// within the timeout. Any other answer is a <see cref="WebSeedException"/>.
/// </summary>
internal static class WebSeedRangeRequest
{
    public static async Task ReadAsync(HttpClient http, Uri url, long offset, int length, long fileLength, WebSeedRun run, TimeSpan timeout, TimeProvider time, CancellationToken stop)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            Check(response, offset, length, fileLength);
            Stream body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int remaining = length;
                while (remaining > 0)
                {
                    Memory<byte> space = run.Space;
                    timer.CancelAfter(timeout);
                    int read = await body.ReadAsync(space[..Math.Min(space.Length, remaining)], linked.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new WebSeedException($"{url} ended after {length - remaining} of the {length} bytes asked for");
                    }

                    remaining -= read;
                    await run.AdvanceAsync(read, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException e) when (!stop.IsCancellationRequested)
        {
            throw new WebSeedException($"{url} did not answer within {timeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new WebSeedException($"{url}: {e.Message}", e);
        }
    }

    private static void Check(HttpResponseMessage response, long offset, int length, long fileLength)
    {
        Uri? url = response.RequestMessage?.RequestUri;
        if (response.Content.Headers.ContentEncoding.Count > 0)
        {
            throw new WebSeedException($"{url} answered with a content encoding ({string.Join(", ", response.Content.Headers.ContentEncoding)}), not the file's bytes");
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent:
                ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                if (range is not { HasRange: true } || range.From != offset || range.To != offset + length - 1)
                {
                    throw new WebSeedException($"{url} answered bytes {range?.From}-{range?.To} when asked for {offset}-{offset + length - 1}");
                }

                if (range.HasLength && range.Length != fileLength)
                {
                    throw new WebSeedException($"{url} is {range.Length} bytes long, not the torrent's {fileLength}");
                }

                break;
            case HttpStatusCode.OK when offset == 0 && length == fileLength:
                if (response.Content.Headers.ContentLength is { } whole && whole != fileLength)
                {
                    throw new WebSeedException($"{url} is {whole} bytes long, not the torrent's {fileLength}");
                }

                break;
            case HttpStatusCode.OK:
                throw new WebSeedException($"{url} does not answer range requests");
            default:
                throw new WebSeedException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }
}
