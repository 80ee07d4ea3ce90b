using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Shoal.Node.Tests.Events;

/// <summary>A test's connection to <c>GET /api/v1/events</c>: its events in order, each waited for with a time limit.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _closed = new();
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync(_closed.Token).GetAsyncEnumerator(_closed.Token);
    }

    public static async Task<EventStream> OpenAsync(HttpClient client)
    {
        HttpResponseMessage response = await client.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    public static JsonElement Data(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement;

    public async Task<SseItem<string>> NextAsync()
    {
        Assert.True(await _items.MoveNextAsync().AsTask().WaitAsync(Patience), "the node ended the event stream");
        return _items.Current;
    }

    /// <summary>Reads to the end of the stream, which the node must end within the time limit.</summary>
    public async Task EndAsync()
    {
        while (await _items.MoveNextAsync().AsTask().WaitAsync(Patience))
        {
        }
    }

    /// <summary>The next event named <paramref name="name"/> whose data matches, skipping the others.</summary>
    public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool>? match = null)
    {
        while (true)
        {
            SseItem<string> item = await NextAsync();
            if (item.EventType == name && (match is null || match(Data(item))))
            {
                return Data(item);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        _closed.Dispose();
    }
}
