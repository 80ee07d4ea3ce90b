using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Node.Events;
using Shoal.Tests;

namespace Shoal.Node.Tests.Events;

public sealed class NodeEventsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_client_that_falls_a_whole_queue_behind_is_dropped_and_a_new_one_starts_from_the_current_torrents()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using NodeEvents events = NodeEvents.Start(node.Torrents, node.Session, TimeProvider.System, NullLogger.Instance, queuedPerClient: 2);
        using EventSubscription slow = events.Subscribe()!;
        var dropped = new TaskCompletionSource();
        using CancellationTokenRegistration onDropped = slow.Ended.Register(dropped.SetResult);

        await PausedTorrents.AddAsync(node, _folder, 3);

        await dropped.Task.WaitAsync(Patience);
        Assert.Equal(2, slow.Events.Count);
        while (slow.Events.TryRead(out _))
        {
        }

        Assert.True(slow.Events.Completion.IsCompleted, "a dropped client's queue takes no more events");
        using EventSubscription fresh = events.Subscribe()!;
        string snapshot = Encoding.UTF8.GetString((await fresh.Events.ReadAsync().AsTask().WaitAsync(Patience)).Frame.Span);
        Assert.StartsWith("event: snapshot\ndata: ", snapshot, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(snapshot[snapshot.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("torrents").GetArrayLength());
    }

    [Fact]
    public async Task Stopping_the_node_ends_the_open_streams()
    {
        NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        await using EventStream stream = await EventStream.OpenAsync(client);
        await stream.NextAsync("snapshot");

        await node.DisposeAsync().AsTask().WaitAsync(Patience);

        await stream.EndAsync();
    }

    public void Dispose() => _folder.Dispose();
}
