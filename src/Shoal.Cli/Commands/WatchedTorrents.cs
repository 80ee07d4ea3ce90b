using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shoal.Node.Api;

namespace Shoal.Cli.Commands;

/// <summary>The node's torrents as `shoal watch` knows them: the event stream's snapshot with every later event applied.</summary>
internal sealed class WatchedTorrents
{
    private readonly Dictionary<string, JsonObject> _torrents = new(StringComparer.Ordinal);

    public NodeStats? Stats { get; private set; }

    /// <summary>The torrents in the list's default order: oldest added first.</summary>
    public TorrentList List
    {
        get
        {
            List<TorrentView> views = [.. _torrents.Values
                .Select(t => t.Deserialize(NodeJsonContext.Api.TorrentView)!)
                .OrderBy(t => t.AddedAt)
                .ThenBy(t => t.Id, StringComparer.Ordinal)];
            return new TorrentList(views.Count, views);
        }
    }

    /// <summary>Applies one event; returns one line for each torrent it touched (none for stats, or an event this client does not know).</summary>
    public List<string> Apply(SseItem<JsonElement> item)
    {
        JsonElement data = item.Data;
        switch (item.EventType)
        {
            case "snapshot":
                _torrents.Clear();
                Stats = data.GetProperty("stats").Deserialize(NodeJsonContext.Api.NodeStats);
                return [.. data.GetProperty("torrents").EnumerateArray().Select(t => $"torrent {Summary(Put(t))}")];
            case "added":
                return [$"added {Summary(Put(data))}"];
            case "changed" when _torrents.TryGetValue(Id(data), out JsonObject? torrent):
                List<string> fields = [];
                foreach (JsonProperty field in data.EnumerateObject().Where(f => !f.NameEquals("id")))
                {
                    torrent[field.Name] = JsonNode.Parse(field.Value.GetRawText());
                    fields.Add($"{field.Name}={(field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText())}");
                }

                return [$"changed {Id(data)} {Name(torrent)}: {string.Join(", ", fields)}"];
            case "removed" when _torrents.Remove(Id(data), out JsonObject? torrent):
                return [$"removed {Id(data)} {Name(torrent)}"];
            case "stats":
                Stats = data.Deserialize(NodeJsonContext.Api.NodeStats);
                return [];
            default:
                return [];
        }
    }

    private static string Id(JsonElement torrent) => torrent.GetProperty("id").GetString()!;

    private static string? Name(JsonObject torrent) => torrent["name"]?.GetValue<string>();

    private static string Summary(TorrentView torrent) => $"{torrent.Id} {torrent.Name}: {torrent.State}, {TorrentTable.Progress(torrent.Progress)}";

    private TorrentView Put(JsonElement torrent)
    {
        _torrents[Id(torrent)] = JsonObject.Create(torrent)!;
        return torrent.Deserialize(NodeJsonContext.Api.TorrentView)!;
    }
}
