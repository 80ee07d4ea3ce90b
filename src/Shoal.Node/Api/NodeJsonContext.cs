using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Node.Api;

/// <summary>The API's JSON, generated at build time: camelCase names, nulls written. The node and its clients (`shoal list`, `watch`, `add`) read and write with it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(TorrentView))]
[JsonSerializable(typeof(TorrentList))]
[JsonSerializable(typeof(TorrentDetails))]
[JsonSerializable(typeof(TorrentLimitsPatch))]
[JsonSerializable(typeof(FilePrioritiesPatch))]
[JsonSerializable(typeof(GroupsView))]
[JsonSerializable(typeof(GetGroupFileRequest))]
[JsonSerializable(typeof(Settings.NodeSettingsView))]
[JsonSerializable(typeof(Settings.NodeSettingsPatch))]
[JsonSerializable(typeof(AddTorrentRequest))]
[JsonSerializable(typeof(NodeStats))]
[JsonSerializable(typeof(ReachabilityView))]
[JsonSerializable(typeof(EventSnapshot))]
[JsonSerializable(typeof(TorrentRemoved))]
public sealed partial class NodeJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the API writes with: text as it is (<c>&amp;</c> and <c>'</c> unescaped), since the answers are
    /// JSON read by scripts and the UI's code, never pasted into HTML, and people read them with curl.
    /// </summary>
    public static NodeJsonContext Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
