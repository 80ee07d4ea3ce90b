using System.Buffers;
using System.Text.Json;
using Shoal.Node.Api;

namespace Shoal.Node.Events;

/// <summary>The events that turn one set of torrent views into the next: <c>removed</c>, <c>added</c>, and <c>changed</c> with only the fields that differ.</summary>
internal static class TorrentDeltas
{
    private const string IdField = "id";

    public static IEnumerable<ServerSentEvent> Between(IReadOnlyDictionary<string, TorrentView> before, IReadOnlyDictionary<string, TorrentView> after)
    {
        foreach (string id in before.Keys.Where(id => !after.ContainsKey(id)))
        {
            yield return ServerSentEvent.Of("removed", new TorrentRemoved(id), NodeJsonContext.Api.TorrentRemoved);
        }

        foreach (TorrentView view in after.Values)
        {
            if (!before.TryGetValue(view.Id, out TorrentView? old))
            {
                yield return ServerSentEvent.Of("added", view, NodeJsonContext.Api.TorrentView);
            }
            else if (old != view && Changes(old, view) is { } changes)
            {
                yield return ServerSentEvent.Of("changed", changes);
            }
        }
    }

    /// <summary>
    /// <c>{"id", …}</c> with each field whose JSON differs, compared as the API writes them so the names and
    /// formats are the API's; null when none does (records can differ where their JSON does not, as 0.0 and -0.0).
    /// </summary>
    private static byte[]? Changes(TorrentView before, TorrentView after)
    {
        using JsonDocument old = JsonSerializer.SerializeToDocument(before, NodeJsonContext.Api.TorrentView);
        using JsonDocument now = JsonSerializer.SerializeToDocument(after, NodeJsonContext.Api.TorrentView);
        var buffer = new ArrayBufferWriter<byte>();
        bool any = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (JsonProperty field in now.RootElement.EnumerateObject())
            {
                bool changed = !JsonElement.DeepEquals(field.Value, old.RootElement.GetProperty(field.Name));
                if (changed || field.NameEquals(IdField))
                {
                    field.WriteTo(writer);
                    any |= changed;
                }
            }

            writer.WriteEndObject();
        }

        return any ? buffer.WrittenSpan.ToArray() : null;
    }
}
